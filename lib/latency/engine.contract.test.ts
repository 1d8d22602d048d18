import { GetMetricDataCommand, CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { beforeEach, describe, expect, test } from "vitest";
import type { RunningEmulator } from "../../emulator/server";
import { awsEnv, emulatorPerFile } from "../../emulator/contract/helpers";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * The latency engine against the emulator with the real SDK: a push and a start become a sample
 * that CloudWatch returns as a percentile; a dropped push becomes a missed trigger (after reading
 * the pipeline's executions again); an outage keeps values until CloudWatch accepts them; values
 * CloudWatch would refuse are dropped with the reason.
 */
let emulator: RunningEmulator;
const A = "111111111111";
const R = "us-east-1";

emulatorPerFile("demo", (e) => (emulator = e));

beforeEach(async () => {
  delete process.env.TETHER_METRICS_DIMENSIONS;
  Object.assign(process.env, {
    ...awsEnv(emulator, R),
    TETHER_SCOPES: JSON.stringify([{ account: A, regions: [R] }]),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_MISSED_TRIGGER_MINUTES: "1",
    TETHER_METRICS_NAMESPACE: "TetherTest",
  });
  resetEnvForTests();
  resetSingleton();
  const { getInventory } = await import("@/lib/fleet/inventory");
  const { syncPipelineMap } = await import("@/lib/pipelines/map");
  await getInventory({ refresh: true });
  await syncPipelineMap({ refresh: true });
});

async function pipeline(name: string) {
  const { getStore } = await import("@/lib/store");
  const p = await getStore().pipelines.get(A, R, name);
  if (!p) throw new Error(`no pipeline ${name}`);
  return p;
}

describe("heartbeat", () => {
  test("one Heartbeat a minute (Count 1, no dimension), however often the cycle runs, whatever dimension sets are published", async () => {
    Object.assign(process.env, { TETHER_METRICS_DIMENSIONS: "Pipeline" });
    resetEnvForTests();
    const { enqueueHeartbeat, flushMetrics } = await import("./engine");
    const { ListMetricsCommand } = await import("@aws-sdk/client-cloudwatch");
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const added = [];
    // Three minutes of 5-second cycles (the clock injected), and a second process in the middle one.
    for (let t = minute; t < minute + 3 * 60_000; t += 5_000) added.push(await enqueueHeartbeat(t));
    resetSingleton("latency:heartbeat");
    added.push(await enqueueHeartbeat(minute + 90_000));
    expect(added.filter(Boolean)).toHaveLength(3);
    expect(await flushMetrics(minute + 3 * 60_000)).toMatchObject({ published: 3, retried: 0 });

    const cw = new CloudWatchClient({ region: R, endpoint: emulator.url, credentials: { accessKeyId: "t", secretAccessKey: "t" } });
    const listed = await cw.send(new ListMetricsCommand({ Namespace: "TetherTest", MetricName: "Heartbeat" }));
    expect(listed.Metrics).toEqual([{ Namespace: "TetherTest", MetricName: "Heartbeat", Dimensions: [] }]);
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(minute - 60_000),
        EndTime: new Date(minute + 5 * 60_000),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [
          { Id: "sum", MetricStat: { Metric: { Namespace: "TetherTest", MetricName: "Heartbeat", Dimensions: [] }, Period: 60, Stat: "Sum", Unit: "Count" } },
          { Id: "n", MetricStat: { Metric: { Namespace: "TetherTest", MetricName: "Heartbeat", Dimensions: [] }, Period: 60, Stat: "SampleCount" } },
        ],
      }),
    );
    const [sum, n] = out.MetricDataResults ?? [];
    expect(sum?.Timestamps?.map((d) => d.getTime())).toEqual([minute, minute + 60_000, minute + 120_000]);
    expect(sum?.Values).toEqual([1, 1, 1]);
    expect(n?.Values).toEqual([1, 1, 1]);
    // Published once: a second flush sends nothing more.
    expect(await flushMetrics(minute + 4 * 60_000)).toMatchObject({ published: 0 });
    delete process.env.TETHER_METRICS_DIMENSIONS;
  });
});

describe("latency engine", () => {
  test("push + start → a sample, published, read back as p50", async () => {
    const { getStore } = await import("@/lib/store");
    const { join, flushMetrics, recordStart } = await import("./engine");
    const p = await pipeline("payments-api");
    const src = p.definition.sourceActions[0];
    if (!src) throw new Error("no source");
    const t0 = Date.now() - 60_000;
    const sha = "f".repeat(40);
    await getStore().latency.savePush({ provider: "bitbucket", deliveryId: "x1", repository: src.repository, branch: src.branch, sha, beforeSha: null, paths: null, pushedAt: new Date(t0).toISOString(), receivedAt: new Date(t0).toISOString() });
    await recordStart({ account: A, region: R, pipeline: p.name, executionId: "exec-1", triggerType: "WebhookV2", triggerDetail: src.connectionArn, startTime: new Date(t0 + 5000).toISOString() });
    await getStore().latency.setRevision(A, R, p.name, "exec-1", sha);
    expect((await join()).samples).toBe(1);
    const flushed = await flushMetrics();
    expect(flushed).toMatchObject({ requests: 1, published: 1, dropped: 0, retried: 0 });

    const cw = new CloudWatchClient({ region: R, endpoint: emulator.url, credentials: { accessKeyId: "t", secretAccessKey: "t" } });
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(t0 - 3_600_000),
        EndTime: new Date(Date.now() + 60_000),
        MetricDataQueries: [{ Id: "p", MetricStat: { Metric: { Namespace: "TetherTest", MetricName: "PushToPipelineStartLatency", Dimensions: [{ Name: "Pipeline", Value: `${A}/${R}/${p.name}` }] }, Period: 3600, Stat: "p50" } }],
      }),
    );
    expect(out.MetricDataResults?.[0]?.Values).toEqual([5000]);
  });

  test("an outage keeps values; they go out when CloudWatch is back", async () => {
    const { getStore } = await import("@/lib/store");
    const { flushMetrics } = await import("./engine");
    await getStore().latency.enqueue([{ metric: "MissedTrigger", unit: "Count", value: 1, at: new Date().toISOString(), pipeline: null, connectionId: null, provider: "GitHub", fleet: true, source: "t1" }], new Date().toISOString());
    await fetch(`${emulator.url}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ service: "monitoring", operation: "PutMetricData", error: "ServiceUnavailable" }) });
    expect(await flushMetrics()).toMatchObject({ published: 0, retried: 1 });
    expect((await getStore().latency.outboxCounts())).toMatchObject({ pending: 1 });
    await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });
    expect(await flushMetrics(Date.now() + 60_000)).toMatchObject({ published: 1 });
    expect((await getStore().latency.outboxCounts())).toMatchObject({ pending: 0, published: 1 });
  });

  test("after a long outage, backoff is at most 2 minutes, and the first accepted publish sends every waiting value at once", async () => {
    const { getStore } = await import("@/lib/store");
    const { flushMetrics } = await import("./engine");
    const t0 = Date.now();
    const value = (source: string, at: number) => ({ metric: "MissedTrigger", unit: "Count", value: 1, at: new Date(at).toISOString(), pipeline: null, connectionId: null, provider: "GitHub", fleet: true, source });
    await getStore().latency.enqueue([value("outage-1", t0)], new Date(t0).toISOString());
    await fetch(`${emulator.url}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ service: "monitoring", operation: "PutMetricData", error: "ServiceUnavailable" }) });
    // Ten minutes of failures: every retry waits at most 2 minutes.
    let now = t0;
    for (let i = 0; i < 8; i++) {
      await flushMetrics(now);
      const r = await getStore().latency.retrying();
      expect(r.count).toBe(1);
      expect(Date.parse(r.nextAt ?? "") - now).toBeLessThanOrEqual(2 * 60_000);
      now = Date.parse(r.nextAt ?? "");
    }
    expect((await getStore().latency.retrying()).reason).toMatch(/ServiceUnavailable|unavailable|internal error|AWS/i);
    await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });
    // A new value, due at once, goes out; the one waiting out its backoff goes with the next cycle, not after it.
    const later = Date.parse((await getStore().latency.retrying()).nextAt ?? "") - 30_000;
    await getStore().latency.enqueue([value("after-1", later)], new Date(later).toISOString());
    expect(await flushMetrics(later)).toMatchObject({ published: 1 });
    expect((await getStore().latency.retrying())).toEqual({ count: 1, reason: expect.any(String), nextAt: new Date(later).toISOString() });
    expect(await flushMetrics(later)).toMatchObject({ published: 1 });
    expect((await getStore().latency.outboxCounts())).toMatchObject({ pending: 0, published: 2 });
  });

  test("values CloudWatch would refuse are dropped and counted, never retried", async () => {
    const { getStore } = await import("@/lib/store");
    const { flushMetrics } = await import("./engine");
    const now = Date.now();
    (await getStore().latency.enqueue(
      [
        { metric: "PushToPipelineStartLatency", unit: "Milliseconds", value: 10, at: new Date(now - 15 * 86_400_000).toISOString(), pipeline: null, connectionId: null, provider: null, fleet: true, source: "old" },
        { metric: "PushToPipelineStartLatency", unit: "Milliseconds", value: 10, at: new Date(now + 3 * 3_600_000).toISOString(), pipeline: null, connectionId: null, provider: null, fleet: true, source: "future" },
      ],
      new Date(now).toISOString(),
    ));
    expect(await flushMetrics(now)).toMatchObject({ dropped: 2, published: 0 });
    expect((await getStore().latency.droppedReasons()).map((r) => r.reason).sort()).toEqual(["more than two hours in the future: CloudWatch would refuse it", "older than two weeks: CloudWatch would refuse it"]);
  });

  test("a push that starts nothing becomes a missed trigger after the window; one started by a later commit does not", async () => {
    const { getStore } = await import("@/lib/store");
    const { evaluateMissed } = await import("./engine");
    const p = await pipeline("payments-api");
    const src = p.definition.sourceActions[0];
    if (!src) throw new Error("no source");
    const t0 = Date.now() - 5 * 60_000;
    await getStore().latency.savePush({ provider: "bitbucket", deliveryId: "m1", repository: src.repository, branch: src.branch, sha: "1".repeat(40), beforeSha: null, paths: null, pushedAt: new Date(t0).toISOString(), receivedAt: new Date(t0).toISOString() });
    const r = await evaluateMissed();
    expect(r).toMatchObject({ evaluated: 1, missed: 1 });
    const missed = await getStore().latency.missedSince(new Date(t0 - 1000).toISOString());
    expect(missed[0]).toMatchObject({ pipeline: p.name, state: "missed" });
    expect(missed[0]?.reason).toContain("no webhook-triggered execution");
    expect(await evaluateMissed()).toMatchObject({ evaluated: 0 });

    // A second push whose commit a later push's execution covers is not missed.
    const t1 = Date.now() - 4 * 60_000;
    await getStore().latency.savePush({ provider: "bitbucket", deliveryId: "m2", repository: src.repository, branch: src.branch, sha: "2".repeat(40), beforeSha: null, paths: null, pushedAt: new Date(t1).toISOString(), receivedAt: new Date(t1).toISOString() });
    await getStore().latency.savePush({ provider: "bitbucket", deliveryId: "m3", repository: src.repository, branch: src.branch, sha: "3".repeat(40), beforeSha: null, paths: null, pushedAt: new Date(t1 + 1000).toISOString(), receivedAt: new Date(t1 + 1000).toISOString() });
    await getStore().pipelines.saveExecutions(A, R, p.name, [{ executionId: "later", status: "Succeeded", startTime: new Date(t1 + 4000).toISOString(), lastUpdateTime: null, triggerType: "WebhookV2", triggerDetail: null, revisionId: "3".repeat(40), revisionSummary: null }]);
    await getStore().pipelines.markSwept(A, R, p.name, new Date().toISOString());
    const r2 = await evaluateMissed();
    expect(r2).toMatchObject({ evaluated: 2, missed: 0 });
  });
});
