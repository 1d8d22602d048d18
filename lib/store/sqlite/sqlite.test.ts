import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { MIGRATIONS } from "@/lib/store/migrations";
import { migrate, openDatabase, openSqliteStore } from ".";
import { AUDIT_DETAIL_MAX, AUDIT_TARGET_MAX, type ListingKey, type NewAuditRecord, type ObservedResource } from "@/lib/store/types";

const scope = { account: "111111111111", region: "us-east-1" };
/** Connections are listed per account (account-global); hosts per account × Region. */
const connections: ListingKey = { kind: "connection", account: scope.account, region: null };
const hosts: ListingKey = { kind: "host", ...scope };
const conn = (id: string, status: string, name = `conn-${id}`, region = scope.region): ObservedResource => ({ kind: "connection", account: scope.account, region, id, arn: `arn:aws:codeconnections:${region}:111111111111:connection/${id}`, name, provider: "GitHub", status });
const T = (m: number) => new Date(Date.UTC(2026, 10, 25, 12, m)).toISOString();

describe("history", () => {
  test("first listing is initial; unchanged listings write nothing; changes are recorded once", async () => {
    const s = openSqliteStore(":memory:");
    const first = await s.history.recordListing(connections, [conn("a", "PENDING"), conn("b", "AVAILABLE")], T(0));
    expect(first.map((e) => [e.id, e.fromStatus, e.toStatus, e.initial])).toEqual([
      ["a", null, "PENDING", true],
      ["b", null, "AVAILABLE", true],
    ]);
    expect((await s.history.recordListing(connections, [conn("a", "PENDING"), conn("b", "AVAILABLE")], T(1)))).toEqual([]);
    const changed = await s.history.recordListing(connections, [conn("a", "AVAILABLE"), conn("b", "AVAILABLE")], T(2));
    expect(changed.map((e) => [e.id, e.fromStatus, e.toStatus, e.initial])).toEqual([["a", "PENDING", "AVAILABLE", false]]);
    expect((await s.history.recordListing(connections, [conn("a", "AVAILABLE"), conn("b", "AVAILABLE")], T(3)))).toEqual([]);

    const a = await s.history.resource("connection", scope.account, scope.region, "a");
    expect(a).toMatchObject({ status: "AVAILABLE", firstSeenAt: T(0), statusSince: T(2), lastSeenAt: T(3), deletedAt: null });
    expect((await s.history.history("connection", scope.account, scope.region, "a")).map((e) => e.toStatus)).toEqual(["PENDING", "AVAILABLE"]);
    expect((await s.history.changesSince(T(0), 10)).map((e) => e.id)).toEqual(["a"]);
  });

  test("a connection missing from a complete listing is kept as deleted, and can reappear", async () => {
    const s = openSqliteStore(":memory:");
    await s.history.recordListing(connections, [conn("a", "PENDING"), conn("b", "AVAILABLE")], T(0));
    const gone = await s.history.recordListing(connections, [conn("b", "AVAILABLE")], T(1));
    expect(gone.map((e) => [e.id, e.fromStatus, e.toStatus])).toEqual([["a", "PENDING", "DELETED"]]);
    expect((await s.history.resources()).map((r) => r.id)).toEqual(["b"]);
    expect((await s.history.resources({ includeDeleted: true })).find((r) => r.id === "a")).toMatchObject({ deletedAt: T(1), status: "PENDING" });
    expect((await s.history.recordListing(connections, [conn("b", "AVAILABLE")], T(2)))).toEqual([]);
    const back = await s.history.recordListing(connections, [conn("a", "AVAILABLE"), conn("b", "AVAILABLE")], T(3));
    expect(back.map((e) => [e.id, e.fromStatus, e.toStatus])).toEqual([["a", "DELETED", "AVAILABLE"]]);
  });

  test("a failed listing changes no history", async () => {
    const s = openSqliteStore(":memory:");
    await s.history.recordListing(connections, [conn("a", "PENDING")], T(0));
    await s.history.recordFailure(connections, "access denied", T(5));
    expect((await s.history.resource("connection", scope.account, scope.region, "a"))).toMatchObject({ status: "PENDING", deletedAt: null, lastSeenAt: T(0) });
    expect((await s.history.listingStates())).toEqual([{ ...connections, firstCompleteAt: T(0), lastCompleteAt: T(0), lastAttemptAt: T(5), lastError: "access denied", answeredRegion: null }]);
    expect((await s.history.changesSince(T(0), 10))).toEqual([]);
  });

  test("hosts and connections are recorded independently", async () => {
    const s = openSqliteStore(":memory:");
    const host: ObservedResource = { kind: "host", ...scope, id: "ghes-1", arn: "arn:aws:codeconnections:us-east-1:111111111111:host/ghes-1", name: "ghes", provider: "GitHubEnterpriseServer", status: "PENDING" };
    await s.history.recordListing(hosts, [host], T(0));
    await s.history.recordListing(connections, [conn("a", "AVAILABLE")], T(0));
    // A listing of connections must not delete the host, nor a host listing the connection.
    expect((await s.history.recordListing(connections, [conn("a", "AVAILABLE")], T(1)))).toEqual([]);
    expect((await s.history.recordListing(hosts, [host], T(1)))).toEqual([]);
    expect((await s.history.resources({ kind: "host" }))).toHaveLength(1);
    expect((await s.history.resources({ kind: "connection" }))).toHaveLength(1);
  });

  test("an account's connection listing covers every home Region; a host listing only its Region", async () => {
    const s = openSqliteStore(":memory:");
    const first = await s.history.recordListing(connections, [conn("a", "PENDING", "a", "us-east-1"), conn("b", "AVAILABLE", "b", "eu-west-1")], T(0), "us-east-1");
    expect(first.map((e) => [e.region, e.id, e.initial])).toEqual([
      ["us-east-1", "a", true],
      ["eu-west-1", "b", true],
    ]);
    // The same listing answered by another Region's endpoint: one record per connection, nothing new.
    expect((await s.history.recordListing(connections, [conn("b", "AVAILABLE", "b", "eu-west-1"), conn("a", "PENDING", "a", "us-east-1")], T(1), "eu-west-1"))).toEqual([]);
    expect((await s.history.resources({ kind: "connection" }))).toHaveLength(2);
    expect((await s.history.listingStates())[0]).toMatchObject({ kind: "connection", region: null, answeredRegion: "eu-west-1", firstCompleteAt: T(0), lastCompleteAt: T(1) });
    // A connection of eu-west-1 missing from the account's listing is deleted, whatever Region answered.
    expect((await s.history.recordListing(connections, [conn("a", "PENDING", "a", "us-east-1")], T(2), "us-east-1")).map((e) => [e.region, e.id, e.toStatus])).toEqual([["eu-west-1", "b", "DELETED"]]);
    // Items of another account or kind are not this listing's to record.
    const other: ObservedResource = { ...conn("z", "PENDING"), account: "222222222222" };
    expect((await s.history.recordListing(connections, [conn("a", "PENDING", "a", "us-east-1"), other], T(3)))).toEqual([]);
    expect((await s.history.resources({ kind: "connection" })).map((r) => r.id)).toEqual(["a"]);

    const host = (id: string, region: string): ObservedResource => ({ kind: "host", account: scope.account, region, id, arn: `arn:aws:codeconnections:${region}:111111111111:host/${id}`, name: id, provider: "GitLabSelfManaged", status: "AVAILABLE" });
    await s.history.recordListing({ kind: "host", account: scope.account, region: "us-east-1" }, [host("h1", "us-east-1")], T(0));
    await s.history.recordListing({ kind: "host", account: scope.account, region: "eu-west-1" }, [host("h2", "eu-west-1")], T(0));
    // us-east-1's host listing does not delete eu-west-1's host, nor record it if it strays in.
    expect((await s.history.recordListing({ kind: "host", account: scope.account, region: "us-east-1" }, [host("h1", "us-east-1"), host("h9", "eu-west-1")], T(1)))).toEqual([]);
    expect((await s.history.resources({ kind: "host" })).map((r) => r.id).sort()).toEqual(["h1", "h2"]);
  });

  test("survives a restart: the file is reopened and nothing is duplicated", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-store-")), "t.db");
    const s1 = openSqliteStore(file);
    await s1.history.recordListing(connections, [conn("a", "PENDING")], T(0));
    await s1.close();
    const s2 = openSqliteStore(file);
    expect((await s2.history.recordListing(connections, [conn("a", "PENDING")], T(1)))).toEqual([]);
    expect((await s2.history.history("connection", scope.account, scope.region, "a"))).toHaveLength(1);
    await s2.close();
  });
});

describe("durability", () => {
  test("every open runs at synchronous FULL in WAL mode, also a file reopened after a restart", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-sync-")), "t.db");
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

describe("migration 5: connection listing state moves from per scope to per account", () => {
  test("every history entry and resource is kept; hosts keep their scope's state; connections take the account's", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-v4-")), "t.db");
    const db = new Database(file);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 4));
    const A = "111111111111";
    const B = "222222222222";
    const insertState = db.prepare("INSERT INTO scope_state (account, region, first_complete_at, last_complete_at, last_attempt_at, last_error) VALUES (?, ?, ?, ?, ?, ?)");
    // Account A: us-east-1 complete early, eu-west-1 complete later and then failing (the latest attempt).
    insertState.run(A, "us-east-1", T(0), T(10), T(10), null);
    insertState.run(A, "eu-west-1", T(2), T(12), T(20), "throttled");
    // Account B: never complete.
    insertState.run(B, "us-east-1", null, null, T(5), "access denied");
    const insertResource = db.prepare("INSERT INTO resources (kind, account, region, id, arn, name, provider, status, first_seen_at, status_since, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, 'GitHub', ?, ?, ?, ?)");
    const insertHistory = db.prepare("INSERT INTO status_history (kind, account, region, id, name, from_status, to_status, at, initial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const [region, id, status] of [["us-east-1", "c1", "PENDING"], ["eu-west-1", "c2", "AVAILABLE"]] as const) {
      insertResource.run("connection", A, region, id, `arn:aws:codeconnections:${region}:${A}:connection/${id}`, id, status, T(0), T(1), T(10));
      insertHistory.run("connection", A, region, id, id, null, "PENDING", T(0), 1);
      if (status === "AVAILABLE") insertHistory.run("connection", A, region, id, id, "PENDING", "AVAILABLE", T(1), 0);
    }
    insertResource.run("host", A, "us-east-1", "h1", `arn:aws:codeconnections:us-east-1:${A}:host/h1`, "h1", "AVAILABLE", T(0), T(0), T(10));
    insertHistory.run("host", A, "us-east-1", "h1", "h1", null, "AVAILABLE", T(0), 1);
    db.close();

    const s = openSqliteStore(file); // runs migration 5
    expect((await s.history.listingStates())).toEqual([
      { kind: "connection", account: A, region: null, firstCompleteAt: T(0), lastCompleteAt: T(12), lastAttemptAt: T(20), lastError: "throttled", answeredRegion: "eu-west-1" },
      { kind: "connection", account: B, region: null, firstCompleteAt: null, lastCompleteAt: null, lastAttemptAt: T(5), lastError: "access denied", answeredRegion: null },
      { kind: "host", account: A, region: "eu-west-1", firstCompleteAt: T(2), lastCompleteAt: T(12), lastAttemptAt: T(20), lastError: "throttled", answeredRegion: null },
      { kind: "host", account: A, region: "us-east-1", firstCompleteAt: T(0), lastCompleteAt: T(10), lastAttemptAt: T(10), lastError: null, answeredRegion: null },
      { kind: "host", account: B, region: "us-east-1", firstCompleteAt: null, lastCompleteAt: null, lastAttemptAt: T(5), lastError: "access denied", answeredRegion: null },
    ]);
    expect((await s.history.history("connection", A, "eu-west-1", "c2")).map((e) => e.toStatus)).toEqual(["PENDING", "AVAILABLE"]);
    expect((await s.history.history("host", A, "us-east-1", "h1"))).toHaveLength(1);
    expect((await s.history.resources()).map((r) => `${r.kind}/${r.region}/${r.id}`).sort()).toEqual(["connection/eu-west-1/c2", "connection/us-east-1/c1", "host/us-east-1/h1"]);
    // The next account-wide listing (from any Region) is not a first listing: unchanged → nothing written.
    const same = [
      { kind: "connection" as const, account: A, region: "us-east-1", id: "c1", arn: `arn:aws:codeconnections:us-east-1:${A}:connection/c1`, name: "c1", provider: "GitHub", status: "PENDING" },
      { kind: "connection" as const, account: A, region: "eu-west-1", id: "c2", arn: `arn:aws:codeconnections:eu-west-1:${A}:connection/c2`, name: "c2", provider: "GitHub", status: "AVAILABLE" },
    ];
    expect((await s.history.recordListing({ kind: "connection", account: A, region: null }, same, T(30), "ap-southeast-2"))).toEqual([]);
    // Account B never had a complete listing: its first one is initial.
    const bConn = { ...same[0], account: B, arn: `arn:aws:codeconnections:us-east-1:${B}:connection/c1` } as ObservedResource;
    expect((await s.history.recordListing({ kind: "connection", account: B, region: null }, [bConn], T(30))).map((e) => e.initial)).toEqual([true]);
    await s.close();
  });
});

describe("audit", () => {
  test("append-only, filterable", async () => {
    const s = openSqliteStore(":memory:");
    const a = await s.audit.append({ actor: "alice@example.com", actorRole: "admin", via: "session", action: "connection.resume", targetKind: "connection", target: "111111111111/us-east-1/a", targetName: "onboarding_github", outcome: "allowed", statusBefore: "PENDING" }, T(0));
    await s.audit.append({ actor: "bob@example.com", actorRole: "viewer", via: "session", action: "connection.resume", targetKind: "connection", target: "111111111111/us-east-1/a", outcome: "refused" }, T(1));
    expect((await s.audit.list({ outcome: "refused" }, { limit: 10, offset: 0 })).records.map((r) => r.actor)).toEqual(["bob@example.com"]);
    expect((await s.audit.list({ target: "onboarding_" }, { limit: 10, offset: 0 })).total).toBe(1);
    expect((await s.audit.list({ target: "%" }, { limit: 10, offset: 0 })).total).toBe(0);
    expect((await s.audit.list({ from: T(1) }, { limit: 10, offset: 0 })).total).toBe(1);
    expect((await s.audit.distinct("actor"))).toEqual(["alice@example.com", "bob@example.com"]);
    await expect(s.audit.append({ ...a, outcome: "completed", relatedId: 999 })).rejects.toThrow(/FOREIGN KEY/);
  });

  test("records cannot be changed or deleted", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-audit-")), "t.db");
    const s = openSqliteStore(file);
    await s.audit.append({ actor: "x", actorRole: "admin", via: "session", action: "a", targetKind: "t", target: "t", outcome: "allowed" });
    await s.close();
    const db = new Database(file);
    expect(() => db.prepare("UPDATE audit SET outcome = 'refused'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit").run()).toThrow(/append-only/);
  });
});

describe("9. audit: bounded records, and refusals cannot flood it", () => {
  const refusal = (target: string, over: Partial<NewAuditRecord> = {}): NewAuditRecord => ({ actor: "bob@example.com", actorRole: "viewer", via: "session", action: "pipeline.release", targetKind: "pipeline", target, outcome: "refused", detail: "role viewer", ...over });
  const S = (sec: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, sec)).toISOString();

  test("target, target name and detail are cut to a bounded length", async () => {
    const s = openSqliteStore(":memory:");
    const r = await s.audit.append({ ...refusal("t".repeat(16_384)), targetName: "n".repeat(16_384), detail: "d".repeat(16_384) });
    expect(r.target.length).toBe(AUDIT_TARGET_MAX);
    expect(r.target.endsWith("…")).toBe(true);
    expect(r.targetName?.length).toBe(AUDIT_TARGET_MAX);
    expect(r.detail?.length).toBe(AUDIT_DETAIL_MAX);
  });

  test("the first refusal is written at once; the actor's identical refusals of that minute become one summary when it ends", async () => {
    const s = openSqliteStore(":memory:");
    const first = await s.audit.refuse(refusal("111111111111/us-east-1/a"), S(0));
    expect(first?.target).toBe("111111111111/us-east-1/a");
    for (let i = 1; i < 500; i++) expect((await s.audit.refuse(refusal(`111111111111/us-east-1/x${i}`), S(i % 59)))).toBeNull();
    // Another actor, or another action, is not folded into bob's burst.
    expect((await s.audit.refuse(refusal("t", { actor: "eve@example.com" }), S(30)))).not.toBeNull();
    expect((await s.audit.refuse(refusal("t", { action: "connection.resume", targetKind: "connection" }), S(30)))).not.toBeNull();
    expect((await s.audit.list({}, { limit: 100, offset: 0 })).total).toBe(3);
    // Nothing to summarise before the minute ends.
    expect((await s.audit.closeBursts(S(59)))).toEqual([]);
    const [summary, ...others] = await s.audit.closeBursts(S(61));
    expect(others.map((o) => o.actor)).toEqual([]);
    expect(summary).toMatchObject({ actor: "bob@example.com", action: "pipeline.release", outcome: "refused", relatedId: first?.id, target: "several targets" });
    expect(summary?.detail).toMatch(/^and 499 more within a minute of #\d+; targets include 111111111111\/us-east-1\/x1, /);
    expect(summary?.detail?.length).toBeLessThanOrEqual(AUDIT_DETAIL_MAX);
    // eve's and the resume burst had nothing more: no summary for them, and nothing is summarised twice.
    expect((await s.audit.closeBursts(S(200)))).toEqual([]);
    expect((await s.audit.list({}, { limit: 100, offset: 0 })).total).toBe(4);
    // A new minute starts a new burst: its first refusal is written again.
    expect((await s.audit.refuse(refusal("111111111111/us-east-1/a"), S(62)))).not.toBeNull();
  });

  test("a burst left open (a restart) is summarised by the next refusal or close", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-audit-")), "t.db");
    let s = openSqliteStore(file);
    await s.audit.refuse(refusal("a"), S(0));
    await s.audit.refuse(refusal("a"), S(1));
    await s.close();
    s = openSqliteStore(file);
    expect((await s.audit.refuse(refusal("a"), S(90)))).not.toBeNull();
    const records = (await s.audit.list({}, { limit: 10, offset: 0 })).records;
    expect(records.map((r) => r.detail?.slice(0, 10))).toEqual(["role viewe", "and 1 more", "role viewe"]);
  });
});

describe("sessions", () => {
  const H = (h: number) => new Date(Date.UTC(2026, 10, 25, h)).toISOString();
  const start = (s: ReturnType<typeof openSqliteStore>, id: string, actor: string, h: number) => s.sessions.start({ id, actor, name: null, groups: [`g${h}`], createdAt: H(h), expiresAt: H(h + 12) });

  test("active, ended per session or per user (any case), latest sign-in, pruning keeps each user's latest", async () => {
    const s = openSqliteStore(":memory:");
    await start(s, "a", "bob@example.com", 0);
    await start(s, "b", "Bob@Example.com", 1);
    await start(s, "c", "alice@example.com", 2);
    expect((await s.sessions.isActive("a", Date.parse(H(5))))).toBe(true);
    expect((await s.sessions.isActive("a", Date.parse(H(12))))).toBe(false);
    expect((await s.sessions.active(Date.parse(H(5)))).map((x) => x.id)).toEqual(["c", "b", "a"]);
    expect((await s.sessions.endAllOf("BOB@example.com", "alice@example.com", "ended by an admin", H(5)))).toBe(2);
    expect((await s.sessions.active(Date.parse(H(5)))).map((x) => x.id)).toEqual(["c"]);
    expect((await s.sessions.end("c", "alice@example.com", "signed out", H(6)))).toBe(true);
    expect((await s.sessions.end("c", "alice@example.com", "signed out", H(7)))).toBe(false);
    expect((await s.sessions.latestOf("bob@example.com"))?.groups).toEqual(["g1"]);
    expect((await s.sessions.prune(H(40)))).toBe(1);
    expect(await Promise.all(["a", "b", "c"].map(async (id) => (await s.sessions.get(id))?.id ?? null))).toEqual([null, "b", "c"]);
  });
});

describe("latency pruning", () => {
  test("drops old finished rows and judged pushes nothing refers to; keeps pending values and recent rows", async () => {
    const s = openSqliteStore(":memory:");
    const old = "2026-11-01T00:00:00.000Z";
    const recent = "2026-11-24T00:00:00.000Z";
    const push = (id: string, at: string) => s.latency.storePushDelivery({ provider: "github", deliveryId: id, repository: "acme/web", branch: "main", sha: id.padEnd(40, "0"), beforeSha: null, paths: null, pushedAt: at, receivedAt: at }, "push");
    const a = await push("a", old);
    const b = await push("b", old);
    await push("c", recent);
    await s.latency.markEvaluated(a?.id ?? 0, old);
    await s.latency.markEvaluated(b?.id ?? 0, old);
    await s.latency.saveMissed({ pushId: b?.id ?? 0, account: "111111111111", region: "us-east-1", pipeline: "web", connectionId: null, provider: null, state: "missed", reason: "r", detectedAt: recent });
    const value = (source: string, at: string) => ({ metric: "MissedTrigger", unit: "Count", value: 1, at, pipeline: null, connectionId: null, provider: null, fleet: true, source });
    await s.latency.enqueue([value("published", old), value("waiting", old)], old);
    const [published] = await s.latency.due(old, 1);
    await s.latency.markPublished([published?.id ?? 0], old);

    await s.latency.prune("2026-11-10T00:00:00.000Z");
    expect((await s.latency.recentPushes(10)).map((p) => p.deliveryId).sort()).toEqual(["b", "c"]); // b: a missed trigger refers to it
    expect((await s.latency.outboxCounts())).toEqual({ pending: 1, published: 0, dropped: 0 });
    // The delivery id of the pruned push is forgotten too, so a (very late) re-delivery is stored again.
    expect(await push("a", old)).not.toBeNull();
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
    expect((await s.latency.recentPushes(100))).toHaveLength(21);
  });

  test("a write that throws is rolled back alone; the others of its batch commit", async () => {
    const s = openSqliteStore(":memory:");
    const at = "2026-11-24T00:00:00.000Z";
    const good = (id: string) => s.latency.storePushDelivery({ provider: "github", deliveryId: id, repository: "acme/web", branch: "main", sha: id.padEnd(40, "0"), beforeSha: null, paths: null, pushedAt: at, receivedAt: at }, "push");
    // A NOT NULL violation on the push row, after its delivery row was written in the same savepoint.
    const bad = s.latency.storePushDelivery({ provider: "github", deliveryId: "bad", repository: null as unknown as string, branch: "main", sha: "b".repeat(40), beforeSha: null, paths: null, pushedAt: at, receivedAt: at }, "push");
    const results = await Promise.allSettled([good("g1"), bad, good("g2")]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await s.latency.recentPushes(10)).map((p) => p.deliveryId).sort()).toEqual(["g1", "g2"]);
    // The failed one's delivery id was rolled back with it: the provider's retry is stored.
    expect(await good("bad")).not.toBeNull();
  });
});
