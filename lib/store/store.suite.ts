import { createHash } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import type { AlertEvent, AlertSubject, Execution, PipelineDefinition, PipelineListing } from "@/lib/types";
import { AUDIT_DETAIL_MAX, AUDIT_TARGET_MAX, DISCOVERY_RUNS_KEPT, MAX_REVISION_ATTEMPTS } from "@/lib/store/types";
import type { AlertChanges, AlertTracking, ListingKey, MetricValue, NewAuditRecord, NewPush, ObservedResource, PipelineUse, Store } from "@/lib/store/types";

/**
 * The repositories' contract, one suite for both engines: lib/store/sqlite/sqlite.test.ts and
 * lib/store/postgres/postgres.test.ts run it with their engine. Engine-specific behaviour (SQLite's
 * synchronous level and group commit, PostgreSQL's migration lock and reconnection) is tested in
 * those files only.
 */

/** A database that outlives its stores: a store closed and opened again on it is a restart. */
export interface EngineDatabase {
  open(): Store;
  /** Raw SQL on the database, outside the store (to look at or tamper with what it wrote). */
  exec(sql: string): Promise<void>;
  /** One row written directly (data an older schema version left). */
  insert(table: string, row: Record<string, unknown>): Promise<void>;
  /** Migrates the empty database up to `version` only. */
  migrateTo(version: number): Promise<void>;
}

export interface StoreEngine {
  name: string;
  /** A store of its own, empty and migrated. */
  store(): Promise<Store>;
  /** An empty database of its own, not migrated. */
  database(): Promise<EngineDatabase>;
  /** Closes what the suite opened. */
  cleanup(): Promise<void>;
}

const scope = { account: "111111111111", region: "us-east-1" };
/** Connections are listed per account (account-global); hosts per account × Region. */
const connections: ListingKey = { kind: "connection", account: scope.account, region: null };
const hosts: ListingKey = { kind: "host", ...scope };
const conn = (id: string, status: string, name = `conn-${id}`, region = scope.region): ObservedResource => ({ kind: "connection", account: scope.account, region, id, arn: `arn:aws:codeconnections:${region}:111111111111:connection/${id}`, name, provider: "GitHub", status });
const T = (m: number) => new Date(Date.UTC(2026, 10, 25, 12, m)).toISOString();
const sha40 = (x: string) => createHash("sha1").update(x).digest("hex");
const push = (id: string, over: Partial<NewPush> = {}): NewPush => ({ provider: "github", deliveryId: id, repository: "acme/web", branch: "main", sha: sha40(id), beforeSha: null, paths: null, pushedAt: T(0), receivedAt: T(0), ...over });
const metric = (source: string, over: Partial<MetricValue> = {}): MetricValue & { source: string } => ({ metric: "MissedTrigger", unit: "Count", value: 1, at: T(0), pipeline: null, connectionId: null, provider: null, fleet: true, source, ...over });
const execution = (id: string, over: Partial<Execution> = {}): Execution => ({ executionId: id, status: "Succeeded", startTime: T(1), lastUpdateTime: T(2), triggerType: "Webhook", triggerDetail: "arn:…", revisionId: sha40(id), revisionSummary: null, ...over });

const alertSubject: AlertSubject = { kind: "connection", id: "b46e6780-f86f-4021-b10c-ccba2f8e35b4", name: "docs-site-github", account: "111111111111", region: "us-east-1", arn: "arn:aws:codeconnections:us-east-1:111111111111:connection/b46e6780-f86f-4021-b10c-ccba2f8e35b4", provider: "GitHub" };
const alertKey = "connection|111111111111|us-east-1|b46e6780-f86f-4021-b10c-ccba2f8e35b4";
const alertEvent = (state: "firing" | "resolved", at: string): AlertEvent => ({ rule: "connection-error", ruleTitle: "Connection in ERROR", state, since: T(0), firedAt: T(1), resolvedAt: state === "resolved" ? at : null, summary: "docs-site-github is ERROR", detail: "…", subject: alertSubject, guidance: null });
const noChanges = { track: [], untrack: [], fire: [], renotify: [], resolve: [], refresh: [] } satisfies Omit<AlertChanges, "at">;
const tracked = (over: Partial<AlertTracking> = {}): AlertTracking => ({ ruleId: "connection-error", subjectKey: alertKey, observedSince: T(0), trueCount: 2, falseCount: 0, evaluatedAt: T(1), ...over });
/** One evaluation that fires the connection-error alert on alertSubject (what two polls in ERROR decide). */
const fireAlert = (s: Store, at: string, channels = ["slack-1", "webhook-1"], notified = true) =>
  s.alerts.apply({ ...noChanges, at, track: [tracked({ evaluatedAt: at })], fire: [{ ruleId: "connection-error", subjectKey: alertKey, subject: alertSubject, since: T(0), summary: "docs-site-github is ERROR", detail: "…", event: alertEvent("firing", at), notified, note: notified ? null : "silenced", channels }] });

/**
 * Opens the store's connections before a concurrent part, so the calls that follow really overlap
 * (new connections are made one after the other, which would serialise them by accident).
 */
const warm = (s: Store) => Promise.all(Array.from({ length: 5 }, () => s.sessions.get("warm-up")));

export function defineStoreSuite(engine: StoreEngine): void {
  afterAll(() => engine.cleanup());

  describe(`${engine.name}: history`, () => {
    test("first listing is initial; unchanged listings write nothing; changes are recorded once", async () => {
      const s = await engine.store();
      const first = await s.history.recordListing(connections, [conn("a", "PENDING"), conn("b", "AVAILABLE")], T(0));
      expect(first.map((e) => [e.id, e.fromStatus, e.toStatus, e.initial])).toEqual([
        ["a", null, "PENDING", true],
        ["b", null, "AVAILABLE", true],
      ]);
      expect(await s.history.recordListing(connections, [conn("a", "PENDING"), conn("b", "AVAILABLE")], T(1))).toEqual([]);
      const changed = await s.history.recordListing(connections, [conn("a", "AVAILABLE"), conn("b", "AVAILABLE")], T(2));
      expect(changed.map((e) => [e.id, e.fromStatus, e.toStatus, e.initial])).toEqual([["a", "PENDING", "AVAILABLE", false]]);
      expect(await s.history.recordListing(connections, [conn("a", "AVAILABLE"), conn("b", "AVAILABLE")], T(3))).toEqual([]);

      const a = await s.history.resource("connection", scope.account, scope.region, "a");
      expect(a).toMatchObject({ status: "AVAILABLE", firstSeenAt: T(0), statusSince: T(2), lastSeenAt: T(3), deletedAt: null });
      expect((await s.history.history("connection", scope.account, scope.region, "a")).map((e) => e.toStatus)).toEqual(["PENDING", "AVAILABLE"]);
      expect((await s.history.changesSince(T(0), 10)).map((e) => e.id)).toEqual(["a"]);
      // The entries returned are the ones stored, seq included.
      expect(await s.history.history("connection", scope.account, scope.region, "a")).toEqual([first[0], changed[0]]);
    });

    test("a connection missing from a complete listing is kept as deleted, and can reappear", async () => {
      const s = await engine.store();
      await s.history.recordListing(connections, [conn("a", "PENDING"), conn("b", "AVAILABLE")], T(0));
      const gone = await s.history.recordListing(connections, [conn("b", "AVAILABLE")], T(1));
      expect(gone.map((e) => [e.id, e.fromStatus, e.toStatus])).toEqual([["a", "PENDING", "DELETED"]]);
      expect((await s.history.resources()).map((r) => r.id)).toEqual(["b"]);
      expect((await s.history.resources({ includeDeleted: true })).find((r) => r.id === "a")).toMatchObject({ deletedAt: T(1), status: "PENDING", statusSince: T(1) });
      expect(await s.history.recordListing(connections, [conn("b", "AVAILABLE")], T(2))).toEqual([]);
      // Back with the status it had: still a change (from DELETED).
      const back = await s.history.recordListing(connections, [conn("a", "PENDING"), conn("b", "AVAILABLE")], T(3));
      expect(back.map((e) => [e.id, e.fromStatus, e.toStatus])).toEqual([["a", "DELETED", "PENDING"]]);
      expect(await s.history.resource("connection", scope.account, scope.region, "a")).toMatchObject({ deletedAt: null, status: "PENDING", statusSince: T(3) });
    });

    test("ids match whatever their case, and keep the case first seen; changes come newest first, up to the limit", async () => {
      const s = await engine.store();
      await s.history.recordListing(connections, [conn("AbC", "PENDING")], T(0));
      // AWS answering in another case is the same connection, not a deletion and a new one.
      expect((await s.history.recordListing(connections, [conn("abc", "AVAILABLE")], T(1))).map((e) => [e.id, e.toStatus])).toEqual([["AbC", "AVAILABLE"]]);
      expect((await s.history.findById("connection", "ABC")).map((r) => r.id)).toEqual(["AbC"]);
      expect(await s.history.findById("host", "abc")).toEqual([]);
      // NOCASE folds ASCII letters only, on both engines.
      await s.history.recordListing(connections, [conn("abc", "AVAILABLE"), conn("Éa", "PENDING")], T(2));
      expect((await s.history.findById("connection", "Éa")).map((r) => r.id)).toEqual(["Éa"]);
      expect(await s.history.findById("connection", "éa")).toEqual([]);
      await s.history.recordListing(connections, [conn("abc", "PENDING"), conn("Éa", "AVAILABLE")], T(3));
      // Éa is new after the first complete listing: a change, not an initial entry.
      expect((await s.history.changesSince(T(1), 10)).map((e) => [e.id, e.toStatus])).toEqual([
        ["Éa", "AVAILABLE"],
        ["AbC", "PENDING"],
        ["Éa", "PENDING"],
        ["AbC", "AVAILABLE"],
      ]);
      expect((await s.history.changesSince(T(1), 2)).map((e) => e.toStatus)).toEqual(["AVAILABLE", "PENDING"]);
      expect(await s.history.changesSince(T(4), 10)).toEqual([]);
    });

    test("a failed listing changes no history", async () => {
      const s = await engine.store();
      await s.history.recordListing(connections, [conn("a", "PENDING")], T(0));
      await s.history.recordFailure(connections, "access denied", T(5));
      expect(await s.history.resource("connection", scope.account, scope.region, "a")).toMatchObject({ status: "PENDING", deletedAt: null, lastSeenAt: T(0) });
      expect(await s.history.listingStates()).toEqual([{ ...connections, firstCompleteAt: T(0), lastCompleteAt: T(0), lastAttemptAt: T(5), lastError: "access denied", answeredRegion: null }]);
      expect(await s.history.changesSince(T(0), 10)).toEqual([]);
      // The next complete listing clears the error; a failure of a listing never complete is kept too.
      await s.history.recordListing(connections, [conn("a", "PENDING")], T(6));
      await s.history.recordFailure(hosts, "throttled", T(6));
      expect(await s.history.listingStates()).toEqual([
        { ...connections, firstCompleteAt: T(0), lastCompleteAt: T(6), lastAttemptAt: T(6), lastError: null, answeredRegion: null },
        { ...hosts, firstCompleteAt: null, lastCompleteAt: null, lastAttemptAt: T(6), lastError: "throttled", answeredRegion: null },
      ]);
    });

    test("hosts and connections are recorded independently", async () => {
      const s = await engine.store();
      const host: ObservedResource = { kind: "host", ...scope, id: "ghes-1", arn: "arn:aws:codeconnections:us-east-1:111111111111:host/ghes-1", name: "ghes", provider: "GitHubEnterpriseServer", status: "PENDING" };
      await s.history.recordListing(hosts, [host], T(0));
      await s.history.recordListing(connections, [conn("a", "AVAILABLE")], T(0));
      // A listing of connections must not delete the host, nor a host listing the connection.
      expect(await s.history.recordListing(connections, [conn("a", "AVAILABLE")], T(1))).toEqual([]);
      expect(await s.history.recordListing(hosts, [host], T(1))).toEqual([]);
      expect(await s.history.resources({ kind: "host" })).toHaveLength(1);
      expect(await s.history.resources({ kind: "connection" })).toHaveLength(1);
    });

    test("an account's connection listing covers every home Region; a host listing only its Region", async () => {
      const s = await engine.store();
      const first = await s.history.recordListing(connections, [conn("a", "PENDING", "a", "us-east-1"), conn("b", "AVAILABLE", "b", "eu-west-1")], T(0), "us-east-1");
      expect(first.map((e) => [e.region, e.id, e.initial])).toEqual([
        ["us-east-1", "a", true],
        ["eu-west-1", "b", true],
      ]);
      // The same listing answered by another Region's endpoint: one record per connection, nothing new.
      expect(await s.history.recordListing(connections, [conn("b", "AVAILABLE", "b", "eu-west-1"), conn("a", "PENDING", "a", "us-east-1")], T(1), "eu-west-1")).toEqual([]);
      expect(await s.history.resources({ kind: "connection" })).toHaveLength(2);
      expect((await s.history.listingStates())[0]).toMatchObject({ kind: "connection", region: null, answeredRegion: "eu-west-1", firstCompleteAt: T(0), lastCompleteAt: T(1) });
      // A connection of eu-west-1 missing from the account's listing is deleted, whatever Region answered.
      expect((await s.history.recordListing(connections, [conn("a", "PENDING", "a", "us-east-1")], T(2), "us-east-1")).map((e) => [e.region, e.id, e.toStatus])).toEqual([["eu-west-1", "b", "DELETED"]]);
      // Items of another account or kind are not this listing's to record.
      const other: ObservedResource = { ...conn("z", "PENDING"), account: "222222222222" };
      expect(await s.history.recordListing(connections, [conn("a", "PENDING", "a", "us-east-1"), other], T(3))).toEqual([]);
      expect((await s.history.resources({ kind: "connection" })).map((r) => r.id)).toEqual(["a"]);

      const host = (id: string, region: string): ObservedResource => ({ kind: "host", account: scope.account, region, id, arn: `arn:aws:codeconnections:${region}:111111111111:host/${id}`, name: id, provider: "GitLabSelfManaged", status: "AVAILABLE" });
      await s.history.recordListing({ kind: "host", account: scope.account, region: "us-east-1" }, [host("h1", "us-east-1")], T(0));
      await s.history.recordListing({ kind: "host", account: scope.account, region: "eu-west-1" }, [host("h2", "eu-west-1")], T(0));
      // us-east-1's host listing does not delete eu-west-1's host, nor record it if it strays in.
      expect(await s.history.recordListing({ kind: "host", account: scope.account, region: "us-east-1" }, [host("h1", "us-east-1"), host("h9", "eu-west-1")], T(1))).toEqual([]);
      expect((await s.history.resources({ kind: "host" })).map((r) => r.id).sort()).toEqual(["h1", "h2"]);
    });

    test("a listing of thousands is recorded, and the next identical one writes nothing", async () => {
      const s = await engine.store();
      const many = Array.from({ length: 1500 }, (_, i) => conn(`c${String(i).padStart(4, "0")}`, i % 3 ? "AVAILABLE" : "PENDING"));
      expect(await s.history.recordListing(connections, many, T(0))).toHaveLength(1500);
      expect(await s.history.recordListing(connections, many, T(1))).toEqual([]);
      const changed = many.map((r, i) => (i < 10 ? { ...r, status: "ERROR" } : r)).slice(0, 1400);
      const written = await s.history.recordListing(connections, changed, T(2));
      expect(written.filter((e) => e.toStatus === "ERROR")).toHaveLength(10);
      expect(written.filter((e) => e.toStatus === "DELETED")).toHaveLength(100);
      // seq follows the order written.
      expect(written.map((e) => e.seq)).toEqual([...written.map((e) => e.seq)].sort((a, b) => a - b));
      expect(await s.history.resources({ kind: "connection" })).toHaveLength(1400);
    });

    test("recording the same listing from two callers at once writes its history once", async () => {
      const s = await engine.store();
      const items = Array.from({ length: 200 }, (_, i) => conn(`c${i}`, "PENDING"));
      await warm(s);
      const results = await Promise.all(Array.from({ length: 5 }, () => s.history.recordListing(connections, items, T(0))));
      expect(results.map((r) => r.length).sort((x, y) => x - y)).toEqual([0, 0, 0, 0, 200]);
      expect(await s.history.history("connection", scope.account, scope.region, "c0")).toHaveLength(1);
      expect(await s.history.changesSince(T(0), 1000)).toEqual([]);
      // Two listings of different keys at once: both recorded, neither deletes the other's.
      const eu: ListingKey = { kind: "host", account: scope.account, region: "eu-west-1" };
      const host = (id: string, region: string): ObservedResource => ({ kind: "host", account: scope.account, region, id, arn: `arn:aws:codeconnections:${region}:111111111111:host/${id}`, name: id, provider: "GitLabSelfManaged", status: "AVAILABLE" });
      await Promise.all([s.history.recordListing(hosts, [host("h1", "us-east-1")], T(1)), s.history.recordListing(eu, [host("h2", "eu-west-1")], T(1)), s.history.recordListing(connections, items, T(1))]);
      expect(await s.history.resources({ kind: "connection" })).toHaveLength(200);
      expect((await s.history.resources()).map((r) => `${r.kind}/${r.id}`).filter((k) => k.startsWith("host/") || k === "connection/c0").sort()).toEqual(["connection/c0", "host/h1", "host/h2"]);
      expect((await s.history.listingStates()).map((l) => `${l.kind}/${l.region}`)).toEqual(["connection/null", "host/eu-west-1", "host/us-east-1"]);
    });

    test("survives a restart: the database is reopened and nothing is duplicated", async () => {
      const db = await engine.database();
      const s1 = db.open();
      await s1.history.recordListing(connections, [conn("a", "PENDING")], T(0));
      await s1.close();
      const s2 = db.open();
      expect(await s2.history.recordListing(connections, [conn("a", "PENDING")], T(1))).toEqual([]);
      expect(await s2.history.history("connection", scope.account, scope.region, "a")).toHaveLength(1);
      await s2.close();
    });
  });

  describe(`${engine.name}: migration 5: connection listing state moves from per scope to per account`, () => {
    test("every history entry and resource is kept; hosts keep their scope's state; connections take the account's", async () => {
      const db = await engine.database();
      await db.migrateTo(4);
      const A = "111111111111";
      const B = "222222222222";
      const state = (account: string, region: string, first: string | null, last: string | null, attempt: string, error: string | null) => db.insert("scope_state", { account, region, first_complete_at: first, last_complete_at: last, last_attempt_at: attempt, last_error: error });
      // Account A: us-east-1 complete early, eu-west-1 complete later and then failing (the latest attempt).
      await state(A, "us-east-1", T(0), T(10), T(10), null);
      await state(A, "eu-west-1", T(2), T(12), T(20), "throttled");
      // Account B: never complete.
      await state(B, "us-east-1", null, null, T(5), "access denied");
      const resource = (kind: string, region: string, id: string, status: string) => db.insert("resources", { kind, account: A, region, id, arn: `arn:aws:codeconnections:${region}:${A}:${kind}/${id}`, name: id, provider: "GitHub", status, first_seen_at: T(0), status_since: T(1), last_seen_at: T(10) });
      const entry = (kind: string, region: string, id: string, from: string | null, to: string, at: string, initial: number) => db.insert("status_history", { kind, account: A, region, id, name: id, from_status: from, to_status: to, at, initial });
      for (const [region, id, status] of [["us-east-1", "c1", "PENDING"], ["eu-west-1", "c2", "AVAILABLE"]] as const) {
        await resource("connection", region, id, status);
        await entry("connection", region, id, null, "PENDING", T(0), 1);
        if (status === "AVAILABLE") await entry("connection", region, id, "PENDING", "AVAILABLE", T(1), 0);
      }
      await resource("host", "us-east-1", "h1", "AVAILABLE");
      await entry("host", "us-east-1", "h1", null, "AVAILABLE", T(0), 1);

      const s = db.open(); // runs migrations 5 and later
      expect(await s.history.listingStates()).toEqual([
        { kind: "connection", account: A, region: null, firstCompleteAt: T(0), lastCompleteAt: T(12), lastAttemptAt: T(20), lastError: "throttled", answeredRegion: "eu-west-1" },
        { kind: "connection", account: B, region: null, firstCompleteAt: null, lastCompleteAt: null, lastAttemptAt: T(5), lastError: "access denied", answeredRegion: null },
        { kind: "host", account: A, region: "eu-west-1", firstCompleteAt: T(2), lastCompleteAt: T(12), lastAttemptAt: T(20), lastError: "throttled", answeredRegion: null },
        { kind: "host", account: A, region: "us-east-1", firstCompleteAt: T(0), lastCompleteAt: T(10), lastAttemptAt: T(10), lastError: null, answeredRegion: null },
        { kind: "host", account: B, region: "us-east-1", firstCompleteAt: null, lastCompleteAt: null, lastAttemptAt: T(5), lastError: "access denied", answeredRegion: null },
      ]);
      expect((await s.history.history("connection", A, "eu-west-1", "c2")).map((e) => e.toStatus)).toEqual(["PENDING", "AVAILABLE"]);
      expect(await s.history.history("host", A, "us-east-1", "h1")).toHaveLength(1);
      expect((await s.history.resources()).map((r) => `${r.kind}/${r.region}/${r.id}`).sort()).toEqual(["connection/eu-west-1/c2", "connection/us-east-1/c1", "host/us-east-1/h1"]);
      // The next account-wide listing (from any Region) is not a first listing: unchanged → nothing written.
      const same = [
        { kind: "connection" as const, account: A, region: "us-east-1", id: "c1", arn: `arn:aws:codeconnections:us-east-1:${A}:connection/c1`, name: "c1", provider: "GitHub", status: "PENDING" },
        { kind: "connection" as const, account: A, region: "eu-west-1", id: "c2", arn: `arn:aws:codeconnections:eu-west-1:${A}:connection/c2`, name: "c2", provider: "GitHub", status: "AVAILABLE" },
      ];
      expect(await s.history.recordListing({ kind: "connection", account: A, region: null }, same, T(30), "ap-southeast-2")).toEqual([]);
      // Account B never had a complete listing: its first one is initial.
      const bConn = { ...same[0], account: B, arn: `arn:aws:codeconnections:us-east-1:${B}:connection/c1` } as ObservedResource;
      expect((await s.history.recordListing({ kind: "connection", account: B, region: null }, [bConn], T(30))).map((e) => e.initial)).toEqual([true]);
      // The history written before the migration continues: seq goes on from the last one.
      const [c1] = await s.history.history("connection", B, "us-east-1", "c1");
      expect(c1?.seq).toBeGreaterThan(4);
      await s.close();
    });
  });

  const record = (over: Partial<NewAuditRecord> = {}): NewAuditRecord => ({ actor: "alice@example.com", actorRole: "admin", via: "session", action: "connection.resume", targetKind: "connection", target: "111111111111/us-east-1/a", outcome: "allowed", ...over });

  describe(`${engine.name}: audit`, () => {
    test("append-only, filterable", async () => {
      const s = await engine.store();
      const a = await s.audit.append({ actor: "alice@example.com", actorRole: "admin", via: "session", action: "connection.resume", targetKind: "connection", target: "111111111111/us-east-1/a", targetName: "onboarding_github", outcome: "allowed", statusBefore: "PENDING" }, T(0));
      await s.audit.append({ actor: "bob@example.com", actorRole: "viewer", via: "session", action: "connection.resume", targetKind: "connection", target: "111111111111/us-east-1/a", outcome: "refused" }, T(1));
      expect((await s.audit.list({ outcome: "refused" }, { limit: 10, offset: 0 })).records.map((r) => r.actor)).toEqual(["bob@example.com"]);
      expect((await s.audit.list({ target: "onboarding_" }, { limit: 10, offset: 0 })).total).toBe(1);
      expect((await s.audit.list({ target: "%" }, { limit: 10, offset: 0 })).total).toBe(0);
      expect((await s.audit.list({ from: T(1) }, { limit: 10, offset: 0 })).total).toBe(1);
      expect(await s.audit.distinct("actor")).toEqual(["alice@example.com", "bob@example.com"]);
      await expect(s.audit.append({ ...a, outcome: "completed", relatedId: 999 })).rejects.toThrow(/foreign key/i);
    });

    test("every field is kept; filters combine; pages go newest first; the target matches ignoring ASCII case", async () => {
      const s = await engine.store();
      const first = await s.audit.append(record({ targetName: "Onboarding_GitHub", statusBefore: "PENDING", detail: "d" }), T(0));
      expect(first).toEqual({ id: first.id, at: T(0), actor: "alice@example.com", actorRole: "admin", via: "session", action: "connection.resume", targetKind: "connection", target: "111111111111/us-east-1/a", targetName: "Onboarding_GitHub", outcome: "allowed", statusBefore: "PENDING", detail: "d", relatedId: null });
      expect(await s.audit.get(first.id)).toEqual(first);
      expect(await s.audit.get(first.id + 1000)).toBeNull();
      const outcome = await s.audit.append(record({ action: "connection.resume.outcome", outcome: "completed", relatedId: first.id }), T(1));
      await s.audit.append(record({ actor: "Bob@example.com", actorRole: "viewer", outcome: "refused", target: "x/y/z" }), T(2));
      await s.audit.append(record({ actor: "system", actorRole: "none", via: "system", action: "pipeline.release" }), T(3));
      expect(await s.audit.relatedTo([first.id])).toEqual([outcome]);
      expect(await s.audit.relatedTo([])).toEqual([]);
      expect(await s.audit.relatedTo([outcome.id])).toEqual([]);

      const page = (limit: number, offset: number) => s.audit.list({}, { limit, offset });
      expect((await page(2, 0)).records.map((r) => r.at)).toEqual([T(3), T(2)]);
      expect(await page(2, 2)).toEqual({ records: [outcome, first], total: 4 });
      expect((await page(2, 4)).records).toEqual([]);
      expect((await s.audit.list({ actor: "alice@example.com", action: "connection.resume" }, { limit: 10, offset: 0 })).records).toEqual([first]);
      expect((await s.audit.list({ from: T(1), to: T(3) }, { limit: 10, offset: 0 })).records.map((r) => r.at)).toEqual([T(2), T(1)]);
      // SQLite's LIKE ignores the case of ASCII letters: so does the target filter on both engines.
      expect((await s.audit.list({ target: "onboarding_github" }, { limit: 10, offset: 0 })).records).toEqual([first]);
      expect((await s.audit.list({ target: "X/Y" }, { limit: 10, offset: 0 })).total).toBe(1);
      expect((await s.audit.list({ target: "_" }, { limit: 10, offset: 0 })).total).toBe(1);
      // Byte order, as SQLite sorts: upper case before lower case.
      expect(await s.audit.distinct("actor")).toEqual(["Bob@example.com", "alice@example.com", "system"]);
      expect(await s.audit.distinct("outcome")).toEqual(["allowed", "completed", "refused"]);
      expect(await s.audit.distinct("action")).toEqual(["connection.resume", "connection.resume.outcome", "pipeline.release"]);
    });

    test("records cannot be changed or deleted, by the database itself", async () => {
      const db = await engine.database();
      const s = db.open();
      await s.audit.append({ actor: "x", actorRole: "admin", via: "session", action: "a", targetKind: "t", target: "t", outcome: "allowed" });
      await s.close();
      await expect(db.exec("UPDATE audit SET outcome = 'refused'")).rejects.toThrow(/append-only/);
      await expect(db.exec("DELETE FROM audit")).rejects.toThrow(/append-only/);
      const again = db.open();
      expect((await again.audit.list({}, { limit: 10, offset: 0 })).records.map((r) => r.outcome)).toEqual(["allowed"]);
      await again.close();
    });

    test("appends from many callers at once: none lost, every id distinct", async () => {
      const s = await engine.store();
      await warm(s);
      const records = await Promise.all(Array.from({ length: 50 }, (_, i) => s.audit.append(record({ target: `t${i}` }), T(0))));
      expect(new Set(records.map((r) => r.id)).size).toBe(50);
      const listed = await s.audit.list({}, { limit: 100, offset: 0 });
      expect(listed.total).toBe(50);
      expect(listed.records.map((r) => r.target).sort()).toEqual(records.map((r) => r.target).sort());
    });
  });

  describe(`${engine.name}: 9. audit: bounded records, and refusals cannot flood it`, () => {
    const refusal = (target: string, over: Partial<NewAuditRecord> = {}): NewAuditRecord => ({ actor: "bob@example.com", actorRole: "viewer", via: "session", action: "pipeline.release", targetKind: "pipeline", target, outcome: "refused", detail: "role viewer", ...over });
    const S = (sec: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, sec)).toISOString();

    test("target, target name and detail are cut to a bounded length", async () => {
      const s = await engine.store();
      const r = await s.audit.append({ ...refusal("t".repeat(16_384)), targetName: "n".repeat(16_384), detail: "d".repeat(16_384) });
      expect(r.target.length).toBe(AUDIT_TARGET_MAX);
      expect(r.target.endsWith("…")).toBe(true);
      expect(r.targetName?.length).toBe(AUDIT_TARGET_MAX);
      expect(r.detail?.length).toBe(AUDIT_DETAIL_MAX);
    });

    test("a NUL character in a target (a request's path may carry %00) is kept as U+FFFD, and its refusals still fold into one burst", async () => {
      const s = await engine.store();
      const r = await s.audit.append({ ...refusal("p/\u0000x"), targetName: "n\u0000", detail: "d\u0000" });
      expect([r.target, r.targetName, r.detail]).toEqual(["p/\ufffdx", "n\ufffd", "d\ufffd"]);
      expect(await s.audit.refuse(refusal("q\u0000"), S(0))).not.toBeNull();
      expect(await s.audit.refuse(refusal("q\u0000"), S(1))).toBeNull();
      expect(await s.audit.closeBursts(S(60))).toEqual([expect.objectContaining({ target: "q\ufffd", detail: expect.stringMatching(/^and 1 more/) })]);
    });

    test("the first refusal is written at once; the actor's identical refusals of that minute become one summary when it ends", async () => {
      const s = await engine.store();
      const first = await s.audit.refuse(refusal("111111111111/us-east-1/a"), S(0));
      expect(first?.target).toBe("111111111111/us-east-1/a");
      expect(await s.audit.nextBurstEnd()).toBe(S(60));
      for (let i = 1; i < 500; i++) expect(await s.audit.refuse(refusal(`111111111111/us-east-1/x${i}`), S(i % 59))).toBeNull();
      // Another actor, or another action, is not folded into bob's burst.
      expect(await s.audit.refuse(refusal("t", { actor: "eve@example.com" }), S(30))).not.toBeNull();
      expect(await s.audit.refuse(refusal("t", { action: "connection.resume", targetKind: "connection" }), S(30))).not.toBeNull();
      expect((await s.audit.list({}, { limit: 100, offset: 0 })).total).toBe(3);
      // Nothing to summarise before the minute ends.
      expect(await s.audit.closeBursts(S(59))).toEqual([]);
      const [summary, ...others] = await s.audit.closeBursts(S(61));
      expect(others.map((o) => o.actor)).toEqual([]);
      expect(summary).toMatchObject({ actor: "bob@example.com", action: "pipeline.release", outcome: "refused", relatedId: first?.id, target: "several targets" });
      expect(summary?.detail).toMatch(/^and 499 more within a minute of #\d+; targets include 111111111111\/us-east-1\/x1, /);
      expect(summary?.detail?.length).toBeLessThanOrEqual(AUDIT_DETAIL_MAX);
      expect(await s.audit.nextBurstEnd()).toBe(S(90));
      // eve's and the resume burst had nothing more: no summary for them, and nothing is summarised twice.
      expect(await s.audit.closeBursts(S(200))).toEqual([]);
      expect(await s.audit.nextBurstEnd()).toBeNull();
      expect((await s.audit.list({}, { limit: 100, offset: 0 })).total).toBe(4);
      // A new minute starts a new burst: its first refusal is written again.
      expect(await s.audit.refuse(refusal("111111111111/us-east-1/a"), S(62))).not.toBeNull();
    });

    test("refusals of the same target are summarised with it, not as several targets", async () => {
      const s = await engine.store();
      const first = await s.audit.refuse(refusal("p/1", { targetName: "web" }), S(0));
      await s.audit.refuse(refusal("p/1", { targetName: "web" }), S(1));
      await s.audit.refuse(refusal("p/1", { targetName: "web" }), S(2));
      expect(await s.audit.closeBursts(S(60))).toEqual([expect.objectContaining({ target: "p/1", targetName: "web", detail: `and 2 more within a minute of #${first?.id}`, relatedId: first?.id, at: S(60) })]);
    });

    test("many refusals of one actor at once: one record, and the summary counts every other one", async () => {
      const s = await engine.store();
      await warm(s);
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => s.audit.refuse(refusal(`p/${i}`), S(1))));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const [summary] = await s.audit.closeBursts(S(120));
      expect(summary?.detail).toMatch(/^and 29 more within a minute/);
      // Two callers closing the same bursts at once: each summary is written once.
      await Promise.all(Array.from({ length: 10 }, (_, i) => s.audit.refuse(refusal("q", { actor: `u${i}` }), S(200))));
      await Promise.all(Array.from({ length: 10 }, (_, i) => s.audit.refuse(refusal("q", { actor: `u${i}` }), S(201))));
      await warm(s);
      const closed = await Promise.all([s.audit.closeBursts(S(300)), s.audit.closeBursts(S(300)), s.audit.closeBursts(S(300))]);
      expect(closed.flat()).toHaveLength(10);
      expect((await s.audit.list({ target: "q" }, { limit: 100, offset: 0 })).total).toBe(20);
    });

    test("a burst closed while its refusals still arrive: every refusal is either a record or counted in a summary", async () => {
      const s = await engine.store();
      await warm(s);
      // Each round opens a burst, then a refusal in its last second races the close at its end.
      const rounds = 15;
      for (let i = 0; i < rounds; i++) {
        const base = i * 100;
        await s.audit.refuse(refusal("p"), S(base));
        await Promise.all([s.audit.refuse(refusal("p"), S(base + 59)), s.audit.closeBursts(S(base + 60))]);
      }
      await s.audit.closeBursts(S(rounds * 100 + 100));
      const records = (await s.audit.list({}, { limit: 1000, offset: 0 })).records;
      const firsts = records.filter((r) => r.relatedId === null).length;
      const counted = records.reduce((n, r) => n + Number(/^and (\d+) more/.exec(r.detail ?? "")?.[1] ?? 0), 0);
      expect(firsts + counted).toBe(rounds * 2);
    });

    test("a burst left open (a restart) is summarised by the next refusal or close", async () => {
      const db = await engine.database();
      let s = db.open();
      await s.audit.refuse(refusal("a"), S(0));
      await s.audit.refuse(refusal("a"), S(1));
      await s.close();
      s = db.open();
      expect(await s.audit.refuse(refusal("a"), S(90))).not.toBeNull();
      const records = (await s.audit.list({}, { limit: 10, offset: 0 })).records;
      expect(records.map((r) => r.detail?.slice(0, 10))).toEqual(["role viewe", "and 1 more", "role viewe"]);
      await s.close();
    });
  });

  describe(`${engine.name}: tokens`, () => {
    const token = (id: string, at: string, over: Record<string, unknown> = {}) => ({ id, name: `t-${id}`, role: "viewer" as const, hash: `hash-${id}`, hint: "abcd", createdBy: "alice@example.com", createdAt: at, expiresAt: null, ...over });

    test("created, found by hash, listed newest first, revoked once, touched", async () => {
      const s = await engine.store();
      await s.tokens.create(token("a", T(0), { creatorGroups: ["platform"], expiresAt: T(60) }));
      await s.tokens.create(token("b", T(1), { role: "admin" }));
      expect(await s.tokens.get("a")).toEqual({ id: "a", name: "t-a", role: "viewer", hint: "abcd", createdBy: "alice@example.com", creatorGroups: ["platform"], createdAt: T(0), expiresAt: T(60), lastUsedAt: null, revokedAt: null, revokedBy: null });
      expect((await s.tokens.findByHash("hash-b"))?.creatorGroups).toBeNull();
      expect(await s.tokens.findByHash("nope")).toBeNull();
      expect(await s.tokens.get("nope")).toBeNull();
      expect((await s.tokens.list()).map((t) => t.id)).toEqual(["b", "a"]);
      await s.tokens.touch("a", T(5));
      expect((await s.tokens.get("a"))?.lastUsedAt).toBe(T(5));
      expect(await s.tokens.revoke("a", "bob@example.com", T(6))).toBe(true);
      expect(await s.tokens.revoke("a", "eve@example.com", T(7))).toBe(false);
      expect(await s.tokens.revoke("nope", "eve@example.com", T(7))).toBe(false);
      expect(await s.tokens.get("a")).toMatchObject({ revokedAt: T(6), revokedBy: "bob@example.com" });
      // The hash is unique: a second token with it is refused.
      await expect(s.tokens.create(token("c", T(2), { hash: "hash-a" }))).rejects.toThrow(/unique/i);
    });
  });

  describe(`${engine.name}: sessions`, () => {
    const H = (h: number) => new Date(Date.UTC(2026, 10, 25, h)).toISOString();
    const start = (s: Store, id: string, actor: string, h: number) => s.sessions.start({ id, actor, name: null, groups: [`g${h}`], createdAt: H(h), expiresAt: H(h + 12) });

    test("active, ended per session or per user (any case), latest sign-in, pruning keeps each user's latest", async () => {
      const s = await engine.store();
      await start(s, "a", "bob@example.com", 0);
      await start(s, "b", "Bob@Example.com", 1);
      await start(s, "c", "alice@example.com", 2);
      expect(await s.sessions.isActive("a", Date.parse(H(5)))).toBe(true);
      expect(await s.sessions.isActive("a", Date.parse(H(12)))).toBe(false);
      expect(await s.sessions.isActive("nope", Date.parse(H(5)))).toBe(false);
      expect((await s.sessions.active(Date.parse(H(5)))).map((x) => x.id)).toEqual(["c", "b", "a"]);
      expect(await s.sessions.endAllOf("BOB@example.com", "alice@example.com", "ended by an admin", H(5))).toBe(2);
      expect((await s.sessions.active(Date.parse(H(5)))).map((x) => x.id)).toEqual(["c"]);
      expect(await s.sessions.isActive("a", Date.parse(H(5)))).toBe(false);
      expect(await s.sessions.end("c", "alice@example.com", "signed out", H(6))).toBe(true);
      expect(await s.sessions.end("c", "alice@example.com", "signed out", H(7))).toBe(false);
      expect(await s.sessions.get("c")).toEqual({ id: "c", actor: "alice@example.com", name: null, groups: ["g2"], createdAt: H(2), expiresAt: H(14), endedAt: H(6), endedBy: "alice@example.com", endReason: "signed out" });
      expect((await s.sessions.latestOf("bob@example.com"))?.groups).toEqual(["g1"]);
      expect(await s.sessions.latestOf("nobody@example.com")).toBeNull();
      expect(await s.sessions.prune(H(40))).toBe(1);
      expect(await Promise.all(["a", "b", "c"].map(async (id) => (await s.sessions.get(id))?.id ?? null))).toEqual([null, "b", "c"]);
    });

    test("ending all of a user's sessions leaves expired ones and other users alone; a user matches ignoring ASCII case only", async () => {
      const s = await engine.store();
      await start(s, "old", "bob@example.com", 0);
      await start(s, "new", "bob@example.com", 20);
      await start(s, "é", "Éve@example.com", 20);
      expect(await s.sessions.endAllOf("bob@example.com", "admin", "r", H(21))).toBe(1);
      expect((await s.sessions.get("old"))?.endedAt).toBeNull();
      expect(await s.sessions.endAllOf("éve@example.com", "admin", "r", H(21))).toBe(0);
      expect(await s.sessions.endAllOf("Éve@EXAMPLE.com", "admin", "r", H(21))).toBe(1);
    });
  });

  describe(`${engine.name}: watches`, () => {
    const watch = (resourceId: string, auditId: number, at: string) => ({ kind: "connection" as const, account: scope.account, region: scope.region, resourceId, arn: `arn:…/${resourceId}`, name: resourceId, auditId, startedBy: "alice@example.com", startedAt: at, deadlineAt: T(15), statusBefore: "PENDING" });

    test("started, checked, finished once; the latest per resource; active ones in order", async () => {
      const s = await engine.store();
      const intent = await s.audit.append(record(), T(0));
      const w1 = await s.watches.start(watch("a", intent.id, T(0)));
      expect(w1).toEqual({ id: w1.id, ...watch("a", intent.id, T(0)), state: "watching", lastStatus: null, checks: 0, finishedAt: null });
      const w2 = await s.watches.start(watch("b", intent.id, T(1)));
      await s.watches.check(w1.id, "PENDING");
      await s.watches.check(w1.id, "PENDING");
      expect(await s.watches.get(w1.id)).toMatchObject({ checks: 2, lastStatus: "PENDING" });
      expect((await s.watches.active()).map((w) => w.id)).toEqual([w1.id, w2.id]);
      expect(await s.watches.finish(w1.id, "completed", "AVAILABLE", T(3))).toBe(true);
      expect(await s.watches.finish(w1.id, "failed", "ERROR", T(4))).toBe(false);
      // A finished watch is not checked any more; a finish without a status keeps the last one.
      await s.watches.check(w1.id, "ERROR");
      expect(await s.watches.get(w1.id)).toMatchObject({ state: "completed", lastStatus: "AVAILABLE", checks: 2, finishedAt: T(3) });
      expect(await s.watches.finish(w2.id, "timeout", null, T(15))).toBe(true);
      expect(await s.watches.get(w2.id)).toMatchObject({ state: "timeout", lastStatus: null });
      expect(await s.watches.active()).toEqual([]);
      const w3 = await s.watches.start(watch("a", intent.id, T(20)));
      expect((await s.watches.latestFor("connection", scope.account, scope.region, "a"))?.id).toBe(w3.id);
      expect(await s.watches.latestFor("host", scope.account, scope.region, "a")).toBeNull();
      expect((await s.watches.recent(T(0))).map((w) => w.id)).toEqual([w2.id, w3.id]);
      expect((await s.watches.recent(T(5))).map((w) => w.id)).toEqual([w3.id]);
      expect(await s.watches.get(w3.id + 100)).toBeNull();
      // A watch names the audit record of its action.
      await expect(s.watches.start(watch("c", intent.id + 100, T(0)))).rejects.toThrow(/foreign key/i);
    });
  });

  describe(`${engine.name}: leases`, () => {
    test("one holder at a time; renewed by its holder; taken by another only once it expired; released at once", async () => {
      const s = await engine.store();
      expect(await s.leases.acquire("poll", "a", T(0), T(1))).toBe(true);
      expect(await s.leases.acquire("poll", "b", T(0), T(1))).toBe(false);
      // A renewal moves the end and keeps when it was taken.
      expect(await s.leases.acquire("poll", "a", T(0), T(2))).toBe(true);
      expect(await s.leases.list()).toEqual([{ name: "poll", holder: "a", acquiredAt: T(0), expiresAt: T(2) }]);
      expect(await s.leases.acquire("poll", "b", T(1), T(3))).toBe(false);
      // Other leases are apart.
      expect(await s.leases.acquire("latency cycle", "b", T(1), T(3))).toBe(true);
      // At its end, the lease is free for another.
      expect(await s.leases.acquire("poll", "b", T(2), T(4))).toBe(true);
      expect(await s.leases.acquire("poll", "a", T(3), T(5))).toBe(false);
      expect((await s.leases.list()).map((l) => [l.name, l.holder, l.acquiredAt, l.expiresAt])).toEqual([
        ["latency cycle", "b", T(1), T(3)],
        ["poll", "b", T(2), T(4)],
      ]);
      // Only its holder releases it.
      await s.leases.release("poll", "a");
      expect(await s.leases.acquire("poll", "a", T(3), T(5))).toBe(false);
      await s.leases.release("poll", "b");
      expect(await s.leases.acquire("poll", "a", T(3), T(5))).toBe(true);
    });

    test("replicas asking for the same lease at once: exactly one gets it, new or expired", async () => {
      const s = await engine.store();
      await warm(s);
      const holders = Array.from({ length: 8 }, (_, i) => `replica-${i}`);
      const first = await Promise.all(holders.map((h) => s.leases.acquire("poll", h, T(0), T(1))));
      expect(first.filter(Boolean)).toHaveLength(1);
      const expired = await Promise.all(holders.map((h) => s.leases.acquire("poll", h, T(1), T(2))));
      expect(expired.filter(Boolean)).toHaveLength(1);
      expect((await s.leases.list()).map((l) => l.holder)).toEqual([holders[expired.indexOf(true)]]);
    });
  });

  describe(`${engine.name}: shared listings`, () => {
    test("a forced refresh is claimed once per window across callers; the last complete listing is kept, never replaced by an older one", async () => {
      const s = await engine.store();
      await warm(s);
      const claims = await Promise.all(Array.from({ length: 6 }, () => s.listings.claimRefresh("connections:111111111111", T(10), T(0))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      // Within the window (nothing claimed after T(9) may go on): refused; after it, granted.
      expect(await s.listings.claimRefresh("connections:111111111111", T(15), T(10))).toBe(true);
      expect(await s.listings.claimRefresh("connections:111111111111", T(16), T(6))).toBe(false);
      expect(await s.listings.claimRefresh("hosts:111111111111/us-east-1", T(16), T(6))).toBe(true);

      expect(await s.listings.lastComplete("connections:111111111111")).toBeNull();
      await s.listings.saveComplete("connections:111111111111", '{"n":2}', T(20));
      await s.listings.saveComplete("connections:111111111111", '{"n":1}', T(19));
      expect(await s.listings.lastComplete("connections:111111111111")).toEqual({ listing: '{"n":2}', at: T(20) });
      await s.listings.saveComplete("connections:111111111111", '{"n":3}', T(21));
      expect(await s.listings.lastComplete("connections:111111111111")).toEqual({ listing: '{"n":3}', at: T(21) });
      // Saving keeps the refresh claim, and claiming keeps the listing.
      expect(await s.listings.claimRefresh("connections:111111111111", T(22), T(14))).toBe(false);
      expect(await s.listings.claimRefresh("connections:111111111111", T(30), T(20))).toBe(true);
      expect(await s.listings.lastComplete("connections:111111111111")).toEqual({ listing: '{"n":3}', at: T(21) });
    });
  });

  describe(`${engine.name}: discovery runs`, () => {
    test("the newest run and the newest successful one; a failed run keeps the last result; only the newest runs are kept", async () => {
      const s = await engine.store();
      expect(await s.discovery.latest()).toBeNull();
      expect(await s.discovery.lastSuccessful()).toBeNull();
      const ok = { startedAt: T(1), finishedAt: T(2), trigger: "schedule", outcome: "ok" as const, error: null, result: '{"accounts":[1]}' };
      const first = await s.discovery.save(ok);
      expect(await s.discovery.latest()).toEqual({ id: first, ...ok });
      const failed = { startedAt: T(3), finishedAt: T(4), trigger: "alice@example.com", outcome: "error" as const, error: "DescribeOrganization: access denied", result: null };
      const second = await s.discovery.save(failed);
      expect(second).toBeGreaterThan(first);
      expect(await s.discovery.latest()).toEqual({ id: second, ...failed });
      expect(await s.discovery.lastSuccessful()).toEqual({ id: first, ...ok });
      // An outcome other than ok or error is refused by the table, and writes nothing.
      await expect(s.discovery.save({ ...ok, outcome: "maybe" as "ok" })).rejects.toThrow();
      expect((await s.discovery.latest())?.id).toBe(second);

      for (let i = 0; i < DISCOVERY_RUNS_KEPT + 3; i++) await s.discovery.save({ ...ok, startedAt: T(10 + i), finishedAt: T(10 + i), result: `{"n":${i}}` });
      const newest = await s.discovery.lastSuccessful();
      expect(newest?.result).toBe(`{"n":${DISCOVERY_RUNS_KEPT + 2}}`);
      const kept = await s.discovery.recent(1000);
      expect(kept).toHaveLength(DISCOVERY_RUNS_KEPT);
      expect(kept[0]?.id).toBe(newest?.id);
      expect(kept.map((r) => r.id)).toEqual([...kept.map((r) => r.id)].sort((a, b) => b - a));
      expect(await s.discovery.recent(2)).toHaveLength(2);
    });
  });

  describe(`${engine.name}: pipelines`, () => {
    const listing = (name: string, version = 1, updated: string | null = T(0)): PipelineListing => ({ name, version, pipelineType: "V2", created: T(0), updated });
    const def = (name: string, version = 1): PipelineDefinition => ({ account: scope.account, region: scope.region, name, pipelineType: "V2", version, sourceActions: [{ stage: "Source", name: "Src", connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/AbC", repository: "Acme/Web", branch: "main", detectChanges: true, outputArtifactFormat: null }], triggers: [] });
    const use = (pipeline: string, over: Partial<PipelineUse> = {}): PipelineUse => ({ account: scope.account, region: scope.region, pipeline, actionName: "Src", connectionAccount: scope.account, connectionRegion: scope.region, connectionId: "AbC", connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/AbC", repository: "Acme/Web", branch: "main", ...over });

    test("definitions and their connection uses are saved, replaced, found and removed", async () => {
      const s = await engine.store();
      await s.pipelines.saveDefinition(listing("web"), def("web"), [use("web"), use("web", { actionName: "Other", repository: "acme/api", connectionId: "zzz" })], T(0));
      await s.pipelines.saveDefinition(listing("api"), def("api"), [use("api", { repository: "acme/API" })], T(0));
      expect(await s.pipelines.listed(scope)).toEqual([
        { name: "api", version: 1, updated: T(0) },
        { name: "web", version: 1, updated: T(0) },
      ]);
      expect(await s.pipelines.listed({ account: scope.account, region: "eu-west-1" })).toEqual([]);
      expect(await s.pipelines.get(scope.account, scope.region, "web")).toEqual({ ...scope, name: "web", version: 1, pipelineType: "V2", updated: T(0), definition: def("web"), fetchedAt: T(0), lastSweptAt: null, lastSweepAttemptAt: null, lastSweepError: null });
      expect(await s.pipelines.get(scope.account, scope.region, "nope")).toBeNull();
      // Repositories and connection ids match ignoring case.
      expect((await s.pipelines.watching("ACME/web")).map((p) => p.name)).toEqual(["web"]);
      expect((await s.pipelines.watching("acme/api")).map((p) => p.name).sort()).toEqual(["api", "web"]);
      expect(await s.pipelines.watching("acme/none")).toEqual([]);
      expect((await s.pipelines.usesOf({ account: scope.account, id: "abc" })).map((u) => `${u.pipeline}/${u.actionName}`)).toEqual(["api/Src", "web/Src"]);
      expect(await s.pipelines.usesOf({ account: "222222222222", id: "abc" })).toEqual([]);
      expect(await s.pipelines.uses()).toHaveLength(3);

      // A new version replaces the declaration and every use; a repeated action name keeps the last.
      await s.pipelines.saveDefinition(listing("web", 2, T(5)), def("web", 2), [use("web", { branch: "dev" }), use("web", { branch: "release" })], T(5));
      expect(await s.pipelines.get(scope.account, scope.region, "web")).toMatchObject({ version: 2, updated: T(5), fetchedAt: T(5), definition: def("web", 2) });
      expect((await s.pipelines.uses()).filter((u) => u.pipeline === "web")).toEqual([use("web", { branch: "release" })]);

      await s.pipelines.saveExecutions(scope.account, scope.region, "web", [execution("e1")]);
      await s.pipelines.remove(scope, ["web", "gone"]);
      await s.pipelines.remove(scope, []);
      expect((await s.pipelines.all()).map((p) => p.name)).toEqual(["api"]);
      expect((await s.pipelines.uses()).map((u) => u.pipeline)).toEqual(["api"]);
      expect(await s.pipelines.executions(scope.account, scope.region, "web", 10)).toEqual([]);
    });

    test("the sweep takes never attempted pipelines first, then the least recently attempted, of the given scopes only", async () => {
      const s = await engine.store();
      for (const name of ["a", "b", "c", "d"]) await s.pipelines.saveDefinition(listing(name), def(name), [], T(0));
      await s.pipelines.saveDefinition(listing("x"), { ...def("x"), region: "eu-west-1" }, [], T(0));
      await s.pipelines.markSwept(scope.account, scope.region, "a", T(5));
      await s.pipelines.markSweepFailed(scope.account, scope.region, "b", T(3), "throttled");
      await s.pipelines.markSwept(scope.account, scope.region, "c", T(1));
      expect((await s.pipelines.sweepOrder(10, [scope])).map((p) => p.name)).toEqual(["d", "c", "b", "a"]);
      expect((await s.pipelines.sweepOrder(2, [scope])).map((p) => p.name)).toEqual(["d", "c"]);
      expect((await s.pipelines.sweepOrder(10, [scope, { account: scope.account, region: "eu-west-1" }])).map((p) => p.name)).toEqual(["x", "d", "c", "b", "a"]);
      expect(await s.pipelines.sweepOrder(10, [])).toEqual([]);
      expect(await s.pipelines.get(scope.account, scope.region, "b")).toMatchObject({ lastSweptAt: null, lastSweepAttemptAt: T(3), lastSweepError: "throttled" });
      // A success after a failure clears the error; a failure after a success keeps the success.
      await s.pipelines.markSwept(scope.account, scope.region, "b", T(6));
      await s.pipelines.markSweepFailed(scope.account, scope.region, "a", T(7), "denied");
      expect(await s.pipelines.get(scope.account, scope.region, "b")).toMatchObject({ lastSweptAt: T(6), lastSweepAttemptAt: T(6), lastSweepError: null });
      expect(await s.pipelines.get(scope.account, scope.region, "a")).toMatchObject({ lastSweptAt: T(5), lastSweepAttemptAt: T(7), lastSweepError: "denied" });
    });

    test("executions: upserts count what is new or changed; events never overwrite a sweep; newest first; pruned by age", async () => {
      const s = await engine.store();
      const [a, r, p] = [scope.account, scope.region, "web"];
      expect(await s.pipelines.saveExecutions(a, r, p, [execution("e1", { status: "InProgress", startTime: T(1) }), execution("e2", { startTime: T(2) })])).toBe(2);
      expect(await s.pipelines.saveExecutions(a, r, p, [execution("e1", { status: "InProgress", startTime: T(1) }), execution("e2", { startTime: T(2) })])).toBe(0);
      expect(await s.pipelines.saveExecutions(a, r, p, [execution("e1", { status: "Succeeded", startTime: T(1), lastUpdateTime: T(9), revisionId: null })])).toBe(1);
      // The revision is kept when a later sweep does not repeat it.
      expect(await s.pipelines.executions(a, r, p, 10)).toEqual([
        { account: a, region: r, pipeline: p, ...execution("e2", { startTime: T(2) }) },
        { account: a, region: r, pipeline: p, ...execution("e1", { status: "Succeeded", startTime: T(1), lastUpdateTime: T(9) }) },
      ]);
      expect(await s.pipelines.known(a, r, p)).toEqual(new Map([["e1", "Succeeded"], ["e2", "Succeeded"]]));
      // An event adds only what is new.
      expect(await s.pipelines.addExecution(a, r, p, execution("e2", { status: "Failed" }))).toBe(false);
      expect(await s.pipelines.addExecution(a, r, p, execution("e3", { status: "InProgress", startTime: null, triggerType: null, triggerDetail: null }))).toBe(true);
      // An execution an event stored without its start and trigger gets them from the sweep.
      expect(await s.pipelines.saveExecutions(a, r, p, [execution("e3", { status: "InProgress", startTime: T(3), lastUpdateTime: null, triggerType: "Webhook", triggerDetail: "d" })])).toBe(1);
      expect((await s.pipelines.executions(a, r, p, 10)).find((e) => e.executionId === "e3")).toMatchObject({ startTime: T(3), triggerType: "Webhook", triggerDetail: "d" });
      // Without a start time an execution sorts last (SQLite: NULL is smallest).
      await s.pipelines.addExecution(a, r, p, execution("e4", { startTime: null }));
      expect((await s.pipelines.executions(a, r, p, 10)).map((e) => e.executionId)).toEqual(["e3", "e2", "e1", "e4"]);
      expect((await s.pipelines.executions(a, r, p, 2)).map((e) => e.executionId)).toEqual(["e3", "e2"]);
      await s.pipelines.addExecution(a, r, "api", execution("f1", { startTime: T(4) }));
      expect((await s.pipelines.executionsSince(T(2))).map((e) => e.executionId)).toEqual(["f1", "e3", "e2"]);
      expect((await s.pipelines.executionsSince(T(2), { account: a, region: r, pipeline: p })).map((e) => e.executionId)).toEqual(["e3", "e2"]);
      expect(await s.pipelines.pruneExecutions(T(3))).toBe(2);
      expect((await s.pipelines.executionsSince(T(0))).map((e) => e.executionId)).toEqual(["f1", "e3"]);
      // The same id twice in one call: the second is an upsert of the first.
      expect(await s.pipelines.saveExecutions(a, r, "twice", [execution("t1", { status: "InProgress", lastUpdateTime: T(1) }), execution("t1", { status: "Succeeded", lastUpdateTime: T(2), revisionId: null })])).toBe(2);
      expect(await s.pipelines.executions(a, r, "twice", 10)).toEqual([{ account: a, region: r, pipeline: "twice", ...execution("t1", { status: "Succeeded", lastUpdateTime: T(2) }) }]);
      expect(await s.pipelines.saveExecutions(a, r, "twice", [])).toBe(0);
    });

    test("changes: each write that can change a pipeline's row names it once after the number a reader saw; removals make the reader reread all", async () => {
      const s = await engine.store();
      const [a, r] = [scope.account, scope.region];
      const names = (c: { pipelines: { name: string }[] }) => c.pipelines.map((p) => p.name).sort();
      // A reader that never read gets everything, and so does one of an empty store.
      let c = await s.pipelines.changes(-1, T(0));
      expect(c).toEqual({ seq: 0, complete: true, pipelines: [], executions: [] });
      for (const name of ["a", "b", "c"]) await s.pipelines.saveDefinition(listing(name), def(name), [], T(0));
      await s.pipelines.saveExecutions(a, r, "a", [execution("a1", { startTime: T(1) }), execution("a0", { startTime: "2026-01-01T00:00:00.000Z" })]);
      c = await s.pipelines.changes(-1, T(0));
      expect({ complete: c.complete, names: names(c), executions: c.executions.map((e) => e.executionId) }).toEqual({ complete: true, names: ["a", "b", "c"], executions: ["a1"] });
      let seen = c.seq;
      // Nothing written: nothing to read.
      expect(await s.pipelines.changes(seen, T(0))).toEqual({ seq: seen, complete: false, pipelines: [], executions: [] });

      // Each kind of write, one at a time: the pipeline it touched, with its executions since `since`.
      const step = async (write: () => Promise<unknown>) => {
        await write();
        const next = await s.pipelines.changes(seen, T(0));
        seen = next.seq;
        return { complete: next.complete, names: names(next), executions: next.executions.map((e) => `${e.pipeline}/${e.executionId}`) };
      };
      expect(await step(() => s.pipelines.saveExecutions(a, r, "b", [execution("b1", { startTime: T(2) })]))).toEqual({ complete: false, names: ["b"], executions: ["b/b1"] });
      expect(await step(() => s.pipelines.saveExecutions(a, r, "b", [execution("b1", { startTime: T(2) })]))).toEqual({ complete: false, names: [], executions: [] }); // nothing new
      expect(await step(() => s.pipelines.saveExecutions(a, r, "b", [execution("b1", { startTime: T(2), status: "Failed" })]))).toEqual({ complete: false, names: ["b"], executions: ["b/b1"] });
      expect(await step(() => s.pipelines.addExecution(a, r, "c", execution("c1", { startTime: T(3) })))).toEqual({ complete: false, names: ["c"], executions: ["c/c1"] });
      expect(await step(() => s.pipelines.addExecution(a, r, "c", execution("c1", { startTime: T(3) })))).toEqual({ complete: false, names: [], executions: [] });
      expect(await step(() => s.pipelines.markSwept(a, r, "a", T(4)))).toEqual({ complete: false, names: ["a"], executions: ["a/a1"] }); // the first sweep
      expect(await step(() => s.pipelines.markSwept(a, r, "a", T(5)))).toEqual({ complete: false, names: [], executions: [] }); // later sweeps show nothing new
      expect(await step(() => s.pipelines.markSweepFailed(a, r, "a", T(6), "throttled"))).toEqual({ complete: false, names: [], executions: [] });
      expect(await step(() => s.latency.setRevision(a, r, "c", "c1", "sha-1"))).toEqual({ complete: false, names: ["c"], executions: ["c/c1"] });
      expect(await step(() => s.pipelines.saveDefinition(listing("a", 2), def("a", 2), [], T(7)))).toEqual({ complete: false, names: ["a"], executions: ["a/a1"] });
      expect(await step(() => s.pipelines.saveExecutions(a, r, "unmapped", [execution("u1", { startTime: T(2) })]))).toEqual({ complete: false, names: [], executions: [] });
      // A reader that saw an older number gets every change since, each pipeline once.
      expect(names(await s.pipelines.changes(0, T(0)))).toEqual(["a", "b", "c"]);

      // Removals: a reader older than them rereads everything; one that saw them does not.
      expect(await step(() => s.pipelines.remove(scope, ["b"]))).toMatchObject({ complete: true, names: ["a", "c"] });
      expect(await step(() => s.pipelines.remove(scope, []))).toEqual({ complete: false, names: [], executions: [] });
      expect(await step(() => s.pipelines.pruneExecutions(T(0)))).toMatchObject({ complete: true }); // a0 goes
      expect(await step(() => s.pipelines.pruneExecutions(T(0)))).toEqual({ complete: false, names: [], executions: [] }); // nothing to prune
    });

    test("scopes mapped", async () => {
      const s = await engine.store();
      expect(await s.pipelines.mapped()).toEqual(new Map());
      await s.pipelines.markMapped(scope, T(0));
      await s.pipelines.markMapped({ account: scope.account, region: "eu-west-1" }, T(1));
      await s.pipelines.markMapped(scope, T(2));
      expect(await s.pipelines.mapped()).toEqual(new Map([[`${scope.account}/eu-west-1`, T(1)], [`${scope.account}/${scope.region}`, T(2)]]));
    });
  });

  describe(`${engine.name}: latency`, () => {
    test("deliveries and pushes: a re-delivery is a duplicate; pushes by commit, by repository, waiting for evaluation", async () => {
      const s = await engine.store();
      expect(await s.latency.recordDelivery("github", "d1", "ping", "ok", T(0))).toBe(true);
      expect(await s.latency.recordDelivery("github", "d1", "ping", "ok", T(1))).toBe(false);
      expect(await s.latency.recordDelivery("gitlab", "d1", "ping", "ok", T(1))).toBe(true);
      expect(await s.latency.storeDelivery("github", "d2", "ping", "ok", T(1))).toBe(true);
      expect(await s.latency.storeDelivery("github", "d2", "ping", "ok", T(1))).toBe(false);

      const p1 = await s.latency.savePush(push("p1", { paths: ["a.ts", "b/c.ts"], beforeSha: sha40("p0"), pushedAt: T(1), receivedAt: T(2) }));
      expect(p1.duplicate).toBe(false);
      expect(await s.latency.savePush(push("p1"))).toEqual({ id: p1.id, duplicate: true });
      const p2 = await s.latency.savePush(push("p2", { repository: "ACME/web", pushedAt: T(3), receivedAt: T(4) }));
      const p3 = await s.latency.savePush(push("p3", { branch: "dev", pushedAt: T(5), receivedAt: T(5) }));
      expect(await s.latency.pushesBySha(sha40("p1"))).toEqual([{ id: p1.id, ...push("p1", { paths: ["a.ts", "b/c.ts"], beforeSha: sha40("p0"), pushedAt: T(1), receivedAt: T(2) }), evaluatedAt: null }]);
      expect(await s.latency.pushesBySha("none")).toEqual([]);
      expect((await s.latency.pushesAfter("acme/WEB", "main", T(0))).map((p) => p.id)).toEqual([p1.id, p2.id]);
      expect((await s.latency.pushesAfter("acme/web", "main", T(1))).map((p) => p.id)).toEqual([p2.id]);
      expect((await s.latency.recentPushes(10)).map((p) => p.id)).toEqual([p3.id, p2.id, p1.id]);
      expect((await s.latency.recentPushes(1)).map((p) => p.id)).toEqual([p3.id]);
      expect((await s.latency.recentPushes(10, { repository: "Acme/Web" })).map((p) => p.id)).toEqual([p3.id, p2.id, p1.id]);
      expect((await s.latency.recentPushes(10, { repository: "acme/web", branch: "main" })).map((p) => p.id)).toEqual([p2.id, p1.id]);
      expect((await s.latency.recentPushes(10, { branch: "dev" })).map((p) => p.id)).toEqual([p3.id]);
      expect((await s.latency.pushesToEvaluate(T(5), 10)).map((p) => p.id)).toEqual([p1.id, p2.id]);
      expect((await s.latency.pushesToEvaluate(T(9), 1)).map((p) => p.id)).toEqual([p1.id]);
      await s.latency.markEvaluated(p1.id, T(6));
      expect((await s.latency.pushesToEvaluate(T(9), 10)).map((p) => p.id)).toEqual([p2.id, p3.id]);
      expect((await s.latency.pushesBySha(sha40("p1")))[0]?.evaluatedAt).toBe(T(6));
    });

    test("a push and its delivery: stored together; a re-delivery or a replay under a new id stores nothing; metric values come with it", async () => {
      const s = await engine.store();
      const stored = await s.latency.storePushDelivery(push("d1"), "push", [metric("delivery:github:d1", { metric: "WebhookDelivery", provider: "GitHub" })]);
      expect(stored).not.toBeNull();
      expect(await s.latency.storePushDelivery(push("d1"), "push", [metric("delivery:github:d1-again")])).toBeNull();
      // The same push (repository compared ignoring case) under another delivery id: a replay.
      expect(await s.latency.storePushDelivery(push("other", { sha: sha40("d1"), repository: "ACME/Web" }), "push", [metric("delivery:github:other")])).toBeNull();
      // The replay's id is recorded (as a duplicate): sending it again is a duplicate too.
      expect(await s.latency.recordDelivery("github", "other", "push", "x", T(1))).toBe(false);
      // Another provider's push of the same commit is another push.
      expect(await s.latency.storePushDelivery(push("d1", { provider: "gitlab" }), "push")).not.toBeNull();
      expect((await s.latency.recentPushes(10)).map((p) => `${p.provider}/${p.deliveryId}`).sort()).toEqual(["github/d1", "gitlab/d1"]);
      expect((await s.latency.due(T(0), 10)).map((m) => m.metric)).toEqual(["WebhookDelivery"]);
      expect(await s.latency.outboxCounts()).toEqual({ pending: 1, published: 0, dropped: 0 });
      // Counting every metric but one (the page leaves the heartbeat out).
      expect(await s.latency.outboxCounts("WebhookDelivery")).toEqual({ pending: 0, published: 0, dropped: 0 });
      expect(await s.latency.outboxCounts("Heartbeat")).toEqual({ pending: 1, published: 0, dropped: 0 });
    });

    test("concurrent deliveries: re-deliveries and replays among them, exactly one push stored for each, every promise settles", async () => {
      const s = await engine.store();
      await warm(s);
      // 24 at once: 8 distinct pushes, each next to its replay under another id and its re-delivery.
      const calls = Array.from({ length: 24 }, (_, i) => {
        const n = Math.floor(i / 3);
        const id = i % 3 === 1 ? `replay${n}` : `d${n}`;
        return s.latency.storePushDelivery(push(id, { sha: sha40(`d${n}`) }), "push", [metric(`delivery:${id}`)]);
      });
      const results = await Promise.allSettled(calls);
      expect(results.every((r) => r.status === "fulfilled")).toBe(true);
      const stored = results.filter((r) => r.status === "fulfilled" && r.value !== null);
      expect(stored).toHaveLength(8);
      const pushes = await s.latency.recentPushes(100);
      expect(pushes).toHaveLength(8);
      expect(new Set(pushes.map((p) => p.sha)).size).toBe(8);
      // The stored ones' metric values, and no others.
      expect((await s.latency.outboxCounts()).pending).toBe(8);
    });

    test("a write that throws is rolled back alone; the others of its batch commit", async () => {
      const s = await engine.store();
      const good = (id: string) => s.latency.storePushDelivery(push(id), "push");
      // A NOT NULL violation on the push row, after its delivery row was written in the same transaction.
      const bad = s.latency.storePushDelivery(push("bad", { repository: null as unknown as string, sha: "b".repeat(40) }), "push");
      const results = await Promise.allSettled([good("g1"), bad, good("g2")]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect((await s.latency.recentPushes(10)).map((p) => p.deliveryId).sort()).toEqual(["g1", "g2"]);
      // The failed one's delivery id was rolled back with it: the provider's retry is stored.
      expect(await good("bad")).not.toBeNull();
    });

    test("samples and missed triggers: stored once; counted by kind; missed ones with their push, filtered", async () => {
      const s = await engine.store();
      const p = (await s.latency.savePush(push("p1", { receivedAt: T(1) }))).id;
      const sample = (executionId: string, kind: "sample" | "negative" | "no-push", startTime: string) => ({ account: scope.account, region: scope.region, pipeline: "web", executionId, pushId: kind === "no-push" ? null : p, connectionId: "AbC", provider: "GitHub", latencyMs: kind === "sample" ? 1234.5 : null, startTime, kind, createdAt: T(9) });
      expect(await s.latency.saveSample(sample("e1", "sample", T(1)))).toBe(true);
      expect(await s.latency.saveSample(sample("e1", "negative", T(1)))).toBe(false);
      expect(await s.latency.saveSample(sample("e2", "negative", T(2)))).toBe(true);
      expect(await s.latency.saveSample(sample("e3", "no-push", T(3)))).toBe(true);
      expect(await s.latency.saveSample(sample("e4", "sample", T(0)))).toBe(true);
      expect(await s.latency.sampleCounts(T(1))).toEqual({ sample: 1, negative: 1, "no-push": 1 });
      expect(await s.latency.sampleCounts(T(5))).toEqual({ sample: 0, negative: 0, "no-push": 0 });

      const missed = (pipeline: string, detectedAt: string, connectionId: string | null = "AbC") => ({ pushId: p, account: scope.account, region: scope.region, pipeline, connectionId, provider: "GitHub", state: "missed" as const, reason: "no execution", detectedAt });
      expect(await s.latency.saveMissed(missed("web", T(2)))).toBe(true);
      expect(await s.latency.saveMissed(missed("web", T(3)))).toBe(false);
      expect(await s.latency.saveMissed(missed("api", T(4), null))).toBe(true);
      const [pushRow] = await s.latency.pushesBySha(sha40("p1"));
      expect(await s.latency.missedSince(T(0))).toEqual([
        { ...missed("api", T(4), null), push: pushRow },
        { ...missed("web", T(2)), push: pushRow },
      ]);
      expect((await s.latency.missedSince(T(3))).map((m) => m.pipeline)).toEqual(["api"]);
      expect((await s.latency.missedSince(T(0), { connectionId: "abc" })).map((m) => m.pipeline)).toEqual(["web"]);
      expect((await s.latency.missedSince(T(0), { account: scope.account, region: scope.region, pipeline: "api" })).map((m) => m.pipeline)).toEqual(["api"]);
      expect(await s.latency.missedSince(T(0), { region: "eu-west-1" })).toEqual([]);
      // A missed trigger names a stored push.
      await expect(s.latency.saveMissed({ ...missed("x", T(5)), pushId: p + 100 })).rejects.toThrow(/foreign key/i);
    });

    test("the join: webhook executions with a commit, decided once a push of it is stored or the wait is over; commit lookups are bounded", async () => {
      const s = await engine.store();
      const [a, r] = [scope.account, scope.region];
      // Nothing is a candidate before Tether received its first push.
      await s.pipelines.saveExecutions(a, r, "web", [execution("early", { startTime: T(0) })]);
      expect(await s.latency.unjoined({ since: T(0), waitBefore: T(60), limit: 10 })).toEqual([]);
      await s.latency.savePush(push("p1", { sha: sha40("e1"), receivedAt: T(20) }));
      await s.pipelines.saveExecutions(a, r, "web", [
        execution("e1", { startTime: T(21) }),
        execution("e2", { startTime: T(22) }),
        execution("manual", { startTime: T(23), triggerType: "StartPipelineExecution" }),
        execution("nocommit", { startTime: T(24), revisionId: null, triggerType: "WebhookV2" }),
      ]);
      // "early" started 20 minutes before the first push: never a candidate. e1 has its push; e2 waits.
      expect((await s.latency.unjoined({ since: T(0), waitBefore: T(22), limit: 10 })).map((e) => e.executionId)).toEqual(["e1"]);
      expect((await s.latency.unjoined({ since: T(0), waitBefore: T(30), limit: 10 })).map((e) => e.executionId)).toEqual(["e1", "e2"]);
      expect((await s.latency.unjoined({ since: T(0), waitBefore: T(30), limit: 1 })).map((e) => e.executionId)).toEqual(["e1"]);
      expect((await s.latency.unjoined({ since: T(0), waitBefore: T(30), sha: sha40("e2"), limit: 10 })).map((e) => e.executionId)).toEqual(["e2"]);
      await s.latency.saveSample({ account: a, region: r, pipeline: "web", executionId: "e1", pushId: null, connectionId: null, provider: null, latencyMs: 1, startTime: T(21), kind: "sample", createdAt: T(25) });
      expect((await s.latency.unjoined({ since: T(0), waitBefore: T(30), limit: 10 })).map((e) => e.executionId)).toEqual(["e2"]);

      expect((await s.latency.unresolved(T(0), 10)).map((e) => e.executionId)).toEqual(["nocommit"]);
      for (let i = 1; i < MAX_REVISION_ATTEMPTS; i++) await s.latency.noteRevisionAttempt(a, r, "web", "nocommit");
      expect((await s.latency.unresolved(T(0), 10)).map((e) => e.executionId)).toEqual(["nocommit"]);
      await s.latency.noteRevisionAttempt(a, r, "web", "nocommit");
      expect(await s.latency.unresolved(T(0), 10)).toEqual([]);
      await s.latency.setRevision(a, r, "web", "nocommit", sha40("late"));
      expect((await s.pipelines.executions(a, r, "web", 10)).find((e) => e.executionId === "nocommit")?.revisionId).toBe(sha40("late"));
    });

    test("the metric outbox: publishers claiming at once get each due value once; a claim hides a value until it runs out or the value is settled", async () => {
      const s = await engine.store();
      await s.latency.enqueue(Array.from({ length: 60 }, (_, i) => metric(`v${i}`, { value: i })), T(0));
      await warm(s);
      const claims = await Promise.all(Array.from({ length: 4 }, () => s.latency.claimDue(T(1), 25, T(3))));
      const ids = claims.flat().map((m) => m.id);
      // Every value went to one publisher, none to two.
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(60);
      for (const c of claims) expect(c.map((m) => m.id)).toEqual([...c.map((m) => m.id)].sort((x, y) => x - y));
      expect(await s.latency.due(T(2), 100)).toEqual([]);
      expect(await s.latency.claimDue(T(2), 100, T(4))).toEqual([]);
      // Settled values leave the claim; a retried one is due again at its next attempt.
      const [first, second, third] = (claims.find((c) => c.length >= 3) ?? []).map((m) => m.id) as [number, number, number];
      await s.latency.markPublished([first], T(2));
      await s.latency.markDropped([second], "too old", T(2));
      await s.latency.retryLater([third], T(2), "throttled");
      expect((await s.latency.due(T(2), 100)).map((m) => m.id)).toEqual([third]);
      // A publisher that died: its claim runs out and the values are due again, once.
      const again = await s.latency.claimDue(T(3), 100, T(5));
      expect(again).toHaveLength(58);
      expect(again.map((m) => m.id)).not.toContain(first);
      expect(again.map((m) => m.id)).not.toContain(second);
      expect(await s.latency.outboxCounts()).toEqual({ pending: 58, published: 1, dropped: 1 });
    });

    test("latency pruning: drops old finished rows and judged pushes nothing refers to; keeps pending values and recent rows", async () => {
      const s = await engine.store();
      const old = "2026-11-01T00:00:00.000Z";
      const recent = "2026-11-24T00:00:00.000Z";
      const store = (id: string, at: string) => s.latency.storePushDelivery({ provider: "github", deliveryId: id, repository: "acme/web", branch: "main", sha: id.padEnd(40, "0"), beforeSha: null, paths: null, pushedAt: at, receivedAt: at }, "push");
      const a = await store("a", old);
      const b = await store("b", old);
      await store("c", recent);
      await s.latency.markEvaluated(a?.id ?? 0, old);
      await s.latency.markEvaluated(b?.id ?? 0, old);
      await s.latency.saveMissed({ pushId: b?.id ?? 0, account: "111111111111", region: "us-east-1", pipeline: "web", connectionId: null, provider: null, state: "missed", reason: "r", detectedAt: recent });
      await s.latency.enqueue([metric("published", { at: old }), metric("waiting", { at: old })], old);
      const [published] = await s.latency.due(old, 1);
      await s.latency.markPublished([published?.id ?? 0], old);

      expect(await s.latency.prune("2026-11-10T00:00:00.000Z")).toBe(4); // a published value, two delivery ids, push a
      expect((await s.latency.recentPushes(10)).map((p) => p.deliveryId).sort()).toEqual(["b", "c"]); // b: a missed trigger refers to it
      expect(await s.latency.outboxCounts()).toEqual({ pending: 1, published: 0, dropped: 0 });
      // The delivery id of the pruned push is forgotten too, so a (very late) re-delivery is stored again.
      expect(await store("a", old)).not.toBeNull();
    });

    test("the metric outbox: idempotent by source, due in order, published, dropped with reasons, retried with backoff", async () => {
      const s = await engine.store();
      expect(await s.latency.enqueue([metric("s1", { value: 1.5, pipeline: "web", connectionId: "c", provider: "GitHub" }), metric("s2", { fleet: false }), metric("s1")], T(0))).toBe(2);
      expect(await s.latency.enqueue([metric("s2"), metric("s3")], T(1))).toBe(1);
      expect(await s.latency.enqueue([], T(1))).toBe(0);
      const due = await s.latency.due(T(0), 10);
      expect(due).toEqual([{ id: due[0]?.id, metric: "MissedTrigger", unit: "Count", value: 1.5, at: T(0), pipeline: "web", connectionId: "c", provider: "GitHub", fleet: true, attempts: 0 }, expect.objectContaining({ fleet: false })]);
      const ids = (await s.latency.due(T(1), 10)).map((m) => m.id);
      expect(ids).toHaveLength(3);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      const [i1, i2, i3] = ids as [number, number, number];
      await s.latency.retryLater([i1, i2], T(10), "throttled");
      expect((await s.latency.due(T(5), 10)).map((m) => m.id)).toEqual([i3]);
      expect(await s.latency.retrying()).toEqual({ count: 2, reason: "throttled", nextAt: T(10) });
      expect(await s.latency.retryNow(T(6))).toBe(2);
      expect(await s.latency.retryNow(T(6))).toBe(0);
      expect((await s.latency.due(T(6), 10)).map((m) => [m.id, m.attempts])).toEqual([[i1, 1], [i2, 1], [i3, 0]]);
      await s.latency.markPublished([i1], T(7));
      await s.latency.markDropped([i2, i3], "older than two weeks", T(7));
      await s.latency.markDropped([], "nothing", T(7));
      expect(await s.latency.outboxCounts()).toEqual({ pending: 0, published: 1, dropped: 2 });
      expect(await s.latency.droppedReasons()).toEqual([{ reason: "older than two weeks", count: 2 }]);
      expect(await s.latency.retrying()).toEqual({ count: 0, reason: null, nextAt: null });
      expect(await s.latency.due(T(60), 10)).toEqual([]);
    });

    test("enqueueing the same sources from many callers at once stores each once", async () => {
      const s = await engine.store();
      await warm(s);
      const counts = await Promise.all(Array.from({ length: 12 }, (_, i) => s.latency.enqueue([metric("same"), metric(`own-${i}`)], T(0))));
      expect(counts.reduce((n, c) => n + c, 0)).toBe(13);
      expect(await s.latency.outboxCounts()).toEqual({ pending: 13, published: 0, dropped: 0 });
    });
  });

  describe(`${engine.name}: latency samples for the SLO rule`, () => {
    test("latenciesSince: samples only (not negative or no-push), from `since` on, oldest first", async () => {
      const s = await engine.store();
      const base = { account: "111111111111", region: "us-east-1", pipeline: "p", pushId: null, connectionId: null, createdAt: T(0) };
      await s.latency.saveSample({ ...base, executionId: "a", provider: "GitHub", latencyMs: 4000, startTime: T(5), kind: "sample" });
      await s.latency.saveSample({ ...base, executionId: "b", provider: null, latencyMs: 9000, startTime: T(2), kind: "sample" });
      await s.latency.saveSample({ ...base, executionId: "c", provider: "GitHub", latencyMs: -10, startTime: T(3), kind: "negative" });
      await s.latency.saveSample({ ...base, executionId: "d", provider: "GitHub", latencyMs: null, startTime: T(4), kind: "no-push" });
      await s.latency.saveSample({ ...base, executionId: "e", provider: "GitLab", latencyMs: 1000, startTime: T(0), kind: "sample" });
      await s.latency.saveSample({ ...base, executionId: "f", provider: "GitLab", latencyMs: 1500.5, startTime: T(1), kind: "sample" });
      expect(await s.latency.latenciesSince(T(1))).toEqual([
        { startTime: T(1), latencyMs: 1500.5, provider: "GitLab" },
        { startTime: T(2), latencyMs: 9000, provider: null },
        { startTime: T(5), latencyMs: 4000, provider: "GitHub" },
      ]);
      expect(await s.latency.latenciesSince(T(6))).toEqual([]);
    });
  });

  describe(`${engine.name}: alerts: apply`, () => {
    test("a fire writes the alert, its transition and one delivery per channel; the same rule and subject never fires twice while firing", async () => {
      const s = await engine.store();
      const first = await fireAlert(s, T(1), ["slack-1", "webhook-1", "slack-1"]);
      expect(first.fired).toHaveLength(1);
      const id = first.fired[0] ?? 0;
      expect(await s.alerts.get(id)).toMatchObject({ ruleId: "connection-error", subjectKey: alertKey, subject: alertSubject, state: "firing", since: T(0), firedAt: T(1), lastNotifiedAt: T(1), resolvedAt: null });
      const transitions = await s.alerts.transitions([id]);
      expect(transitions.map((t) => [t.kind, t.at, t.notified])).toEqual([["fired", T(1), true]]);
      expect(transitions[0]?.event).toEqual(alertEvent("firing", T(1)));
      // A channel named twice is queued once: (transition, channel) is unique.
      expect((await s.alerts.deliveries(first.transitions)).map((d) => [d.channel, d.state, d.attempts, d.nextAttemptAt])).toEqual([
        ["slack-1", "pending", 0, T(1)],
        ["webhook-1", "pending", 0, T(1)],
      ]);
      expect(await fireAlert(s, T(2))).toEqual({ fired: [], transitions: [] });
      expect(await s.alerts.countFiring()).toBe(1);
      expect(await s.alerts.tracking(["connection-error"])).toEqual([tracked({ evaluatedAt: T(2) })]);
    });

    test("a fire that is not notified sets no last-notified time and queues nothing", async () => {
      const s = await engine.store();
      const { fired, transitions } = await fireAlert(s, T(1), [], false);
      expect((await s.alerts.get(fired[0] ?? 0))?.lastNotifiedAt).toBeNull();
      expect((await s.alerts.transitions(fired)).map((t) => [t.notified, t.note])).toEqual([[false, "silenced"]]);
      expect(await s.alerts.deliveries(transitions)).toEqual([]);
    });

    test("renotify and resolve append transitions and queue deliveries; a resolved alert is not resolved or renotified again", async () => {
      const s = await engine.store();
      const id = (await fireAlert(s, T(1))).fired[0] ?? 0;
      const re = await s.alerts.apply({ ...noChanges, at: T(5), renotify: [{ alertId: id, event: alertEvent("firing", T(5)), notified: true, note: null, channels: ["slack-1"] }] });
      expect((await s.alerts.get(id))?.lastNotifiedAt).toBe(T(5));
      expect((await s.alerts.deliveries(re.transitions)).map((d) => d.channel)).toEqual(["slack-1"]);
      // A renotification that is not sent keeps the last notified time.
      await s.alerts.apply({ ...noChanges, at: T(6), renotify: [{ alertId: id, event: alertEvent("firing", T(6)), notified: false, note: "silenced", channels: [] }] });
      expect((await s.alerts.get(id))?.lastNotifiedAt).toBe(T(5));
      const resolved = await s.alerts.apply({ ...noChanges, at: T(9), untrack: [{ ruleId: "connection-error", subjectKey: alertKey }], resolve: [{ alertId: id, event: alertEvent("resolved", T(9)), notified: true, note: null, channels: ["slack-1", "webhook-1"] }] });
      expect(await s.alerts.get(id)).toMatchObject({ state: "resolved", resolvedAt: T(9) });
      expect(await s.alerts.tracking(["connection-error"])).toEqual([]);
      expect(await s.alerts.deliveries(resolved.transitions)).toHaveLength(2);
      const again = await s.alerts.apply({ ...noChanges, at: T(10), resolve: [{ alertId: id, event: alertEvent("resolved", T(10)), notified: true, note: null, channels: ["slack-1"] }], renotify: [{ alertId: id, event: alertEvent("firing", T(10)), notified: true, note: null, channels: ["slack-1"] }] });
      expect(again.transitions).toEqual([]);
      expect((await s.alerts.transitions([id])).map((t) => t.kind)).toEqual(["fired", "renotified", "renotified", "resolved"]);
      // Once resolved, the same rule and subject fire as a new alert.
      const next = (await fireAlert(s, T(20))).fired[0];
      expect(next).toBeGreaterThan(id);
    });

    test("one transaction: a write that fails leaves no tracking, no alert, no transition and no delivery", async () => {
      const s = await engine.store();
      // The second outbox row fails (no channel), after the tracking row, the alert, its transition and the first row.
      const channels = ["slack-1", null] as unknown as string[];
      await expect(
        s.alerts.apply({ ...noChanges, at: T(1), track: [tracked()], fire: [{ ruleId: "connection-error", subjectKey: alertKey, subject: alertSubject, since: T(0), summary: "x", detail: "x", event: alertEvent("firing", T(1)), notified: true, note: null, channels }] }),
      ).rejects.toThrow(/NOT NULL|not-null/i);
      expect(await s.alerts.list({}, { limit: 10, offset: 0 })).toEqual({ alerts: [], total: 0 });
      expect(await s.alerts.tracking(["connection-error"])).toEqual([]);
      expect(await s.alerts.dueDeliveries(T(59), 10)).toEqual([]);
      // The store is usable after the rollback, and the same evaluation applies cleanly.
      expect((await fireAlert(s, T(2))).fired).toHaveLength(1);
    });

    test("refresh changes the texts of a firing alert only", async () => {
      const s = await engine.store();
      const id = (await fireAlert(s, T(1))).fired[0] ?? 0;
      await s.alerts.apply({ ...noChanges, at: T(2), refresh: [{ alertId: id, summary: "new", detail: "newer" }] });
      expect(await s.alerts.get(id)).toMatchObject({ summary: "new", detail: "newer" });
      expect((await s.alerts.transitions([id])).map((t) => t.kind)).toEqual(["fired"]);
      await s.alerts.apply({ ...noChanges, at: T(3), resolve: [{ alertId: id, event: alertEvent("resolved", T(3)), notified: false, note: null, channels: [] }], refresh: [{ alertId: id, summary: "later", detail: "later" }] });
      expect(await s.alerts.get(id)).toMatchObject({ state: "resolved", summary: "new" });
    });
  });

  describe(`${engine.name}: alerts: one firing alert per rule and subject, whoever writes`, () => {
    test("evaluations applied at once (replicas racing) fire one alert: one fired transition, one delivery per channel; every promise settles", async () => {
      const s = await engine.store();
      await warm(s);
      // Fires only: no tracking row, whose upsert would make the transactions wait for each other anyway.
      const fire = () => s.alerts.apply({ ...noChanges, at: T(1), fire: [{ ruleId: "connection-error", subjectKey: alertKey, subject: alertSubject, since: T(0), summary: "s", detail: "d", event: alertEvent("firing", T(1)), notified: true, note: null, channels: ["slack-1", "webhook-1"] }] });
      const results = await Promise.all(Array.from({ length: 6 }, fire));
      expect(results.map((r) => r.fired.length).sort()).toEqual([0, 0, 0, 0, 0, 1]);
      expect(results.flatMap((r) => r.transitions)).toHaveLength(1);
      expect(await s.alerts.countFiring()).toBe(1);
      const [alert] = await s.alerts.firing();
      expect((await s.alerts.transitions([alert?.id ?? 0])).map((t) => t.kind)).toEqual(["fired"]);
      expect((await s.alerts.dueDeliveries(T(59), 10)).map((d) => d.channel)).toEqual(["slack-1", "webhook-1"]);
    });

    test("resolutions and renotifications racing on one alert: resolved once, nothing after the resolution", async () => {
      const s = await engine.store();
      const id = (await fireAlert(s, T(1))).fired[0] ?? 0;
      await warm(s);
      const resolve = () => s.alerts.apply({ ...noChanges, at: T(5), resolve: [{ alertId: id, event: alertEvent("resolved", T(5)), notified: true, note: null, channels: ["slack-1"] }] });
      const renotify = () => s.alerts.apply({ ...noChanges, at: T(5), renotify: [{ alertId: id, event: alertEvent("firing", T(5)), notified: true, note: null, channels: ["slack-1"] }] });
      await Promise.all([renotify(), resolve(), renotify(), resolve(), renotify(), resolve()]);
      const kinds = (await s.alerts.transitions([id])).map((t) => t.kind);
      expect(kinds.filter((k) => k === "resolved")).toHaveLength(1);
      expect(kinds.at(-1)).toBe("resolved");
      expect(kinds[0]).toBe("fired");
      // Whatever won, every transition queued its delivery exactly once.
      const later = (await s.alerts.transitions([id])).slice(1);
      expect((await s.alerts.deliveries(later.map((t) => t.id))).map((d) => d.transitionId)).toEqual(later.map((t) => t.id));
    });

    test("the database itself refuses a second firing alert for a rule and subject; resolved ones may repeat", async () => {
      const db = await engine.database();
      const s = db.open();
      await fireAlert(s, T(1));
      const row = (state: string) => ({ rule_id: "connection-error", subject_key: alertKey, subject_kind: "connection", subject_id: alertSubject.id, subject_name: alertSubject.name, state, since: T(0), fired_at: T(2), summary: "x", detail: "x" });
      await expect(db.insert("alerts", row("firing"))).rejects.toThrow(/unique/i);
      await db.insert("alerts", row("resolved"));
      await db.insert("alerts", row("resolved"));
      expect(await s.alerts.countFiring()).toBe(1);
      expect((await s.alerts.list({ ruleId: "connection-error" }, { limit: 10, offset: 0 })).total).toBe(3);
      await s.close();
    });
  });

  describe(`${engine.name}: alerts: reading, acknowledging, silencing`, () => {
    test("firing first (newest first), then resolved (latest resolution first); filters by state and rule", async () => {
      const s = await engine.store();
      const other = (n: number) => ({ ...alertSubject, id: `id-${n}`, name: `c${n}` });
      const ids: number[] = [];
      for (const n of [1, 2, 3]) {
        const { fired } = await s.alerts.apply({ ...noChanges, at: T(n), fire: [{ ruleId: n === 3 ? "connection-pending" : "connection-error", subjectKey: `k${n}`, subject: other(n), since: T(0), summary: `s${n}`, detail: "", event: alertEvent("firing", T(n)), notified: true, note: null, channels: [] }] });
        ids.push(fired[0] ?? 0);
      }
      await s.alerts.apply({ ...noChanges, at: T(10), resolve: [{ alertId: ids[0] ?? 0, event: alertEvent("resolved", T(10)), notified: true, note: null, channels: [] }] });
      const all = await s.alerts.list({}, { limit: 10, offset: 0 });
      expect(all.total).toBe(3);
      expect(all.alerts.map((a) => [a.id, a.state])).toEqual([
        [ids[2], "firing"],
        [ids[1], "firing"],
        [ids[0], "resolved"],
      ]);
      expect((await s.alerts.list({ state: "resolved" }, { limit: 10, offset: 0 })).alerts.map((a) => a.id)).toEqual([ids[0]]);
      expect(await s.alerts.list({ ruleId: "connection-error" }, { limit: 1, offset: 1 })).toEqual({ alerts: [expect.objectContaining({ id: ids[0] })], total: 2 });
      expect(await s.alerts.list({ state: "firing", ruleId: "connection-pending" }, { limit: 10, offset: 0 })).toEqual({ alerts: [expect.objectContaining({ id: ids[2] })], total: 1 });
      expect(await s.alerts.countFiring()).toBe(2);
      expect(await s.alerts.firingByRule()).toEqual(
        new Map([
          ["connection-error", 1],
          ["connection-pending", 1],
        ]),
      );
      expect((await s.alerts.firing(["connection-pending"])).map((a) => a.id)).toEqual([ids[2]]);
      expect((await s.alerts.firing()).map((a) => a.id)).toEqual([ids[1], ids[2]]);
      expect(await s.alerts.firing([])).toEqual([]);
      expect(await s.alerts.get(999_999)).toBeNull();
    });

    test("acknowledge and silence mark a firing alert and append a transition carrying its latest event; a resolved alert is refused", async () => {
      const s = await engine.store();
      const id = (await fireAlert(s, T(1))).fired[0] ?? 0;
      expect(await s.alerts.acknowledge(id, "alice@example.com", "looking", T(2))).toMatchObject({ acknowledgedAt: T(2), acknowledgedBy: "alice@example.com", ackReason: "looking" });
      expect(await s.alerts.silence(id, T(50), "alice@example.com", "vendor outage", T(3))).toMatchObject({ silencedUntil: T(50), silencedBy: "alice@example.com", silenceReason: "vendor outage" });
      const ts = await s.alerts.transitions([id]);
      expect(ts.map((t) => [t.kind, t.at, t.actor, t.note, t.notified])).toEqual([
        ["fired", T(1), null, null, true],
        ["acknowledged", T(2), "alice@example.com", "looking", false],
        ["silenced", T(3), "alice@example.com", `until ${T(50)}: vendor outage`, false],
      ]);
      expect(ts[2]?.event).toEqual(ts[0]?.event);
      // Neither queues a delivery.
      expect(await s.alerts.deliveries(ts.slice(1).map((t) => t.id))).toEqual([]);
      await s.alerts.apply({ ...noChanges, at: T(9), resolve: [{ alertId: id, event: alertEvent("resolved", T(9)), notified: true, note: null, channels: [] }] });
      expect(await s.alerts.acknowledge(id, "alice@example.com", "late", T(10))).toBeNull();
      expect(await s.alerts.silence(id, T(60), "alice@example.com", "late", T(10))).toBeNull();
      expect(await s.alerts.acknowledge(999_999, "alice@example.com", "none", T(10))).toBeNull();
      expect((await s.alerts.transitions([id])).map((t) => t.kind)).toEqual(["fired", "acknowledged", "silenced", "resolved"]);
    });
  });

  describe(`${engine.name}: alerts: the notification outbox`, () => {
    test("due deliveries are claimed once per attempt, retried later, delivered or given up", async () => {
      const s = await engine.store();
      await fireAlert(s, T(1));
      const due = await s.alerts.dueDeliveries(T(1), 10);
      expect(due.map((d) => [d.channel, d.transition.kind, d.transition.event.subject.id])).toEqual([
        ["slack-1", "fired", alertSubject.id],
        ["webhook-1", "fired", alertSubject.id],
      ]);
      expect(await s.alerts.dueDeliveries(T(1), 1)).toHaveLength(1);
      const [slack, webhook] = due;
      if (!slack || !webhook) throw new Error("two deliveries expected");
      expect(await s.alerts.claimDelivery(slack.id, T(1), T(2))).toBe(true);
      // Leased: another pass does not take it before the lease ends.
      expect(await s.alerts.claimDelivery(slack.id, T(1), T(2))).toBe(false);
      expect((await s.alerts.dueDeliveries(T(1), 10)).map((d) => d.channel)).toEqual(["webhook-1"]);
      await s.alerts.retryDelivery(slack.id, T(3), 500, "HTTP 500");
      expect(await s.alerts.dueDeliveries(T(2), 10)).toHaveLength(1);
      expect(await s.alerts.claimDelivery(slack.id, T(3), T(4))).toBe(true);
      await s.alerts.markDelivered(slack.id, 200, T(3));
      expect(await s.alerts.claimDelivery(webhook.id, T(3), T(4))).toBe(true);
      await s.alerts.failDelivery(webhook.id, 404, "HTTP 404: not a retryable answer", T(3));
      expect((await s.alerts.deliveries([slack.transitionId])).map((d) => [d.channel, d.state, d.attempts, d.lastStatus, d.lastError, d.doneAt])).toEqual([
        ["slack-1", "sent", 2, 200, null, T(3)],
        ["webhook-1", "failed", 1, 404, "HTTP 404: not a retryable answer", T(3)],
      ]);
      expect(await s.alerts.dueDeliveries(T(59), 10)).toEqual([]);
      // A delivery that is done is not moved again.
      await s.alerts.retryDelivery(slack.id, T(9), 500, "late");
      expect((await s.alerts.deliveries([slack.transitionId]))[0]?.state).toBe("sent");
    });

    test("one due delivery claimed by several senders at once: exactly one gets it", async () => {
      const s = await engine.store();
      await fireAlert(s, T(1), ["slack-1"]);
      const [d] = await s.alerts.dueDeliveries(T(1), 10);
      await warm(s);
      const claims = await Promise.all(Array.from({ length: 6 }, () => s.alerts.claimDelivery(d?.id ?? 0, T(1), T(2))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await s.alerts.deliveries([d?.transitionId ?? 0]))[0]?.attempts).toBe(1);
    });

    test("a restart loses nothing: pending deliveries and a lease cut short are due again after reopening", async () => {
      const db = await engine.database();
      const s1 = db.open();
      const { transitions } = await fireAlert(s1, T(1));
      const [first] = await s1.alerts.dueDeliveries(T(1), 10);
      await s1.alerts.claimDelivery(first?.id ?? 0, T(1), T(2));
      await s1.close(); // the process dies mid-attempt
      const s2 = db.open();
      expect((await s2.alerts.dueDeliveries(T(1), 10)).map((d) => d.channel)).toEqual(["webhook-1"]);
      // Due order: the oldest due first (the webhook's since T(1), then the slack one whose lease ended at T(2)).
      expect((await s2.alerts.dueDeliveries(T(2), 10)).map((d) => [d.channel, d.attempts])).toEqual([
        ["webhook-1", 0],
        ["slack-1", 1],
      ]);
      expect(await s2.alerts.deliveries(transitions)).toHaveLength(2);
      await s2.close();
    });
  });

  describe(`${engine.name}: the event outbox (status changes for the event bus)`, () => {
    test("with events, each observed transition is queued once with its detail; initial state and unchanged listings queue nothing", async () => {
      const s = await engine.store();
      await s.history.recordListing(connections, [conn("a", "PENDING"), conn("b", "AVAILABLE")], T(0), undefined, { events: true });
      expect(await s.alerts.outboxEvents(10)).toEqual([]);
      const changed = await s.history.recordListing(connections, [conn("a", "ERROR"), conn("c", "PENDING")], T(1), undefined, { events: true });
      expect(await s.history.recordListing(connections, [conn("a", "ERROR"), conn("c", "PENDING")], T(2), undefined, { events: true })).toEqual([]);
      const events = (await s.alerts.outboxEvents(10)).reverse();
      expect(events.map((e) => [e.eventKey, e.detailType, e.state, e.attempts, e.nextAttemptAt])).toEqual(
        changed.map((h) => [`status-${h.seq}`, "Tether Connection Status Change", "pending", 0, T(1)]),
      );
      const details = events.map((e) => JSON.parse(e.detail) as Record<string, unknown>);
      const a = conn("a", "ERROR");
      expect(details.find((d) => d.id === "a")).toEqual({ version: "1", eventId: `tether-status-${changed.find((h) => h.id === "a")?.seq}`, kind: "connection", account: a.account, region: a.region, id: "a", arn: a.arn, name: a.name, provider: a.provider, from: "PENDING", to: "ERROR", observedAt: T(1) });
      expect(details.map((d) => [d.id, d.from, d.to])).toEqual(expect.arrayContaining([["a", "PENDING", "ERROR"], ["b", "AVAILABLE", "DELETED"], ["c", null, "PENDING"]]));
      expect(events.find((e) => JSON.parse(e.detail).id === "a")?.resources).toEqual([a.arn]);
      // Without events (no bus configured) a change queues nothing.
      await s.history.recordListing(connections, [conn("a", "AVAILABLE"), conn("c", "PENDING")], T(3));
      expect(await s.alerts.outboxEvents(10)).toHaveLength(3);
    });

    test("due events are claimed once per attempt, retried, sent or given up; sent ones are pruned", async () => {
      const s = await engine.store();
      await s.history.recordListing(connections, [conn("a", "PENDING")], T(0), undefined, { events: true });
      await s.history.recordListing(connections, [conn("a", "ERROR")], T(1), undefined, { events: true });
      await s.history.recordListing(connections, [conn("a", "AVAILABLE")], T(2), undefined, { events: true });
      const due = await s.alerts.dueEvents(T(2), 10);
      expect(due.map((e) => JSON.parse(e.detail).to)).toEqual(["ERROR", "AVAILABLE"]);
      expect(await s.alerts.dueEvents(T(1), 10)).toHaveLength(1);
      const [first, second] = due;
      if (!first || !second) throw new Error("two events expected");
      await warm(s);
      const claims = await Promise.all(Array.from({ length: 4 }, () => s.alerts.claimEvent(first.id, T(2), T(3))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await s.alerts.dueEvents(T(2), 10)).map((e) => e.id)).toEqual([second.id]);
      await s.alerts.retryEvent(first.id, T(5), "ThrottlingException: Rate exceeded.");
      expect(await s.alerts.claimEvent(first.id, T(4), T(6))).toBe(false);
      expect(await s.alerts.claimEvent(first.id, T(5), T(6))).toBe(true);
      await s.alerts.eventSent(first.id, T(5));
      expect(await s.alerts.claimEvent(second.id, T(5), T(6))).toBe(true);
      await s.alerts.failEvent(second.id, "gave up", T(5));
      expect((await s.alerts.outboxEvents(10)).map((e) => [e.id, e.state, e.attempts, e.lastError, e.doneAt])).toEqual([
        [second.id, "failed", 1, "gave up", T(5)],
        [first.id, "sent", 2, null, T(5)],
      ]);
      await s.alerts.retryEvent(first.id, T(9), "late");
      expect(await s.alerts.dueEvents(T(59), 10)).toEqual([]);
      await s.alerts.prune(T(5));
      expect(await s.alerts.outboxEvents(10)).toHaveLength(2);
      await s.alerts.prune(T(6));
      expect(await s.alerts.outboxEvents(10)).toEqual([]);
    });

    test("hosts are Tether Host Status Change events", async () => {
      const s = await engine.store();
      const h = (status: string) => ({ kind: "host" as const, account: scope.account, region: scope.region, id: "h1", arn: `arn:aws:codeconnections:${scope.region}:${scope.account}:host/h1`, name: "ghe", provider: "GitHubEnterpriseServer", status });
      await s.history.recordListing(hosts, [h("PENDING")], T(0), undefined, { events: true });
      await s.history.recordListing(hosts, [h("AVAILABLE")], T(1), undefined, { events: true });
      const [e] = await s.alerts.outboxEvents(10);
      expect(e?.detailType).toBe("Tether Host Status Change");
      expect(JSON.parse(e?.detail ?? "{}")).toMatchObject({ kind: "host", id: "h1", provider: "GitHubEnterpriseServer", from: "PENDING", to: "AVAILABLE" });
    });
  });

  describe(`${engine.name}: alerts: rule settings, maintenance windows, job runs, pruning`, () => {
    test("rule settings are replaced as a whole", async () => {
      const s = await engine.store();
      await s.alerts.saveRuleSettings({ ruleId: "connection-pending", enabled: false, params: { hours: 48 }, channels: ["slack-1"], updatedAt: T(1), updatedBy: "alice@example.com" });
      expect(await s.alerts.ruleSettings()).toEqual([{ ruleId: "connection-pending", enabled: false, params: { hours: 48 }, channels: ["slack-1"], updatedAt: T(1), updatedBy: "alice@example.com" }]);
      await s.alerts.saveRuleSettings({ ruleId: "connection-pending", enabled: true, params: { hours: 12 }, channels: null, updatedAt: T(2), updatedBy: "carol@example.com" });
      await s.alerts.saveRuleSettings({ ruleId: "connection-error", enabled: true, params: {}, channels: [], updatedAt: T(3), updatedBy: "carol@example.com" });
      expect(await s.alerts.ruleSettings()).toEqual([
        { ruleId: "connection-error", enabled: true, params: {}, channels: [], updatedAt: T(3), updatedBy: "carol@example.com" },
        { ruleId: "connection-pending", enabled: true, params: { hours: 12 }, channels: null, updatedAt: T(2), updatedBy: "carol@example.com" },
      ]);
    });

    test("windows that have not ended are listed; ending one early ends it now", async () => {
      const s = await engine.store();
      const w = await s.alerts.addWindow({ account: "111111111111", region: null, startsAt: T(10), endsAt: T(40), reason: "upgrade", createdBy: "alice@example.com", createdAt: T(1) });
      expect(w).toEqual({ id: expect.any(Number), account: "111111111111", region: null, startsAt: T(10), endsAt: T(40), reason: "upgrade", createdBy: "alice@example.com", createdAt: T(1) });
      const later = await s.alerts.addWindow({ account: null, region: null, startsAt: T(50), endsAt: T(55), reason: "all", createdBy: "alice@example.com", createdAt: T(1) });
      expect((await s.alerts.windows(T(20))).map((x) => x.id)).toEqual([w.id, later.id]);
      expect(await s.alerts.endWindow(w.id, T(20))).toBe(true);
      expect(await s.alerts.endWindow(w.id, T(21))).toBe(false);
      expect((await s.alerts.windows(T(20))).map((x) => x.id)).toEqual([later.id]);
      // A window ended before it started is an empty one, not an inverted one.
      expect(await s.alerts.endWindow(later.id, T(30))).toBe(true);
      expect((await s.alerts.windows(T(0))).find((x) => x.id === later.id)).toMatchObject({ startsAt: T(30), endsAt: T(30) });
    });

    test("job runs keep the last success across failures", async () => {
      const s = await engine.store();
      await s.alerts.recordRun("poller", T(1), null);
      await s.alerts.recordRun("poller", T(2), "listing failed");
      await s.alerts.recordRun("metrics", T(2), "CloudWatch throttled");
      expect(await s.alerts.runs()).toEqual([
        { job: "metrics", lastRunAt: T(2), lastOkAt: null, lastError: "CloudWatch throttled" },
        { job: "poller", lastRunAt: T(2), lastOkAt: T(1), lastError: "listing failed" },
      ]);
      await s.alerts.recordRun("poller", T(3), null);
      expect((await s.alerts.runs()).find((r) => r.job === "poller")).toEqual({ job: "poller", lastRunAt: T(3), lastOkAt: T(3), lastError: null });
    });

    test("prune drops alerts resolved before the cut with their transitions and deliveries; firing ones, recent windows and tracking stay", async () => {
      const s = await engine.store();
      const old = (await fireAlert(s, T(1))).fired[0] ?? 0;
      await s.alerts.apply({ ...noChanges, at: T(2), resolve: [{ alertId: old, event: alertEvent("resolved", T(2)), notified: true, note: null, channels: ["slack-1"] }] });
      const firing = (await fireAlert(s, T(3))).fired[0] ?? 0;
      await s.alerts.addWindow({ account: null, region: null, startsAt: T(0), endsAt: T(5), reason: "over", createdBy: "alice@example.com", createdAt: T(0) });
      const open = await s.alerts.addWindow({ account: null, region: null, startsAt: T(0), endsAt: T(59), reason: "open", createdBy: "alice@example.com", createdAt: T(0) });
      await s.alerts.apply({ ...noChanges, at: T(40), track: [tracked({ subjectKey: "recent", evaluatedAt: T(40) })] });
      expect(await s.alerts.prune(T(30))).toBe(1);
      expect(await s.alerts.get(old)).toBeNull();
      expect(await s.alerts.transitions([old])).toEqual([]);
      expect((await s.alerts.get(firing))?.state).toBe("firing");
      expect((await s.alerts.dueDeliveries(T(59), 10)).every((d) => d.transition.alertId === firing)).toBe(true);
      expect((await s.alerts.windows(T(0))).map((w) => w.id)).toEqual([open.id]);
      expect((await s.alerts.tracking(["connection-error"])).map((t) => t.subjectKey)).toEqual(["recent"]);
    });
  });

  describe(`${engine.name}: migration 8: alerts`, () => {
    test("from version 7 every row is kept and the alert tables start empty", async () => {
      const db = await engine.database();
      await db.migrateTo(7);
      await db.insert("resources", { kind: "connection", account: "111111111111", region: "us-east-1", id: "c1", arn: "arn", name: "c1", provider: "GitHub", status: "ERROR", first_seen_at: T(0), status_since: T(0), last_seen_at: T(0) });
      await db.insert("audit", { at: T(0), actor: "a", actor_role: "admin", via: "session", action: "x", target_kind: "y", target: "z", outcome: "allowed" });
      const s = db.open(); // runs migration 8
      expect((await s.history.resources()).map((r) => [r.id, r.status])).toEqual([["c1", "ERROR"]]);
      expect((await s.audit.list({}, { limit: 10, offset: 0 })).total).toBe(1);
      expect(await s.alerts.countFiring()).toBe(0);
      expect(await s.alerts.ruleSettings()).toEqual([]);
      expect(await s.alerts.runs()).toEqual([]);
      expect((await fireAlert(s, T(1))).fired).toHaveLength(1);
      await s.close();
    });
  });
}
