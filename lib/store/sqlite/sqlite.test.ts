import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { MIGRATIONS } from "@/lib/store/migrations";
import { defineStoreSuite, type StoreEngine } from "@/lib/store/store.suite";
import { migrate, openDatabase, openSqliteStore } from ".";

const tempFile = (prefix: string) => path.join(mkdtempSync(path.join(os.tmpdir(), prefix)), "t.db");

/** SQLite for the shared suite: an in-memory store each, a file for what must survive a restart. */
const sqlite: StoreEngine = {
  name: "sqlite",
  store: async () => openSqliteStore(":memory:"),
  database: async () => {
    const file = tempFile("tether-store-");
    const raw = <T>(work: (db: Database.Database) => T): T => {
      const db = new Database(file);
      try {
        return work(db);
      } finally {
        db.close();
      }
    };
    return {
      open: () => openSqliteStore(file),
      exec: async (sql) => raw((db) => void db.exec(sql)),
      insert: async (table, row) => raw((db) => void db.prepare(`INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.keys(row).map(() => "?").join(", ")})`).run(...Object.values(row))),
      migrateTo: async (version) => raw((db) => void migrate(db, MIGRATIONS.filter((m) => m.version <= version))),
    };
  },
  cleanup: async () => undefined,
};

defineStoreSuite(sqlite);

describe("durability", () => {
  test("every open runs at synchronous FULL in WAL mode, also a file reopened after a restart", async () => {
    const file = tempFile("tether-sync-");
    // FULL = 2, NORMAL = 1 (https://www.sqlite.org/pragma.html#pragma_synchronous).
    const first = openDatabase(file);
    expect(first.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(first.pragma("synchronous", { simple: true })).toBe(2);
    first.close();
    // A plain reopen shows what the file alone would give: better-sqlite3's WAL default, NORMAL.
    const plain = new Database(file);
    expect(plain.pragma("synchronous", { simple: true })).toBe(1);
    plain.close();
    const reopened = openDatabase(file);
    expect(reopened.pragma("synchronous", { simple: true })).toBe(2);
    reopened.close();
  });
});

describe("migrations", () => {
  test("run once, in order, and are recorded", async () => {
    const db = new Database(":memory:");
    const ms = [
      { version: 2, name: "two", sqlite: "ALTER TABLE t ADD COLUMN b TEXT", postgres: "" },
      { version: 1, name: "one", sqlite: "CREATE TABLE t (a TEXT)", postgres: "" },
    ];
    expect(migrate(db, ms)).toEqual([1, 2]);
    expect(migrate(db, ms)).toEqual([]);
    expect(migrate(db, [...ms, { version: 3, name: "three", sqlite: "CREATE TABLE u (x)", postgres: "" }])).toEqual([3]);
  });

  test("a failing migration leaves nothing half-applied", async () => {
    const db = new Database(":memory:");
    expect(() => migrate(db, [{ version: 1, name: "bad", sqlite: "CREATE TABLE t (a); CREATE TABLE t (a);", postgres: "" }])).toThrow();
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()).toEqual({ n: 0 });
  });
});

describe("group commit", () => {
  test("deliveries that arrive together share one transaction; each is answered after it committed", async () => {
    const s = openSqliteStore(":memory:");
    const at = "2026-11-24T00:00:00.000Z";
    const sha40 = (x: string) => createHash("sha1").update(x).digest("hex");
    const push = (id: string, sha = id) => s.latency.storePushDelivery({ provider: "github", deliveryId: id, repository: "acme/web", branch: "main", sha: sha40(sha), beforeSha: null, paths: null, pushedAt: at, receivedAt: at }, "push");
    const stats = () => (s.latency as unknown as { groupCommitStats(): Promise<{ transactions: number; writes: number }> }).groupCommitStats();
    // Twenty submitted in the same turn of the event loop: one transaction.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => push(`d${i}`)));
    expect(burst.every((r) => r !== null)).toBe(true);
    expect(await stats()).toEqual({ transactions: 1, writes: 20 });
    // A re-delivery and a replay in the same batch as a new push: duplicates, the new one stored.
    const [redelivered, replayed, fresh] = await Promise.all([push("d1"), push("other-id", "d2"), push("new")]);
    expect([redelivered, replayed, fresh === null]).toEqual([null, null, false]);
    expect(await stats()).toEqual({ transactions: 2, writes: 23 });
    expect(await s.latency.recentPushes(100)).toHaveLength(21);
  });
});
