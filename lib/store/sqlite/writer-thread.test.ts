import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { MetricValue, NewPush } from "@/lib/store/types";
import { openDatabase, type Db } from "./database";
import { SqliteLatency } from "./latency";
import { WriterThreadError } from "./writer-thread";

// The receivers' writes on a database file go through the writer thread (its own connection, the
// same SQL): these tests run that thread (from source, as Vitest runs everything) and check what
// the receivers rely on by reading the file from other connections.

const AT = "2026-11-24T00:00:00.000Z";
const sha40 = (x: string) => createHash("sha1").update(x).digest("hex");
const push = (id: string, over: Partial<NewPush> = {}): NewPush => ({ provider: "github", deliveryId: id, repository: "acme/web", branch: "main", sha: sha40(id), beforeSha: null, paths: ["src/a.ts"], pushedAt: AT, receivedAt: AT, ...over });
const metric = (id: string): MetricValue & { source: string } => ({ metric: "WebhookDelivery", unit: "Count", value: 1, at: AT, pipeline: null, connectionId: null, provider: "GitHub", fleet: true, source: `delivery:github:${id}` });

let open: { db: Db; latency: SqliteLatency }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const { db, latency } of open) {
    await latency.close().catch(() => undefined);
    db.close();
  }
  open = [];
});

function fileStore() {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-writer-")), "t.db");
  const db = openDatabase(file);
  const latency = new SqliteLatency(db);
  open.push({ db, latency });
  return { file, db, latency };
}

/** The thread of a repository (reached through private fields: only a test kills a thread). */
const threadOf = (latency: SqliteLatency) => (latency as unknown as { writer: { running: boolean; started: number; current: { worker: Worker } | null } }).writer;

/** Another connection to the file, as a second process would open it. */
function reader(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const one = (sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as Record<string, unknown> | undefined;
  return { one, close: () => db.close() };
}

// Each test starts a writer thread from source (through tsx): seconds on a busy machine.
describe("writer thread", { timeout: 30_000 }, () => {
  test("a push is committed (readable from another connection) when its promise resolves, and not by the main connection", async () => {
    const { file, db, latency } = fileStore();
    const changesBefore = db.prepare("SELECT total_changes() AS n").get() as { n: number };
    const stored = await latency.storePushDelivery(push("p1"), "push", [metric("p1")]);
    // Read at once from a fresh connection: the delivery, the push and its metric value are there.
    const other = reader(file);
    expect(stored).toEqual({ id: Number(other.one("SELECT id FROM pushes WHERE delivery_id = ?", "p1")?.id) });
    expect(other.one("SELECT status FROM deliveries WHERE delivery_id = ?", "p1")).toEqual({ status: "stored" });
    expect(other.one("SELECT COUNT(*) AS n FROM metric_outbox WHERE source = ?", "delivery:github:p1")).toEqual({ n: 1 });
    other.close();
    // The main connection wrote none of it: the thread did.
    expect(db.prepare("SELECT total_changes() AS n").get()).toEqual(changesBefore);
    expect(threadOf(latency).started).toBe(1);
    // An ignored event's delivery id goes the same way.
    expect(await latency.storeDelivery("github", "i1", "issues", "ignored", AT)).toBe(true);
    expect(reader(file).one("SELECT status FROM deliveries WHERE delivery_id = ?", "i1")).toEqual({ status: "ignored" });
    expect(await latency.storeDelivery("github", "i1", "issues", "ignored", AT)).toBe(false);
  });

  test("deliveries that arrive together share one transaction; duplicates and replays answer null as on one connection", async () => {
    const { latency } = fileStore();
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => latency.storePushDelivery(push(`d${i}`), "push")));
    expect(burst.every((r) => r !== null)).toBe(true);
    expect(latency.groupCommitStats()).toEqual({ transactions: 1, writes: 20 });
    const [redelivered, replayed, fresh] = await Promise.all([latency.storePushDelivery(push("d1"), "push"), latency.storePushDelivery(push("other-id", { sha: sha40("d2") }), "push"), latency.storePushDelivery(push("new"), "push")]);
    expect([redelivered, replayed, fresh === null]).toEqual([null, null, false]);
    expect(latency.groupCommitStats()).toEqual({ transactions: 2, writes: 23 });
    expect(latency.recentPushes(100)).toHaveLength(21);
  });

  test("batches that reach the thread while it commits are merged into its next transaction", async () => {
    const { latency } = fileStore();
    await latency.storePushDelivery(push("warm"), "push");
    const before = latency.groupCommitStats();
    // A large batch, then five small ones on the next turns: sent without waiting for the first
    // to be reported, they arrive while it commits.
    const all = Array.from({ length: 500 }, (_, i) => latency.storePushDelivery(push(`big${i}`), "push"));
    for (let turn = 0; turn < 5; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      all.push(...Array.from({ length: 10 }, (_, i) => latency.storePushDelivery(push(`small${turn}-${i}`), "push")));
    }
    expect((await Promise.all(all)).every((r) => r !== null)).toBe(true);
    const after = latency.groupCommitStats();
    expect(after.writes - before.writes).toBe(550);
    // Six batches; one transaction each would be six.
    expect(after.transactions - before.transactions).toBeLessThan(6);
  });

  test("a write that fails in the thread is rolled back alone with SQLite's error; the others of its batch commit", async () => {
    const { file, db, latency } = fileStore();
    // The push row fails after the delivery row was written in the same savepoint.
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON pushes WHEN NEW.repository = 'acme/refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    const bad = latency.storePushDelivery(push("bad", { repository: "acme/refused" }), "push");
    const results = await Promise.allSettled([latency.storePushDelivery(push("g1"), "push"), bad, latency.storePushDelivery(push("g2"), "push")]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ name: "SqliteError", code: "SQLITE_CONSTRAINT_TRIGGER", message: "refused by the test" });
    expect(latency.groupCommitStats()).toEqual({ transactions: 1, writes: 3 });
    const other = reader(file);
    expect(other.one("SELECT COUNT(*) AS n FROM pushes")).toEqual({ n: 2 });
    // Its delivery id was rolled back with it: the provider's retry is stored.
    expect(other.one("SELECT COUNT(*) AS n FROM deliveries WHERE delivery_id = 'bad'")).toEqual({ n: 0 });
    other.close();
    expect(await latency.storePushDelivery(push("bad"), "push")).not.toBeNull();
  });

  test("the thread dying mid-batch rejects that batch's promises; the next delivery starts a new thread and is stored", async () => {
    const { file, latency } = fileStore();
    await latency.storePushDelivery(push("warm"), "push");
    const thread = threadOf(latency);
    const batch = Array.from({ length: 400 }, (_, i) => latency.storePushDelivery(push(`b${i}`), "push", [metric(`b${i}`)]));
    // The batch is handed to the thread on the next check phase; then the thread is killed.
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    await thread.current?.worker.terminate();
    const settled = await Promise.allSettled(batch);
    expect(settled.every((r) => r.status === "rejected")).toBe(true);
    const reason = (settled[0] as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(WriterThreadError);
    expect(reason.message).toMatch(/writer thread stopped .* whether it committed is unknown/);
    expect(thread.running).toBe(false);
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^\[tether\] the SQLite writer thread stopped \(exit code 1\); 1 batch\(es\) unanswered/));
    logged.mockRestore();
    // All or nothing of the batch is in the file (one transaction), never a part.
    const other = reader(file);
    const n = Number(other.one("SELECT COUNT(*) AS n FROM pushes WHERE delivery_id LIKE 'b%'")?.n);
    expect([0, 400]).toContain(n);
    other.close();
    // The next delivery succeeds (a new thread); the provider's redelivery of a rejected one is
    // stored, or answered duplicate if the dead thread had committed it.
    expect(await latency.storePushDelivery(push("after"), "push")).not.toBeNull();
    expect(thread.started).toBe(2);
    expect(await latency.storePushDelivery(push("b7"), "push")).toEqual(n === 0 ? expect.objectContaining({ id: expect.any(Number) }) : null);
  });

  test("close() waits for the writes already submitted, then ends the thread; later writes are refused", async () => {
    const { file, latency } = fileStore();
    const pending = latency.storePushDelivery(push("last"), "push");
    await latency.close();
    expect(await pending).not.toBeNull();
    expect(threadOf(latency).running).toBe(false);
    expect(reader(file).one("SELECT COUNT(*) AS n FROM pushes")).toEqual({ n: 1 });
    await expect(latency.storePushDelivery(push("late"), "push")).rejects.toThrow("the store is closed");
  });

  test("the main connection's read-then-write transactions wait for the thread's instead of failing with SQLITE_BUSY", async () => {
    const { db, latency } = fileStore();
    db.exec("CREATE TABLE probe (n INTEGER NOT NULL)");
    db.prepare("INSERT INTO probe (n) VALUES (0)").run();
    // The thread commits batch after batch (new pushes every turn) while this connection
    // increments a counter it reads first (the shape of recordListing or prune): each increment
    // must wait for the lock, never fail.
    await latency.storePushDelivery(push("warm"), "push");
    const writes: Promise<unknown>[] = [];
    for (let turn = 0; turn < 60; turn++) {
      for (let i = 0; i < 20; i++) writes.push(latency.storePushDelivery(push(`c${turn}-${i}`), "push"));
      db.transaction(() => {
        const { n } = db.prepare("SELECT n FROM probe").get() as { n: number };
        db.prepare("UPDATE probe SET n = ?").run(n + 1);
      })();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(writes);
    expect(db.prepare("SELECT n FROM probe").get()).toEqual({ n: 60 });
    expect(latency.recentPushes(5000)).toHaveLength(1201);
    expect(latency.groupCommitStats().transactions).toBeGreaterThan(2);
  }, 60_000);
});
