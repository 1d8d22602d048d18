import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { MIGRATIONS } from "@/lib/store/migrations";
import type { AlertChanges, AlertTracking, Store } from "@/lib/store/types";
import type { AlertEvent, AlertSubject } from "@/lib/types";
import { migrate, openSqliteStore } from ".";

const T = (m: number) => new Date(Date.UTC(2026, 10, 25, 12, m)).toISOString();
const subject: AlertSubject = { kind: "connection", id: "b46e6780-f86f-4021-b10c-ccba2f8e35b4", name: "docs-site-github", account: "111111111111", region: "us-east-1", arn: "arn:aws:codeconnections:us-east-1:111111111111:connection/b46e6780-f86f-4021-b10c-ccba2f8e35b4", provider: "GitHub" };
const key = "connection|111111111111|us-east-1|b46e6780-f86f-4021-b10c-ccba2f8e35b4";
const event = (state: "firing" | "resolved", at: string): AlertEvent => ({ rule: "connection-error", ruleTitle: "Connection in ERROR", state, since: T(0), firedAt: T(1), resolvedAt: state === "resolved" ? at : null, summary: "docs-site-github is ERROR", detail: "…", subject, guidance: null });
const none = { track: [], untrack: [], fire: [], renotify: [], resolve: [], refresh: [] } satisfies Omit<AlertChanges, "at">;
const tracking = (over: Partial<AlertTracking> = {}): AlertTracking => ({ ruleId: "connection-error", subjectKey: key, observedSince: T(0), trueCount: 2, falseCount: 0, evaluatedAt: T(1), ...over });

async function fire(s: Store, at: string, channels = ["slack-1", "webhook-1"], notified = true) {
  return s.alerts.apply({ ...none, at, track: [tracking({ evaluatedAt: at })], fire: [{ ruleId: "connection-error", subjectKey: key, subject, since: T(0), summary: "docs-site-github is ERROR", detail: "…", event: event("firing", at), notified, note: notified ? null : "silenced", channels }] });
}

describe("alerts: apply", () => {
  test("a fire writes the alert, its transition and one delivery per channel; the same rule and subject never fires twice while firing", async () => {
    const s = openSqliteStore(":memory:");
    const first = await fire(s, T(1), ["slack-1", "webhook-1", "slack-1"]);
    expect(first.fired).toHaveLength(1);
    const id = first.fired[0] ?? 0;
    expect(await s.alerts.get(id)).toMatchObject({ ruleId: "connection-error", subjectKey: key, subject, state: "firing", since: T(0), firedAt: T(1), lastNotifiedAt: T(1), resolvedAt: null });
    const transitions = await s.alerts.transitions([id]);
    expect(transitions.map((t) => [t.kind, t.at, t.notified])).toEqual([["fired", T(1), true]]);
    expect(transitions[0]?.event).toEqual(event("firing", T(1)));
    // A channel named twice is queued once: (transition, channel) is unique.
    expect((await s.alerts.deliveries(first.transitions)).map((d) => [d.channel, d.state, d.attempts, d.nextAttemptAt])).toEqual([
      ["slack-1", "pending", 0, T(1)],
      ["webhook-1", "pending", 0, T(1)],
    ]);
    expect(await fire(s, T(2))).toEqual({ fired: [], transitions: [] });
    expect(await s.alerts.countFiring()).toBe(1);
    expect(await s.alerts.tracking(["connection-error"])).toEqual([tracking({ evaluatedAt: T(2) })]);
  });

  test("a fire that is not notified sets no last-notified time and queues nothing", async () => {
    const s = openSqliteStore(":memory:");
    const { fired, transitions } = await fire(s, T(1), [], false);
    expect((await s.alerts.get(fired[0] ?? 0))?.lastNotifiedAt).toBeNull();
    expect((await s.alerts.transitions(fired)).map((t) => [t.notified, t.note])).toEqual([[false, "silenced"]]);
    expect(await s.alerts.deliveries(transitions)).toEqual([]);
  });

  test("renotify and resolve append transitions and queue deliveries; a resolved alert is not resolved or renotified again", async () => {
    const s = openSqliteStore(":memory:");
    const id = (await fire(s, T(1))).fired[0] ?? 0;
    const re = await s.alerts.apply({ ...none, at: T(5), renotify: [{ alertId: id, event: event("firing", T(5)), notified: true, note: null, channels: ["slack-1"] }] });
    expect((await s.alerts.get(id))?.lastNotifiedAt).toBe(T(5));
    expect((await s.alerts.deliveries(re.transitions)).map((d) => d.channel)).toEqual(["slack-1"]);
    const resolved = await s.alerts.apply({ ...none, at: T(9), untrack: [{ ruleId: "connection-error", subjectKey: key }], resolve: [{ alertId: id, event: event("resolved", T(9)), notified: true, note: null, channels: ["slack-1", "webhook-1"] }] });
    expect(await s.alerts.get(id)).toMatchObject({ state: "resolved", resolvedAt: T(9) });
    expect(await s.alerts.tracking(["connection-error"])).toEqual([]);
    expect((await s.alerts.deliveries(resolved.transitions))).toHaveLength(2);
    const again = await s.alerts.apply({ ...none, at: T(10), resolve: [{ alertId: id, event: event("resolved", T(10)), notified: true, note: null, channels: ["slack-1"] }], renotify: [{ alertId: id, event: event("firing", T(10)), notified: true, note: null, channels: ["slack-1"] }] });
    expect(again.transitions).toEqual([]);
    expect((await s.alerts.transitions([id])).map((t) => t.kind)).toEqual(["fired", "renotified", "resolved"]);
    // Once resolved, the same rule and subject fire as a new alert.
    const next = (await fire(s, T(20))).fired[0];
    expect(next).toBeGreaterThan(id);
  });

  test("one transaction: a write that fails leaves no alert, no transition and no delivery", async () => {
    const s = openSqliteStore(":memory:");
    const broken = { ...tracking(), trueCount: null } as unknown as AlertTracking;
    await expect(s.alerts.apply({ ...none, at: T(1), track: [broken], fire: [{ ruleId: "connection-error", subjectKey: key, subject, since: T(0), summary: "x", detail: "x", event: event("firing", T(1)), notified: true, note: null, channels: ["slack-1"] }] })).rejects.toThrow(/NOT NULL/);
    expect(await s.alerts.countFiring()).toBe(0);
    expect(await s.alerts.dueDeliveries(T(59), 10)).toEqual([]);
  });

  test("refresh changes the texts of a firing alert only", async () => {
    const s = openSqliteStore(":memory:");
    const id = (await fire(s, T(1))).fired[0] ?? 0;
    await s.alerts.apply({ ...none, at: T(2), refresh: [{ alertId: id, summary: "new", detail: "newer" }] });
    expect(await s.alerts.get(id)).toMatchObject({ summary: "new", detail: "newer" });
    expect((await s.alerts.transitions([id])).map((t) => t.kind)).toEqual(["fired"]);
  });
});

describe("alerts: reading, acknowledging, silencing", () => {
  test("firing first (newest first), then resolved (latest resolution first); filters by state and rule", async () => {
    const s = openSqliteStore(":memory:");
    const other = (n: number) => ({ ...subject, id: `id-${n}`, name: `c${n}` });
    const ids: number[] = [];
    for (const n of [1, 2, 3]) {
      const { fired } = await s.alerts.apply({ ...none, at: T(n), fire: [{ ruleId: n === 3 ? "connection-pending" : "connection-error", subjectKey: `k${n}`, subject: other(n), since: T(0), summary: `s${n}`, detail: "", event: event("firing", T(n)), notified: true, note: null, channels: [] }] });
      ids.push(fired[0] ?? 0);
    }
    await s.alerts.apply({ ...none, at: T(10), resolve: [{ alertId: ids[0] ?? 0, event: event("resolved", T(10)), notified: true, note: null, channels: [] }] });
    const all = await s.alerts.list({}, { limit: 10, offset: 0 });
    expect(all.total).toBe(3);
    expect(all.alerts.map((a) => [a.id, a.state])).toEqual([
      [ids[2], "firing"],
      [ids[1], "firing"],
      [ids[0], "resolved"],
    ]);
    expect((await s.alerts.list({ state: "resolved" }, { limit: 10, offset: 0 })).alerts.map((a) => a.id)).toEqual([ids[0]]);
    expect((await s.alerts.list({ ruleId: "connection-error" }, { limit: 1, offset: 1 })).alerts.map((a) => a.id)).toEqual([ids[0]]);
    expect(await s.alerts.countFiring()).toBe(2);
    expect(await s.alerts.firingByRule()).toEqual(new Map([["connection-error", 1], ["connection-pending", 1]]));
    expect((await s.alerts.firing(["connection-pending"])).map((a) => a.id)).toEqual([ids[2]]);
    expect(await s.alerts.firing([])).toEqual([]);
  });

  test("acknowledge and silence mark a firing alert and append a transition carrying its latest event; a resolved alert is refused", async () => {
    const s = openSqliteStore(":memory:");
    const id = (await fire(s, T(1))).fired[0] ?? 0;
    expect(await s.alerts.acknowledge(id, "alice@example.com", "looking", T(2))).toMatchObject({ acknowledgedAt: T(2), acknowledgedBy: "alice@example.com", ackReason: "looking" });
    expect(await s.alerts.silence(id, T(50), "alice@example.com", "vendor outage", T(3))).toMatchObject({ silencedUntil: T(50), silencedBy: "alice@example.com", silenceReason: "vendor outage" });
    const ts = await s.alerts.transitions([id]);
    expect(ts.map((t) => [t.kind, t.actor, t.note, t.notified])).toEqual([
      ["fired", null, null, true],
      ["acknowledged", "alice@example.com", "looking", false],
      ["silenced", "alice@example.com", `until ${T(50)}: vendor outage`, false],
    ]);
    expect(ts[2]?.event).toEqual(ts[0]?.event);
    // Neither queues a delivery.
    expect(await s.alerts.deliveries(ts.slice(1).map((t) => t.id))).toEqual([]);
    await s.alerts.apply({ ...none, at: T(9), resolve: [{ alertId: id, event: event("resolved", T(9)), notified: true, note: null, channels: [] }] });
    expect(await s.alerts.acknowledge(id, "alice@example.com", "late", T(10))).toBeNull();
    expect(await s.alerts.silence(id, T(60), "alice@example.com", "late", T(10))).toBeNull();
    expect(await s.alerts.acknowledge(999, "alice@example.com", "none", T(10))).toBeNull();
  });
});

describe("alerts: the notification outbox", () => {
  test("due deliveries are claimed once per attempt, retried later, delivered or given up", async () => {
    const s = openSqliteStore(":memory:");
    await fire(s, T(1));
    const due = await s.alerts.dueDeliveries(T(1), 10);
    expect(due.map((d) => [d.channel, d.transition.kind, d.transition.event.subject.id])).toEqual([
      ["slack-1", "fired", subject.id],
      ["webhook-1", "fired", subject.id],
    ]);
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

  test("a restart loses nothing: pending deliveries and a lease cut short are due again after reopening", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-alerts-")), "t.db");
    const s1 = openSqliteStore(file);
    const { transitions } = await fire(s1, T(1));
    const [first] = await s1.alerts.dueDeliveries(T(1), 10);
    await s1.alerts.claimDelivery(first?.id ?? 0, T(1), T(2));
    await s1.close(); // the process dies mid-attempt
    const s2 = openSqliteStore(file);
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

describe("alerts: rule settings, maintenance windows, job runs, pruning", () => {
  test("rule settings are replaced as a whole", async () => {
    const s = openSqliteStore(":memory:");
    await s.alerts.saveRuleSettings({ ruleId: "connection-pending", enabled: false, params: { hours: 48 }, channels: ["slack-1"], updatedAt: T(1), updatedBy: "alice@example.com" });
    await s.alerts.saveRuleSettings({ ruleId: "connection-pending", enabled: true, params: { hours: 12 }, channels: null, updatedAt: T(2), updatedBy: "carol@example.com" });
    expect(await s.alerts.ruleSettings()).toEqual([{ ruleId: "connection-pending", enabled: true, params: { hours: 12 }, channels: null, updatedAt: T(2), updatedBy: "carol@example.com" }]);
  });

  test("windows that have not ended are listed; ending one early ends it now", async () => {
    const s = openSqliteStore(":memory:");
    const w = await s.alerts.addWindow({ account: "111111111111", region: null, startsAt: T(10), endsAt: T(40), reason: "upgrade", createdBy: "alice@example.com", createdAt: T(1) });
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
    const s = openSqliteStore(":memory:");
    await s.alerts.recordRun("poller", T(1), null);
    await s.alerts.recordRun("poller", T(2), "listing failed");
    expect(await s.alerts.runs()).toEqual([{ job: "poller", lastRunAt: T(2), lastOkAt: T(1), lastError: "listing failed" }]);
    await s.alerts.recordRun("poller", T(3), null);
    expect(await s.alerts.runs()).toEqual([{ job: "poller", lastRunAt: T(3), lastOkAt: T(3), lastError: null }]);
  });

  test("prune drops alerts resolved before the cut with their transitions and deliveries; firing ones stay", async () => {
    const s = openSqliteStore(":memory:");
    const old = (await fire(s, T(1))).fired[0] ?? 0;
    await s.alerts.apply({ ...none, at: T(2), resolve: [{ alertId: old, event: event("resolved", T(2)), notified: true, note: null, channels: ["slack-1"] }] });
    const firing = (await fire(s, T(3))).fired[0] ?? 0;
    expect(await s.alerts.prune(T(30))).toBe(1);
    expect(await s.alerts.get(old)).toBeNull();
    expect(await s.alerts.transitions([old])).toEqual([]);
    expect((await s.alerts.get(firing))?.state).toBe("firing");
    expect((await s.alerts.dueDeliveries(T(59), 10)).every((d) => d.transition.alertId === firing)).toBe(true);
  });
});

describe("latency samples for the SLO rule", () => {
  test("latenciesSince: samples only (not negative or no-push), from `since` on, oldest first", async () => {
    const s = openSqliteStore(":memory:");
    const base = { account: "111111111111", region: "us-east-1", pipeline: "p", pushId: null, connectionId: null, createdAt: T(0) };
    await s.latency.saveSample({ ...base, executionId: "a", provider: "GitHub", latencyMs: 4000, startTime: T(5), kind: "sample" });
    await s.latency.saveSample({ ...base, executionId: "b", provider: null, latencyMs: 9000, startTime: T(2), kind: "sample" });
    await s.latency.saveSample({ ...base, executionId: "c", provider: "GitHub", latencyMs: -10, startTime: T(3), kind: "negative" });
    await s.latency.saveSample({ ...base, executionId: "d", provider: "GitHub", latencyMs: null, startTime: T(4), kind: "no-push" });
    await s.latency.saveSample({ ...base, executionId: "e", provider: "GitLab", latencyMs: 1000, startTime: T(0), kind: "sample" });
    expect(await s.latency.latenciesSince(T(1))).toEqual([
      { startTime: T(2), latencyMs: 9000, provider: null },
      { startTime: T(5), latencyMs: 4000, provider: "GitHub" },
    ]);
  });
});

describe("migration 8", () => {
  test("from version 7 every row is kept and the alert tables start empty", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-v7-")), "t.db");
    const db = new Database(file);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 7));
    db.prepare("INSERT INTO resources (kind, account, region, id, arn, name, provider, status, first_seen_at, status_since, last_seen_at) VALUES ('connection', '111111111111', 'us-east-1', 'c1', 'arn', 'c1', 'GitHub', 'ERROR', ?, ?, ?)").run(T(0), T(0), T(0));
    db.prepare("INSERT INTO audit (at, actor, actor_role, via, action, target_kind, target, outcome) VALUES (?, 'a', 'admin', 'session', 'x', 'y', 'z', 'allowed')").run(T(0));
    db.close();
    const s = openSqliteStore(file);
    expect((await s.history.resources()).map((r) => [r.id, r.status])).toEqual([["c1", "ERROR"]]);
    expect((await s.audit.list({}, { limit: 10, offset: 0 })).total).toBe(1);
    expect(await s.alerts.countFiring()).toBe(0);
    expect(await s.alerts.ruleSettings()).toEqual([]);
    await s.close();
  });
});
