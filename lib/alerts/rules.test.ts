import { describe, expect, test } from "vitest";
import type { AlertRuleId } from "@/lib/types";
import { CONFIRMATIONS } from "./machine";
import { effectiveParams, percentile, RULES, ruleById, type Params, type Resource } from "./rules";
import { at, BASE, HOUR, MIN, rule, World, type Sent } from "./testing";
import type { AlertSnapshot } from "./rules";

/**
 * Each rule's threshold, through the state machine: a rule "fires" when its condition has held on
 * CONFIRMATIONS consecutive evaluations. `firesAt` evaluates the same situation at two times,
 * one poll apart, and says whether an alert fired.
 */
function fires(id: AlertRuleId, snap: Partial<AlertSnapshot>, opts: { params?: Params; now?: number } = {}): Sent[] {
  const world = new World([rule(id, { params: opts.params })]);
  const now = opts.now ?? BASE;
  world.step(now - MIN, snap);
  world.step(now, snap);
  return world.sent;
}

const conn = (over: Partial<Resource> = {}): Resource => ({ account: "111111111111", region: "us-east-1", id: "c1", arn: "arn:aws:codeconnections:us-east-1:111111111111:connection/c1", name: "docs-site-github", provider: "GitHub", status: "AVAILABLE", statusSince: at(BASE - 2 * HOUR), ...over });

test("the built-in rules: nine, each documented, with defaults inside their bounds", () => {
  expect(RULES.map((r) => r.id)).toEqual(["connection-error", "connection-pending", "host-pending", "listing-unreachable", "pipeline-broken", "missed-triggers", "latency-slo", "poller-late", "metrics-stale"]);
  for (const r of RULES) {
    expect(r.title.length, r.id).toBeGreaterThan(5);
    expect(r.description.length, r.id).toBeGreaterThan(40);
    for (const p of r.params) expect(p.default >= p.min && p.default <= p.max, `${r.id}.${p.key}`).toBe(true);
  }
  expect(RULES.filter((r) => r.cadence === "poll").map((r) => r.id)).toEqual(["connection-error", "connection-pending", "host-pending", "listing-unreachable", "pipeline-broken"]);
});

test("parameters: stored values in range override the defaults; unknown keys and out-of-range values do not", () => {
  expect(effectiveParams(ruleById("connection-pending"))).toEqual({ hours: 24 });
  expect(effectiveParams(ruleById("connection-pending"), { hours: 48, other: 1 })).toEqual({ hours: 48 });
  expect(effectiveParams(ruleById("connection-pending"), { hours: 0 })).toEqual({ hours: 24 });
  expect(effectiveParams(ruleById("latency-slo"), { minutes: 60, minSamples: Number.NaN })).toEqual({ minutes: 60, minSamples: 5 });
});

describe("connection-error", () => {
  test("an ERROR connection fires once confirmed, since its status changed; AVAILABLE and PENDING do not", () => {
    expect(fires("connection-error", { connections: [conn({ status: "ERROR", statusSince: at(BASE - 90_000) })] })).toMatchObject([{ kind: "fired", alertId: 1 }]);
    expect(fires("connection-error", { connections: [conn({ status: "AVAILABLE" }), conn({ id: "c2", status: "PENDING" })] })).toEqual([]);
    const found = ruleById("connection-error").find({ ...({} as AlertSnapshot), connections: [conn({ status: "ERROR", statusSince: at(BASE - 5 * MIN) })] }, {});
    expect(found.map((f) => [f.subject.kind, f.subject.id, f.subject.name, f.subject.account, f.subject.region, f.since])).toEqual([["connection", "c1", "docs-site-github", "111111111111", "us-east-1", at(BASE - 5 * MIN)]]);
    expect(found[0]?.guidance?.who).toBe("An owner of the GitHub organization (or of the personal account)");
  });

  test("one alert per connection", () => {
    const sent = fires("connection-error", { connections: [conn({ status: "ERROR" }), conn({ id: "c2", name: "other", status: "ERROR" }), conn({ status: "ERROR" })] });
    expect(sent.map((s) => s.alertId)).toEqual([1, 2]);
  });
});

describe("connection-pending and host-pending: PENDING longer than the threshold (24 h)", () => {
  test.each(["connection-pending", "host-pending"] as const)("%s: 24 h and a minute fires; 23 h 58 min does not; the threshold is tunable", (id) => {
    const key = id === "connection-pending" ? "connections" : "hosts";
    const pending = (ageMs: number) => ({ [key]: [conn({ status: "PENDING", statusSince: at(BASE - ageMs) })] });
    // Two evaluations a minute apart: PENDING exactly 24 h at the first (it counts), 24 h 1 min at the second.
    expect(fires(id, pending(24 * HOUR + MIN))).toHaveLength(1);
    // 23 h 59 min at the first: one true evaluation only.
    expect(fires(id, pending(24 * HOUR))).toEqual([]);
    expect(fires(id, pending(24 * HOUR - 2 * MIN))).toEqual([]);
    expect(fires(id, pending(24 * HOUR + MIN), { params: { hours: 48 } })).toEqual([]);
    expect(fires(id, pending(48 * HOUR + MIN), { params: { hours: 48 } })).toHaveLength(1);
    // ERROR is not PENDING.
    expect(fires(id, { [key]: [conn({ status: "ERROR", statusSince: at(BASE - 100 * HOUR) })] })).toEqual([]);
  });

  test("the guidance is the pending queue's: who must complete it", () => {
    const [c] = ruleById("connection-pending").find({ ...({} as AlertSnapshot), connections: [conn({ status: "PENDING", provider: "Bitbucket" })] }, { hours: 24 });
    expect(c?.guidance?.who).toBe("A Bitbucket workspace admin");
    const [h] = ruleById("host-pending").find({ ...({} as AlertSnapshot), hosts: [conn({ status: "PENDING", provider: "GitLabSelfManaged" })] }, { hours: 24 });
    expect(h?.guidance?.who).toBe("An admin of the GitLab self-managed instance");
  });
});

describe("listing-unreachable: no complete listing for 10 minutes and the latest attempt failed", () => {
  const failing = (lastCompleteMinutesAgo: number | null, over = {}) => ({
    listings: [{ kind: "connection" as const, account: "111111111111", region: null, lastCompleteAt: lastCompleteMinutesAgo === null ? null : at(BASE - lastCompleteMinutesAgo * MIN), lastAttemptAt: at(BASE - 30_000), lastError: "AccessDenied: not authorized", ...over }],
  });

  test("11 minutes since the last complete listing fires; 9 does not; 20 with a threshold of 30 does not", () => {
    expect(fires("listing-unreachable", failing(11))).toHaveLength(1);
    expect(fires("listing-unreachable", failing(9))).toEqual([]);
    expect(fires("listing-unreachable", failing(20), { params: { minutes: 30 } })).toEqual([]);
  });

  test("a listing whose latest attempt succeeded is reachable, whatever its old error", () => {
    expect(fires("listing-unreachable", failing(60, { lastError: null }))).toEqual([]);
    expect(fires("listing-unreachable", failing(60, { lastAttemptAt: at(BASE - 60 * MIN) }))).toEqual([]);
  });

  test("never listed completely: counted from when the evaluation first saw it failing", () => {
    const world = new World([rule("listing-unreachable")]);
    const snap = failing(null);
    for (let m = 0; m <= 10; m++) world.step(BASE + m * MIN, snap);
    expect(world.sent).toEqual([]); // held 10 min at the 11th evaluation: the first true one
    world.step(BASE + 11 * MIN, snap);
    expect(world.sent).toMatchObject([{ kind: "fired" }]);
    expect(world.alerts[0]?.since).toBe(at(BASE));
  });

  test("hosts per scope; listings of accounts and scopes no longer configured are not judged", () => {
    const snap = {
      listings: [
        { kind: "host" as const, account: "111111111111", region: "us-east-1", lastCompleteAt: at(BASE - HOUR), lastAttemptAt: at(BASE), lastError: "throttled" },
        { kind: "host" as const, account: "111111111111", region: "eu-west-1", lastCompleteAt: at(BASE - HOUR), lastAttemptAt: at(BASE), lastError: "throttled" },
        { kind: "connection" as const, account: "999999999999", region: null, lastCompleteAt: null, lastAttemptAt: at(BASE), lastError: "gone" },
      ],
    };
    const world = new World([rule("listing-unreachable")]);
    world.step(BASE - MIN, snap);
    world.step(BASE, snap);
    expect(world.alerts.map((a) => [a.subject.kind, a.subject.id, a.subject.name])).toEqual([["scope", "111111111111/us-east-1", "hosts of 111111111111/us-east-1"]]);
  });
});

describe("pipeline-broken", () => {
  test("a broken verdict fires per pipeline; degraded, unknown and healthy do not", () => {
    const p = (name: string, verdict: "broken" | "degraded" | "unknown" | "healthy") => ({ account: "111111111111", region: "us-east-1", name, verdict, reason: `${name} is ${verdict}`, fix: verdict === "broken" ? "Complete the connection's handshake." : null });
    const world = new World([rule("pipeline-broken")]);
    const snap = { pipelines: [p("a", "broken"), p("b", "degraded"), p("c", "unknown"), p("d", "healthy")] };
    world.step(BASE - MIN, snap);
    world.step(BASE, snap);
    expect(world.alerts.map((a) => [a.subject.kind, a.subject.id, a.subject.name])).toEqual([["pipeline", "111111111111/us-east-1/a", "a"]]);
    expect(ruleById("pipeline-broken").find({ ...({} as AlertSnapshot), pipelines: [p("a", "broken")] }, {})[0]?.guidance?.howTo).toBe("Complete the connection's handshake.");
  });
});

describe("missed-triggers: at least 1 for one pipeline in 30 minutes", () => {
  const missed = (minutesAgo: number[], pipeline = "mobile-api") => ({ missed: minutesAgo.map((m) => ({ account: "111111111111", region: "us-east-1", pipeline, detectedAt: at(BASE - m * MIN) })) });

  test("one in the window fires; one 31 minutes ago does not; the count and window are tunable", () => {
    expect(fires("missed-triggers", missed([5]))).toHaveLength(1);
    expect(fires("missed-triggers", missed([31]))).toEqual([]);
    expect(fires("missed-triggers", missed([5]), { params: { count: 2 } })).toEqual([]);
    expect(fires("missed-triggers", missed([5, 20]), { params: { count: 2 } })).toHaveLength(1);
    expect(fires("missed-triggers", missed([5, 40]), { params: { count: 2 } })).toEqual([]);
    expect(fires("missed-triggers", missed([40]), { params: { minutes: 60 } })).toHaveLength(1);
  });

  test("counted per pipeline, since the earliest in the window", () => {
    const [f] = ruleById("missed-triggers").find({ ...missed([5, 20]), now: BASE } as AlertSnapshot, { count: 1, minutes: 30 });
    expect(f).toMatchObject({ since: at(BASE - 20 * MIN), summary: "2 missed triggers on mobile-api in the last 30 min" });
    expect(fires("missed-triggers", { missed: [...missed([5]).missed, ...missed([6], "other").missed] }, { params: { count: 2 } })).toEqual([]);
  });

  test("it resolves once the window no longer holds one", () => {
    const world = new World([rule("missed-triggers")]);
    const snap = missed([1]);
    world.step(BASE, snap);
    world.step(BASE + MIN, snap);
    world.step(BASE + 31 * MIN, snap);
    world.step(BASE + 32 * MIN, snap);
    expect(world.sent.map((s) => s.kind)).toEqual(["fired", "resolved"]);
  });
});

describe("latency-slo: p90 of the last 30 minutes' samples over the SLO, fleet-wide and per provider", () => {
  test("nearest-rank percentile (reference values worked by hand)", () => {
    expect(percentile([], 90)).toBeNull();
    expect(percentile([7], 90)).toBe(7);
    // 10 values: rank ceil(0.9 × 10) = 9 → the 9th smallest.
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90)).toBe(9);
    // 11 values: rank ceil(9.9) = 10.
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });

  const samples = (ms: number[], provider: string | null = "GitHub", minutesAgo = 1) => ms.map((latencyMs) => ({ startTime: at(BASE - minutesAgo * MIN), latencyMs, provider }));

  test("over the SLO fires for the fleet and the provider; equal to it does not; fewer than 5 samples are not judged", () => {
    // p90 of 1..10 s is 9 s.
    const ten = samples([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => s * 1000));
    const world = new World([rule("latency-slo")]);
    world.step(BASE - MIN, { latencies: ten, sloMs: 8_999 });
    world.step(BASE, { latencies: ten, sloMs: 8_999 });
    expect(world.alerts.map((a) => [a.subject.kind, a.subject.id])).toEqual([
      ["fleet", "fleet"],
      ["provider", "GitHub"],
    ]);
    expect(world.alerts[0]?.summary).toBe("p90 push-to-start latency 9.0 s is over the 9.0 s SLO (fleet-wide)");
    expect(fires("latency-slo", { latencies: ten, sloMs: 9_000 })).toEqual([]);
    expect(fires("latency-slo", { latencies: samples([90_000, 90_000, 90_000, 90_000]) })).toEqual([]);
    expect(fires("latency-slo", { latencies: samples([90_000, 90_000, 90_000, 90_000]) }, { params: { minSamples: 4 } })).toHaveLength(2);
  });

  test("per provider: a slow provider fires alone when the fleet is fine; samples without a provider count for the fleet only", () => {
    const latencies = [...samples([200_000, 200_000, 200_000, 200_000, 200_000], "Bitbucket"), ...samples(Array.from({ length: 100 }, () => 3_000), "GitHub"), ...samples([400_000], null)];
    const world = new World([rule("latency-slo")]);
    world.step(BASE - MIN, { latencies });
    world.step(BASE, { latencies });
    expect(world.alerts.map((a) => [a.subject.kind, a.subject.id, a.subject.name])).toEqual([["provider", "Bitbucket", "Bitbucket"]]);
  });

  test("samples older than the window do not count", () => {
    expect(fires("latency-slo", { latencies: samples([90_000, 90_000, 90_000, 90_000, 90_000], "GitHub", 31) })).toEqual([]);
    expect(fires("latency-slo", { latencies: samples([90_000, 90_000, 90_000, 90_000, 90_000], "GitHub", 31) }, { params: { minutes: 60 } })).toHaveLength(2);
  });
});

describe("poller-late: no poll completed for two poll intervals", () => {
  const ran = (msAgo: number) => ({ runs: [{ job: "poller", lastRunAt: at(BASE - msAgo), lastOkAt: at(BASE - msAgo), lastError: null }], pollIntervalMs: 60_000 });

  // fires() evaluates a minute before BASE and at BASE: both must be more than 2 intervals late.
  test("more than 2 intervals late on both evaluations fires; exactly 2 intervals does not; tunable", () => {
    expect(fires("poller-late", ran(3 * MIN + 1_000))).toHaveLength(1);
    expect(fires("poller-late", ran(3 * MIN))).toEqual([]);
    expect(fires("poller-late", ran(2 * MIN))).toEqual([]);
    expect(fires("poller-late", ran(3 * MIN + 1_000), { params: { intervals: 5 } })).toEqual([]);
    expect(fires("poller-late", ran(6 * MIN + 1_000), { params: { intervals: 5 } })).toHaveLength(1);
  });

  test("never ran: counted from when Tether started", () => {
    expect(fires("poller-late", { runs: [], startedAt: BASE - 30_000 })).toEqual([]);
    expect(fires("poller-late", { runs: [], startedAt: BASE - 10 * MIN })).toMatchObject([{ kind: "fired" }]);
    // A restart does not make an old run look late: the clock starts at the later of the two.
    expect(fires("poller-late", { ...ran(HOUR), startedAt: BASE - 30_000 })).toEqual([]);
  });
});

describe("metrics-stale: values unpublished for 15 minutes", () => {
  test("values waiting for 15 minutes (as observed) fire; none waiting never does", () => {
    const world = new World([rule("metrics-stale")]);
    const waiting = { metricsWaiting: { count: 12, reason: "ServiceUnavailable" } };
    for (let m = 0; m < 15; m++) world.step(BASE + m * MIN, waiting);
    expect(world.sent).toEqual([]);
    world.step(BASE + 15 * MIN, waiting); // held 15 min: true once
    world.step(BASE + 16 * MIN, waiting);
    expect(world.sent).toMatchObject([{ kind: "fired" }]);
    expect(world.alerts[0]?.detail).toContain("12 metric values wait for a retry: ServiceUnavailable");
    expect(fires("metrics-stale", { metricsWaiting: { count: 0, reason: null } }, { now: BASE + HOUR })).toEqual([]);
  });

  test("a publish that succeeds in between starts the clock again", () => {
    const world = new World([rule("metrics-stale")]);
    const waiting = { metricsWaiting: { count: 3, reason: "throttled" } };
    for (let m = 0; m < 10; m++) world.step(BASE + m * MIN, waiting);
    world.step(BASE + 10 * MIN, { metricsWaiting: { count: 0, reason: null } });
    for (let m = 11; m < 25; m++) world.step(BASE + m * MIN, waiting);
    expect(world.sent).toEqual([]);
  });
});

test(`every rule fires only after ${CONFIRMATIONS} consecutive true evaluations`, () => {
  const world = new World([rule("connection-error")]);
  world.step(BASE, { connections: [conn({ status: "ERROR" })] });
  expect(world.sent).toEqual([]);
});
