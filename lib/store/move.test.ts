import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, test, vi } from "vitest";
import { openPostgresStore } from "@/lib/store/postgres";
import { openSqliteStore } from "@/lib/store/sqlite";
import { createTestDatabase } from "@/lib/store/test-database";
import type { Store } from "@/lib/store/types";
import type { AlertEvent } from "@/lib/types";
import { moveSqliteToPostgres, redact } from "./move";

vi.setConfig({ testTimeout: 60_000 });

const T = (m: number) => new Date(Date.UTC(2026, 10, 25, 12, m)).toISOString();
const sha40 = (x: string) => createHash("sha1").update(x).digest("hex");
const A = "111111111111";
const R = "us-east-1";
const stores: Store[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
});

/** A SQLite store with rows in every table, written through the repositories. */
async function seeded(): Promise<string> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-move-")), "tether.db");
  const s = openSqliteStore(file);
  const conn = (id: string, status: string) => ({ kind: "connection" as const, account: A, region: R, id, arn: `arn:aws:codeconnections:${R}:${A}:connection/${id}`, name: `c-${id}`, provider: "GitHub", status });
  await s.history.recordListing({ kind: "connection", account: A, region: null }, [conn("a", "PENDING"), conn("b", "AVAILABLE")], T(0), R);
  await s.history.recordListing({ kind: "connection", account: A, region: null }, [conn("a", "AVAILABLE")], T(1), R);
  await s.history.recordFailure({ kind: "host", account: A, region: R }, "throttled", T(2));
  const intent = await s.audit.append({ actor: "alice@example.com", actorRole: "admin", via: "session", action: "connection.resume", targetKind: "connection", target: `${A}/${R}/a`, targetName: "c-a", outcome: "allowed", statusBefore: "PENDING" }, T(3));
  await s.audit.append({ actor: "system", actorRole: "none", via: "system", action: "connection.resume.outcome", targetKind: "connection", target: `${A}/${R}/a`, outcome: "completed", relatedId: intent.id }, T(4));
  await s.audit.refuse({ actor: "bob@example.com", actorRole: "viewer", via: "session", action: "pipeline.release", targetKind: "pipeline", target: "p", outcome: "refused" }, T(5));
  await s.audit.refuse({ actor: "bob@example.com", actorRole: "viewer", via: "session", action: "pipeline.release", targetKind: "pipeline", target: "q", outcome: "refused" }, T(5));
  const eve = await s.audit.append({ actor: "eve@example.com", actorRole: "viewer", via: "session", action: "connection.delete", targetKind: "connection", target: "x", outcome: "refused" }, T(5));
  await s.tokens.create({ id: "tok", name: "ops", role: "admin", hash: "hash", hint: "abcd", createdBy: "alice@example.com", creatorGroups: ["platform"], createdAt: T(0), expiresAt: T(600) });
  await s.tokens.touch("tok", T(6));
  await s.sessions.start({ id: "s1", actor: "alice@example.com", name: "Alice", groups: ["platform"], createdAt: T(0), expiresAt: T(720) });
  await s.sessions.end("s1", "alice@example.com", "signed out", T(7));
  await s.sessions.start({ id: "s2", actor: "Bob@example.com", name: null, groups: [], createdAt: T(1), expiresAt: T(721) });
  const w = await s.watches.start({ kind: "connection", account: A, region: R, resourceId: "a", arn: "arn", name: "c-a", auditId: intent.id, startedBy: "alice@example.com", startedAt: T(3), deadlineAt: T(18), statusBefore: "PENDING" });
  await s.watches.check(w.id, "PENDING");
  const def = { account: A, region: R, name: "web", pipelineType: "V2", version: 3, sourceActions: [{ stage: "Source", name: "Src", connectionArn: "arn:conn/a", repository: "acme/web", branch: "main", detectChanges: true, outputArtifactFormat: null }], triggers: [] };
  await s.pipelines.saveDefinition({ name: "web", version: 3, pipelineType: "V2", created: T(0), updated: T(0) }, def, [{ account: A, region: R, pipeline: "web", actionName: "Src", connectionAccount: A, connectionRegion: R, connectionId: "a", connectionArn: "arn:conn/a", repository: "acme/web", branch: "main" }], T(0));
  await s.pipelines.markSwept(A, R, "web", T(8));
  await s.pipelines.markMapped({ account: A, region: R }, T(8));
  await s.pipelines.saveExecutions(A, R, "web", [{ executionId: "e1", status: "Succeeded", startTime: T(9), lastUpdateTime: T(10), triggerType: "Webhook", triggerDetail: "d", revisionId: sha40("p2"), revisionSummary: "fix" }]);
  // Pushes: one pruned later, so SQLite's sequence is ahead of the highest id left.
  const push = (id: string, at: string) => s.latency.storePushDelivery({ provider: "github", deliveryId: id, repository: "acme/web", branch: "main", sha: sha40(id), beforeSha: null, paths: ["a.ts"], pushedAt: at, receivedAt: at }, "push", [{ metric: "WebhookDelivery", unit: "Count", value: 1, at, pipeline: null, connectionId: null, provider: "GitHub", fleet: true, source: `delivery:${id}` }]);
  const p2 = await push("p2", T(9));
  await push("p3", T(11));
  // The last push (the highest id) is judged and old: pruned below.
  const old = await push("p1", "2026-10-01T00:00:00.000Z");
  await s.latency.markEvaluated(old?.id ?? 0, "2026-10-01T00:10:00.000Z");
  await s.latency.recordDelivery("github", "ping-1", "ping", "ok", T(9));
  await s.latency.saveSample({ account: A, region: R, pipeline: "web", executionId: "e1", pushId: p2?.id ?? null, connectionId: "a", provider: "GitHub", latencyMs: 1234.5, startTime: T(9), kind: "sample", createdAt: T(12) });
  await s.latency.saveMissed({ pushId: p2?.id ?? 0, account: A, region: R, pipeline: "api", connectionId: "a", provider: "GitHub", state: "missed", reason: "no start", detectedAt: T(13) });
  const [due] = await s.latency.due(T(20), 1);
  await s.latency.markDropped([due?.id ?? 0], "older than two weeks", T(14));
  await s.latency.prune("2026-11-01T00:00:00.000Z");
  // Alerts: a rule changed; alert 1 fires (acknowledged, one delivery sent), alert 2 resolved, alert 3
  // resolved long ago and pruned (the highest id: SQLite's sequence is ahead again); a window; job runs.
  const subject = { kind: "connection" as const, id: "a", name: "c-a", account: A, region: R, arn: `arn:aws:codeconnections:${R}:${A}:connection/a`, provider: "GitHub" };
  const event = (state: "firing" | "resolved"): AlertEvent => ({ rule: "connection-error", ruleTitle: "Connection in ERROR", state, since: T(0), firedAt: T(2), resolvedAt: null, summary: "c-a is ERROR", detail: "d", subject, guidance: null });
  const none = { track: [], untrack: [], fire: [], renotify: [], resolve: [], refresh: [] };
  const fire = async (subjectKey: string, at: string) =>
    (await s.alerts.apply({ ...none, at, fire: [{ ruleId: "connection-error", subjectKey, subject, since: T(0), summary: "c-a is ERROR", detail: "d", event: event("firing"), notified: true, note: null, channels: ["slack-1", "webhook-1"] }] })).fired[0] ?? 0;
  const resolve = (alertId: number, at: string) => s.alerts.apply({ ...none, at, resolve: [{ alertId, event: event("resolved"), notified: true, note: null, channels: ["slack-1"] }] });
  await s.alerts.saveRuleSettings({ ruleId: "connection-pending", enabled: false, params: { hours: 48 }, channels: ["slack-1"], updatedAt: T(1), updatedBy: "alice@example.com" });
  const firing = await fire("k1", T(2));
  await resolve(await fire("k2", T(3)), T(10));
  await resolve(await fire("k3", T(3)), T(3));
  await s.alerts.prune(T(4));
  await s.alerts.apply({ ...none, at: T(11), track: [{ ruleId: "connection-error", subjectKey: "k4", observedSince: T(11), trueCount: 1, falseCount: 0, evaluatedAt: T(11) }] });
  await s.alerts.acknowledge(firing, "alice@example.com", "looking", T(12));
  const [sending] = await s.alerts.dueDeliveries(T(2), 1);
  await s.alerts.claimDelivery(sending?.id ?? 0, T(2), T(3));
  await s.alerts.markDelivered(sending?.id ?? 0, 200, T(2));
  await s.alerts.addWindow({ account: A, region: null, startsAt: T(20), endsAt: T(50), reason: "upgrade", createdBy: "alice@example.com", createdAt: T(12) });
  await s.alerts.recordRun("poller", T(12), null);
  await s.alerts.recordRun("metrics", T(12), "throttled");
  await s.close();
  // A burst opened before its key became JSON ("actor NUL action"): moved with the key rewritten.
  const raw = new Database(file);
  raw.prepare("INSERT INTO audit_bursts (key, first_id, ends_at, more, targets, varied) VALUES (?, ?, ?, 2, '[\"x\"]', 1)").run("eve@example.com\u0000connection.delete", eve.id, T(6));
  raw.close();
  return file;
}

/** What the repositories read, the same way on both engines. */
async function snapshot(s: Store) {
  const byKey = <T>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const transitions = await s.alerts.transitions([1, 2, 3]);
  return {
    resources: byKey(await s.history.resources({ includeDeleted: true })),
    historyA: await s.history.history("connection", A, R, "a"),
    historyB: await s.history.history("connection", A, R, "b"),
    changes: await s.history.changesSince(T(0), 100),
    listings: await s.history.listingStates(),
    audit: await s.audit.list({}, { limit: 100, offset: 0 }),
    nextBurstEnd: await s.audit.nextBurstEnd(),
    tokens: await s.tokens.list(),
    sessions: await Promise.all(["s1", "s2"].map((id) => s.sessions.get(id))),
    latestBob: await s.sessions.latestOf("bob@example.com"),
    watches: await s.watches.recent(T(0)),
    pipelines: byKey(await s.pipelines.all()),
    uses: byKey(await s.pipelines.uses()),
    executions: await s.pipelines.executions(A, R, "web", 10),
    mapped: [...(await s.pipelines.mapped())],
    // The change numbers move too: a board that read number 1 before the move reads the same changes after it.
    pipelineChanges: await s.pipelines.changes(1, T(0)),
    pushes: await s.latency.recentPushes(100),
    samples: await s.latency.sampleCounts(T(0)),
    missed: await s.latency.missedSince(T(0)),
    due: await s.latency.due(T(60), 100),
    outbox: await s.latency.outboxCounts(),
    dropped: await s.latency.droppedReasons(),
    ruleSettings: await s.alerts.ruleSettings(),
    alerts: await s.alerts.list({}, { limit: 100, offset: 0 }),
    tracking: await s.alerts.tracking(["connection-error"]),
    transitions,
    deliveries: await s.alerts.deliveries(transitions.map((t) => t.id)),
    dueNotifications: await s.alerts.dueDeliveries(T(60), 100),
    windows: await s.alerts.windows(T(0)),
    runs: await s.alerts.runs(),
  };
}

describe("moving a SQLite store to PostgreSQL", () => {
  test("every table is copied; the PostgreSQL repositories read what the SQLite ones read; ids go on after the highest SQLite ever gave", async () => {
    const file = await seeded();
    const before = openSqliteStore(file);
    const expected = await snapshot(before);
    await before.close();
    const { url } = await createTestDatabase({ empty: true });
    const lines: string[] = [];
    const moved = await moveSqliteToPostgres(file, url, (l) => lines.push(l));
    expect(moved.map((m) => m.table).sort()).toEqual([
      "alert_rules",
      "alert_tracking",
      "alert_transitions",
      "alerts",
      "api_tokens",
      "audit",
      "audit_bursts",
      "deliveries",
      "discovery_runs",
      "event_outbox",
      "executions",
      "job_runs",
      "leases",
      "listing_state",
      "maintenance_windows",
      "metric_outbox",
      "missed_triggers",
      "notification_outbox",
      "pipeline_maps",
      "pipeline_seq",
      "pipeline_sources",
      "pipelines",
      "pushes",
      "resources",
      "samples",
      "sessions",
      "shared_listings",
      "status_history",
      "watches",
    ]);
    // Referenced tables first.
    const order = moved.map((m) => m.table);
    for (const [table, ref] of [["watches", "audit"], ["samples", "pushes"], ["missed_triggers", "pushes"], ["audit_bursts", "audit"], ["alert_transitions", "alerts"], ["notification_outbox", "alert_transitions"]] as const) expect(order.indexOf(table)).toBeGreaterThan(order.indexOf(ref));
    expect(Object.fromEntries(moved.map((m) => [m.table, m.rows]))).toMatchObject({ audit: 4, resources: 2, status_history: 4, pushes: 2, deliveries: 3, audit_bursts: 2, sessions: 2, alerts: 2, alert_transitions: 4, notification_outbox: 5, alert_tracking: 1, alert_rules: 1, maintenance_windows: 1, job_runs: 2 });
    expect(lines).toContain(`  ${"audit".padEnd(20)}${"4".padStart(9)}`);

    const after = openPostgresStore(url, { poolSize: 2 });
    stores.push(after);
    expect(await snapshot(after)).toEqual(expected);
    // Delivery ids came along: a re-delivery is still a duplicate.
    expect(await after.latency.recordDelivery("github", "ping-1", "ping", "ok", T(30))).toBe(false);
    // Pushes 1 and 2 are left; 3 was pruned, and SQLite would never give its id again: nor does PostgreSQL.
    expect(expected.pushes.map((p) => p.id).sort()).toEqual([1, 2]);
    const next = await after.latency.savePush({ provider: "github", deliveryId: "p4", repository: "acme/web", branch: "main", sha: sha40("p4"), beforeSha: null, paths: null, pushedAt: T(40), receivedAt: T(40) });
    expect(next.id).toBe(4);
    // Alert 3 was pruned: the next alert is 4, and its rows follow the highest SQLite gave too.
    expect(expected.alerts.alerts.map((a) => [a.id, a.state])).toEqual([
      [1, "firing"],
      [2, "resolved"],
    ]);
    const fired = await after.alerts.apply({ at: T(42), track: [], untrack: [], renotify: [], resolve: [], refresh: [], fire: [{ ruleId: "connection-error", subjectKey: "k5", subject: expected.alerts.alerts[0]!.subject, since: T(42), summary: "s", detail: "d", event: expected.transitions[0]!.event, notified: true, note: null, channels: ["slack-1"] }] });
    expect(fired.fired).toEqual([4]);
    expect(fired.transitions[0]).toBeGreaterThan(Math.max(...expected.transitions.map((t) => t.id)));
    // The moved outbox goes on: what was pending is still due, what was sent is not.
    expect(expected.dueNotifications.map((d) => [d.transition.alertId, d.channel])).toEqual([
      [1, "webhook-1"],
      [2, "slack-1"],
      [2, "webhook-1"],
      [2, "slack-1"],
    ]);
    const [first] = await Promise.all([after.audit.append({ actor: "x", actorRole: "admin", via: "system", action: "a", targetKind: "t", target: "t", outcome: "allowed" }, T(41))]);
    expect(first?.id).toBe(Math.max(...expected.audit.records.map((r) => r.id)) + 1);
    // The bursts go on, both with a JSON key now: the next refusal of either actor is counted, and
    // each is summarised when it ends (both at T(6); in key order).
    const again = (actor: string, action: string, target: string) => after.audit.refuse({ actor, actorRole: "viewer", via: "session", action, targetKind: "pipeline", target, outcome: "refused" }, T(5));
    expect(await again("bob@example.com", "pipeline.release", "r")).toBeNull();
    expect(await again("eve@example.com", "connection.delete", "y")).toBeNull();
    const summaries = await after.audit.closeBursts(T(60));
    expect(summaries.map((r) => [r.actor, r.detail])).toEqual([
      ["bob@example.com", expect.stringMatching(/^and 2 more within a minute of #\d+; targets include q, r$/)],
      ["eve@example.com", expect.stringMatching(/^and 3 more within a minute of #\d+; targets include x, y, …$/)],
    ]);
  });

  test("a database that is not empty is refused, and left as it was", async () => {
    const file = await seeded();
    const { url } = await createTestDatabase({ empty: true });
    await moveSqliteToPostgres(file, url);
    const count = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return Number((await c.query("SELECT COUNT(*) AS n FROM audit")).rows[0]?.n);
      } finally {
        await c.end();
      }
    };
    expect(await count()).toBe(4);
    await expect(moveSqliteToPostgres(file, url)).rejects.toThrow(/^the PostgreSQL database is not empty: .*audit \(4\).*Move into a new, empty database.*\(nothing was written to PostgreSQL\)$/);
    expect(await count()).toBe(4);
  });

  test("text PostgreSQL cannot hold stops the move before anything is written, naming the row; a missing file is said so", async () => {
    const file = await seeded();
    const raw = new Database(file);
    raw.prepare("UPDATE pushes SET branch = ? WHERE delivery_id = 'p3'").run("ma\u0000in");
    const id = (raw.prepare("SELECT id FROM pushes WHERE delivery_id = 'p3'").get() as { id: number }).id;
    raw.close();
    const { url } = await createTestDatabase({ empty: true });
    await expect(moveSqliteToPostgres(file, url)).rejects.toThrow(`pushes.branch (id ${id}) holds a NUL character`);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      // Migrated, and empty: the copy's transaction was rolled back whole.
      expect((await c.query("SELECT (SELECT COUNT(*) FROM audit)::int AS audit, (SELECT COUNT(*) FROM resources)::int AS resources")).rows).toEqual([{ audit: 0, resources: 0 }]);
    } finally {
      await c.end();
    }
    await expect(moveSqliteToPostgres(path.join(path.dirname(file), "nope.db"), url)).rejects.toThrow(/^no SQLite file at .*nope\.db$/);
  });

  test("messages never show the password", () => {
    expect(redact("postgres://tether:s3cret@db.example.com:5432/tether?sslmode=verify-full")).toBe("postgres://tether:***@db.example.com:5432/tether?sslmode=verify-full");
    expect(redact("postgresql://db.example.com/tether")).toBe("postgresql://db.example.com/tether");
  });
});
