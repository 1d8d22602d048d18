import { describe, expect, test } from "vitest";
import type { AlertSubject } from "@/lib/types";
import { CONFIRMATIONS, RENOTIFY_MS, suppression, windowCovers } from "./machine";
import type { Resource } from "./rules";
import { at, BASE, HOUR, MIN, rule, World } from "./testing";

const POLL = MIN;
const conn = (status: string, over: Partial<Resource> = {}): Resource => ({ account: "111111111111", region: "us-east-1", id: "c1", arn: "arn:aws:codeconnections:us-east-1:111111111111:connection/c1", name: "docs-site-github", provider: "GitHub", status, statusSince: at(BASE - HOUR), ...over });
const error = { connections: [conn("ERROR")] };
const ok = { connections: [conn("AVAILABLE")] };

/** Runs one snapshot per poll, from BASE on; returns the world. */
function run(world: World, snaps: { connections: Resource[] }[], start = BASE): World {
  snaps.forEach((s, i) => world.step(start + i * POLL, s));
  return world;
}

const kinds = (w: World) => w.sent.map((s) => s.kind);

describe("firing and resolving, damped over two consecutive evaluations", () => {
  test(`the condition must hold on ${CONFIRMATIONS} consecutive evaluations to fire, and clear on ${CONFIRMATIONS} to resolve`, () => {
    const w = run(new World([rule("connection-error")]), [error, error, error, ok, ok, ok]);
    expect(w.sent.map((s) => [s.kind, s.at])).toEqual([
      ["fired", at(BASE + POLL)],
      ["resolved", at(BASE + 4 * POLL)],
    ]);
    expect(w.alerts[0]).toMatchObject({ state: "resolved", since: at(BASE - HOUR), firedAt: at(BASE + POLL), resolvedAt: at(BASE + 4 * POLL) });
    // Nothing is remembered once it resolved and the condition stays false.
    expect(w.tracking.size).toBe(0);
  });

  test("flapping: a condition that alternates never fires; a firing alert that blips never resolves", () => {
    expect(kinds(run(new World([rule("connection-error")]), [error, ok, error, ok, error, ok, error]))).toEqual([]);
    const w = run(new World([rule("connection-error")]), [error, error, ok, error, ok, error, ok, error]);
    expect(kinds(w)).toEqual(["fired"]);
    expect(w.firing()).toHaveLength(1);
  });

  test("one notification per transition: a firing alert is not notified again on every evaluation", () => {
    const w = run(new World([rule("connection-error")]), Array.from({ length: 30 }, () => error));
    expect(kinds(w)).toEqual(["fired"]);
    expect(w.sent[0]).toMatchObject({ notified: true, channels: ["slack-aaaa0000", "webhook-bbbb1111"], note: null });
  });

  test("after it resolved, the same subject fires as a new alert", () => {
    const w = run(new World([rule("connection-error")]), [error, error, ok, ok, error, error]);
    expect(w.sent.map((s) => [s.kind, s.alertId])).toEqual([
      ["fired", 1],
      ["resolved", 1],
      ["fired", 2],
    ]);
  });

  test("a subject that disappears (connection deleted) resolves like one whose condition cleared", () => {
    const w = run(new World([rule("connection-error")]), [error, error, { connections: [] }, { connections: [] }]);
    expect(kinds(w)).toEqual(["fired", "resolved"]);
  });

  test("texts that change while firing are refreshed without a transition", () => {
    const w = new World([rule("connection-error")]);
    w.step(BASE, error);
    w.step(BASE + POLL, error);
    const changes = w.step(BASE + 2 * POLL, { connections: [conn("ERROR", { name: "renamed" })] });
    expect(changes.refresh).toEqual([{ alertId: 1, summary: "Connection renamed is ERROR", detail: expect.stringContaining("renamed") as string }]);
    expect(kinds(w)).toEqual(["fired"]);
  });
});

describe("re-notification every 4 h while firing", () => {
  test("renotified at 4 h, not at 3 h 59 min, then 4 h after that", () => {
    const w = new World([rule("connection-error")]);
    w.step(BASE, error);
    w.step(BASE + POLL, error); // fired, notified
    w.step(BASE + POLL + RENOTIFY_MS - MIN, error);
    expect(kinds(w)).toEqual(["fired"]);
    w.step(BASE + POLL + RENOTIFY_MS, error);
    w.step(BASE + POLL + RENOTIFY_MS + MIN, error);
    w.step(BASE + POLL + 2 * RENOTIFY_MS, error);
    expect(w.sent.map((s) => [s.kind, s.at])).toEqual([
      ["fired", at(BASE + POLL)],
      ["renotified", at(BASE + POLL + RENOTIFY_MS)],
      ["renotified", at(BASE + POLL + 2 * RENOTIFY_MS)],
    ]);
    expect(w.sent[1]).toMatchObject({ notified: true, channels: ["slack-aaaa0000", "webhook-bbbb1111"], note: "still firing 4 h after the last notification" });
  });

  test("an acknowledged alert is not re-notified, but its resolution is", () => {
    const w = new World([rule("connection-error")]);
    w.step(BASE, error);
    w.step(BASE + POLL, error);
    Object.assign(w.alerts[0] ?? {}, { acknowledgedAt: at(BASE + 2 * POLL), acknowledgedBy: "alice@example.com", ackReason: "on it" });
    w.step(BASE + 10 * HOUR, error);
    w.step(BASE + 10 * HOUR + POLL, ok);
    w.step(BASE + 10 * HOUR + 2 * POLL, ok);
    expect(w.sent.map((s) => [s.kind, s.notified])).toEqual([
      ["fired", true],
      ["resolved", true],
    ]);
  });

  test("a condition that is false at the due time does not re-notify", () => {
    const w = new World([rule("connection-error")]);
    w.step(BASE, error);
    w.step(BASE + POLL, error);
    w.step(BASE + POLL + RENOTIFY_MS, ok); // one false evaluation: still firing, nothing sent
    expect(kinds(w)).toEqual(["fired"]);
    w.step(BASE + POLL + RENOTIFY_MS + POLL, error);
    expect(kinds(w)).toEqual(["fired", "renotified"]);
  });
});

describe("silences", () => {
  const silenced = (w: World, untilMs: number) => Object.assign(w.alerts[0] ?? {}, { silencedUntil: at(untilMs), silencedBy: "alice@example.com", silenceReason: "vendor outage" });

  test("no re-notification while silenced, even when one is due", () => {
    const w = new World([rule("connection-error")]);
    w.step(BASE, error);
    w.step(BASE + POLL, error);
    silenced(w, BASE + 9 * HOUR);
    w.step(BASE + 5 * HOUR, error);
    w.step(BASE + 9 * HOUR - MIN, error);
    expect(kinds(w)).toEqual(["fired"]);
  });

  test("when a silence ends (before the 4 h are up), one re-notification; then every 4 h from it", () => {
    const w = new World([rule("connection-error")]);
    w.step(BASE, error);
    w.step(BASE + POLL, error);
    silenced(w, BASE + HOUR);
    w.step(BASE + HOUR - MIN, error);
    w.step(BASE + HOUR, error); // the silence ended: notify once
    w.step(BASE + HOUR + POLL, error);
    w.step(BASE + 5 * HOUR - MIN, error);
    expect(w.sent.map((s) => [s.kind, s.at, s.note])).toEqual([
      ["fired", at(BASE + POLL), null],
      ["renotified", at(BASE + HOUR), "the silence ended; still firing"],
    ]);
    w.step(BASE + 5 * HOUR, error);
    expect(kinds(w)).toEqual(["fired", "renotified", "renotified"]);
  });

  test("a resolution while silenced is recorded, not notified", () => {
    const w = new World([rule("connection-error")]);
    w.step(BASE, error);
    w.step(BASE + POLL, error);
    silenced(w, BASE + HOUR);
    w.step(BASE + 2 * POLL, ok);
    w.step(BASE + 3 * POLL, ok);
    expect(w.sent[1]).toMatchObject({ kind: "resolved", notified: false, channels: [], note: expect.stringContaining("silenced until 2026-11-25 13:00:00 UTC by alice@example.com: vendor outage") as string });
  });

  test("an expired silence holds nothing", () => {
    expect(suppression({ silencedUntil: at(BASE), silencedBy: "a", silenceReason: "r" }, { kind: "fleet", id: "fleet", name: "", account: null, region: null, arn: null, provider: null }, [], BASE)).toBeNull();
    expect(suppression({ silencedUntil: at(BASE + 1), silencedBy: "a", silenceReason: "r" }, { kind: "fleet", id: "fleet", name: "", account: null, region: null, arn: null, provider: null }, [], BASE)).toContain("silenced until");
  });
});

describe("maintenance windows", () => {
  const windowOf = (account: string | null, region: string | null, from: number, to: number) => ({ id: 7, account, region, startsAt: at(from), endsAt: at(to), reason: "provider upgrade", createdBy: "alice@example.com", createdAt: at(BASE) });

  test("an alert firing in a window is recorded, not notified; when the window ends it is notified once; its resolution then is too", () => {
    const w = new World([rule("connection-error")]);
    w.windows = [windowOf("111111111111", null, BASE - HOUR, BASE + HOUR)];
    w.step(BASE, error);
    w.step(BASE + POLL, error);
    expect(w.sent).toEqual([{ alertId: 1, kind: "fired", at: at(BASE + POLL), notified: false, note: "maintenance window #7 until 2026-11-25 13:00:00 UTC: provider upgrade", channels: [] }]);
    w.step(BASE + 30 * MIN, error);
    expect(w.sent).toHaveLength(1);
    w.step(BASE + HOUR, error); // the window ended
    w.step(BASE + HOUR + POLL, ok);
    w.step(BASE + HOUR + 2 * POLL, ok);
    expect(w.sent.map((s) => [s.kind, s.notified, s.note])).toEqual([
      ["fired", false, "maintenance window #7 until 2026-11-25 13:00:00 UTC: provider upgrade"],
      ["renotified", true, "notifications were held when it fired"],
      ["resolved", true, null],
    ]);
  });

  test("an alert that fired in a window and resolves right after it is not notified: nobody was told it fired", () => {
    const w = new World([rule("connection-error")]);
    w.windows = [windowOf(null, null, BASE - HOUR, BASE + 2 * POLL)];
    run(w, [error, error, ok, ok]); // fired in the window at +1; the window ends at +2; false at +2 and +3
    expect(w.sent.map((s) => [s.kind, s.notified, s.note])).toEqual([
      ["fired", false, "maintenance window #7 until 2026-11-25 12:02:00 UTC: provider upgrade"],
      ["resolved", false, "never notified (it fired while notifications were held)"],
    ]);
  });

  test("an alert that fired and resolved inside a window is never notified", () => {
    const w = new World([rule("connection-error")]);
    w.windows = [windowOf(null, null, BASE - HOUR, BASE + HOUR)];
    run(w, [error, error, ok, ok]);
    expect(w.sent.map((s) => [s.kind, s.notified])).toEqual([
      ["fired", false],
      ["resolved", false],
    ]);
    expect(w.sent[1]?.note).toBe("never notified (it fired while notifications were held)");
  });

  test("scope: all accounts (and fleet-wide subjects), one account, one account's Region; only while active", () => {
    const c: AlertSubject = { kind: "connection", id: "c1", name: "x", account: "111111111111", region: "us-east-1", arn: null, provider: "GitHub" };
    const fleet: AlertSubject = { kind: "fleet", id: "fleet", name: "all", account: null, region: null, arn: null, provider: null };
    const on = [BASE - HOUR, BASE + HOUR] as const;
    expect(windowCovers(windowOf(null, null, ...on), c, BASE)).toBe(true);
    expect(windowCovers(windowOf(null, null, ...on), fleet, BASE)).toBe(true);
    expect(windowCovers(windowOf("111111111111", null, ...on), c, BASE)).toBe(true);
    expect(windowCovers(windowOf("111111111111", null, ...on), fleet, BASE)).toBe(false);
    expect(windowCovers(windowOf("222222222222", null, ...on), c, BASE)).toBe(false);
    expect(windowCovers(windowOf("111111111111", "us-east-1", ...on), c, BASE)).toBe(true);
    expect(windowCovers(windowOf("111111111111", "eu-west-1", ...on), c, BASE)).toBe(false);
    expect(windowCovers(windowOf(null, null, BASE + MIN, BASE + HOUR), c, BASE)).toBe(false);
    expect(windowCovers(windowOf(null, null, BASE - HOUR, BASE), c, BASE)).toBe(false);
  });
});

describe("rule settings: disabled rules, routing to channels", () => {
  test("disabling a rule resolves its firing alerts at once (notified) and forgets its tracking", () => {
    const w = run(new World([rule("connection-error")]), [error, error]);
    w.rules = [rule("connection-error", { enabled: false })];
    w.step(BASE + 2 * POLL, error);
    expect(w.sent.map((s) => [s.kind, s.notified, s.note])).toEqual([
      ["fired", true, null],
      ["resolved", true, "the rule was disabled"],
    ]);
    expect(w.tracking.size).toBe(0);
    w.step(BASE + 3 * POLL, error);
    w.step(BASE + 4 * POLL, error);
    expect(w.sent).toHaveLength(2);
  });

  test("a rule routed to some channels notifies those that are configured; none configured is said", () => {
    const only = run(new World([rule("connection-error", { channels: ["webhook-bbbb1111", "slack-gone0000"] })]), [error, error]);
    expect(only.sent[0]?.channels).toEqual(["webhook-bbbb1111"]);
    const none = new World([rule("connection-error")]);
    none.channels = [];
    run(none, [error, error]);
    expect(none.sent[0]).toMatchObject({ notified: true, channels: [], note: "no channel is configured for this rule" });
  });

  test("rules of another cadence are not evaluated: their alerts and tracking are left alone", () => {
    const w = run(new World([rule("connection-error")]), [error, error]);
    w.rules = [rule("missed-triggers")];
    w.step(BASE + 2 * POLL, ok);
    w.step(BASE + 3 * POLL, ok);
    expect(w.firing()).toHaveLength(1);
  });
});

describe("restarts", () => {
  test("the state machine lives in the store: a new process continues the count and does not fire again", () => {
    const w = new World([rule("connection-error")]);
    w.step(BASE, error);
    // A restart: a new World with the same stored rows (tracking, alerts).
    const after = new World([rule("connection-error")]);
    after.tracking = w.tracking;
    after.alerts = w.alerts;
    after.step(BASE + POLL, error);
    expect(kinds(after)).toEqual(["fired"]);
    const again = new World([rule("connection-error")]);
    again.tracking = after.tracking;
    again.alerts = after.alerts;
    again.step(BASE + 2 * POLL, error);
    again.step(BASE + 3 * POLL, error);
    expect(again.sent).toEqual([]);
  });
});
