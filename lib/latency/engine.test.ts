import { beforeEach, describe, expect, test, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { StoredPipeline } from "@/lib/store/types";
import { evaluateMissed, join, latencyCycle, recordStart, resolveCommits } from "./engine";
import type { Trigger } from "@/lib/types";

// The missed-trigger check reads a pipeline's executions again before it declares a push missed;
// here that read is under the test's control (it can find an execution, find nothing, or fail).
const sweep = vi.hoisted(() => ({ impl: null as null | ((p: StoredPipeline) => unknown) }));
// The commit lookup (GetPipelineExecution) answers what the test says.
const lookup = vi.hoisted(() => ({ revision: null as string | null, calls: 0 }));
vi.mock("@/lib/aws/codepipeline", () => ({
  getExecutionRevision: vi.fn(async () => {
    lookup.calls++;
    return lookup.revision;
  }),
}));
// The cycle's last step publishes to CloudWatch: accepted here, without a network call.
const published = vi.hoisted(() => ({ values: 0 }));
vi.mock("@/lib/aws/cloudwatch", () => ({
  putMetricData: vi.fn(async (_client: unknown, _scope: unknown, _ns: string, datums: unknown[]) => {
    published.values += datums.length;
  }),
}));
vi.mock("@/lib/pipelines/map", () => ({
  sweepPipeline: vi.fn(async (_scope: unknown, p: StoredPipeline) => {
    await sweep.impl?.(p);
    return { pages: 1, saved: 0 };
  }),
}));

const A = "111111111111";
const R = "us-east-1";
const CONN = "7d2469ff-514a-4e4f-9003-5ca4a43cdc41";
const SHA = "a".repeat(40);
const T0 = Date.parse("2026-11-25T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(async () => {
  Object.assign(process.env, { AWS_REGION: "us-east-1", TETHER_SCOPES: JSON.stringify([{ account: A, regions: [R] }]), TETHER_DATABASE_PATH: ":memory:", TETHER_MISSED_TRIGGER_MINUTES: "5" });
  sweep.impl = null;
  lookup.revision = null;
  lookup.calls = 0;
  resetEnvForTests();
  resetSingleton();
  const store = getStore();
  await store.history.recordListing({ kind: "connection", account: A, region: null }, [{ kind: "connection", account: A, region: R, id: CONN, arn: `arn:aws:codeconnections:${R}:${A}:connection/${CONN}`, name: "acme-github", provider: "GitHub", status: "AVAILABLE" }], iso(T0 - 86_400_000));
  await definePipeline([]);
});

async function definePipeline(triggers: Trigger[]): Promise<void> {
  const connectionArn = `arn:aws:codestar-connections:${R}:${A}:connection/${CONN}`;
  await getStore().pipelines.saveDefinition(
    { name: "web", version: 1, pipelineType: "V2", created: null, updated: null },
    { account: A, region: R, name: "web", pipelineType: "V2", version: 1, triggers, sourceActions: [{ stage: "Source", name: "Source", connectionArn, repository: "acme/web", branch: "main", detectChanges: true, outputArtifactFormat: null }] },
    [{ account: A, region: R, pipeline: "web", actionName: "Source", connectionAccount: A, connectionRegion: R, connectionId: CONN, connectionArn, repository: "acme/web", branch: "main" }],
    iso(T0 - 86_400_000),
  );
}

const push = async (sha = SHA, delivery = "d1", pushedAt = T0, over: { branch?: string; paths?: string[] | null } = {}) =>
  getStore().latency.savePush({ provider: "github", deliveryId: delivery, repository: "acme/web", branch: over.branch ?? "main", sha, beforeSha: null, paths: over.paths ?? null, pushedAt: iso(pushedAt), receivedAt: iso(pushedAt + 500) });

const start = async (id: string, startMs: number, revision: string | null = SHA, trigger = "WebhookV2") => {
  await recordStart({ account: A, region: R, pipeline: "web", executionId: id, triggerType: trigger, triggerDetail: null, startTime: iso(startMs) });
  if (revision) await getStore().latency.setRevision(A, R, "web", id, revision);
};

describe("the latency cycle joins what the receivers stored", () => {
  // The push receivers answer without joining (lib/data/webhooks.ts): a push stored before its
  // pipeline's start is known, or before the start's commit is, becomes a sample in the cycle.
  const stored = (delivery: string, pushedAt: number) =>
    getStore().latency.storePushDelivery({ provider: "github", deliveryId: delivery, repository: "acme/web", branch: "main", sha: SHA, beforeSha: null, paths: null, pushedAt: iso(pushedAt), receivedAt: iso(pushedAt + 500) }, "push");

  test("a push stored before its execution: the next cycle joins them into a sample and publishes it", async () => {
    published.values = 0;
    const now = Date.now();
    expect(await stored("d1", now - 60_000)).not.toBeNull();
    // The execution as the sweep records it (its commit known), which joins nothing itself.
    await start("e1", now - 55_000);
    expect(await getStore().latency.sampleCounts(iso(now - 3_600_000))).toEqual({ sample: 0, negative: 0, "no-push": 0 });
    await latencyCycle();
    expect(await getStore().latency.sampleCounts(iso(now - 3_600_000))).toEqual({ sample: 1, negative: 0, "no-push": 0 });
    expect(await getStore().latency.latenciesSince(iso(now - 3_600_000))).toEqual([{ startTime: iso(now - 55_000), latencyMs: 5000, provider: "GitHub" }]);
    expect(published.values).toBeGreaterThan(0);
    // The next cycle adds nothing.
    await latencyCycle();
    expect(await getStore().latency.sampleCounts(iso(now - 3_600_000))).toEqual({ sample: 1, negative: 0, "no-push": 0 });
  });

  test("a start whose commit was looked up before its push arrived: the cycle after the push joins them", async () => {
    const now = Date.now();
    await start("e1", now - 30_000);
    await latencyCycle();
    expect(await stored("late", now - 32_000)).not.toBeNull();
    await latencyCycle();
    expect(await getStore().latency.sampleCounts(iso(now - 3_600_000))).toEqual({ sample: 1, negative: 0, "no-push": 0 });
  });
});

describe("join", () => {
  test("push then start: one sample of startTime − pushed_at, queued for CloudWatch with every dimension", async () => {
    await push();
    await start("e1", T0 + 4200);
    expect((await join(T0 + 10_000))).toEqual({ samples: 1, negative: 0, noPush: 0 });
    expect((await getStore().latency.sampleCounts(iso(T0 - 1)))).toEqual({ sample: 1, negative: 0, "no-push": 0 });
    const [row] = await getStore().latency.due(iso(T0 + 60_000), 10);
    expect(row).toMatchObject({ metric: "PushToPipelineStartLatency", unit: "Milliseconds", value: 4200, pipeline: `${A}/${R}/web`, connectionId: CONN, provider: "GitHub", fleet: true });
  });

  test("start before push (out of order), then the push arrives: joined; joining again adds nothing", async () => {
    await start("e1", T0 + 3000);
    expect((await join(T0 + 3500))).toEqual({ samples: 0, negative: 0, noPush: 0 });
    await push();
    expect((await join(T0 + 4000)).samples).toBe(1);
    expect((await join(T0 + 5000))).toEqual({ samples: 0, negative: 0, noPush: 0 });
    expect((await getStore().latency.due(iso(T0 + 60_000), 10))).toHaveLength(1);
  });

  test("a duplicate event (same execution id) is stored once", async () => {
    expect(await recordStart({ account: A, region: R, pipeline: "web", executionId: "e1", triggerType: "WebhookV2", triggerDetail: null, startTime: iso(T0) })).toBe(true);
    expect(await recordStart({ account: A, region: R, pipeline: "web", executionId: "e1", triggerType: "WebhookV2", triggerDetail: null, startTime: iso(T0) })).toBe(false);
  });

  test("a negative sample (clock skew) is dropped and counted", async () => {
    await push(SHA, "d1", T0 + 10_000);
    await start("e1", T0 + 2000);
    expect((await join(T0 + 20_000))).toEqual({ samples: 0, negative: 1, noPush: 0 });
    expect((await getStore().latency.due(iso(T0 + 60_000), 10))).toHaveLength(0);
  });

  test("a webhook start with no push is counted after the wait, never a sample", async () => {
    await push("c".repeat(40), "d0", T0 - 60_000); // Tether was receiving pushes by then
    await start("e1", T0, "b".repeat(40));
    expect((await join(T0 + 60_000)).noPush).toBe(0);
    expect((await join(T0 + 11 * 60_000)).noPush).toBe(1);
  });

  test("executions from before Tether received any push are not counted", async () => {
    await start("e0", T0 - 3_600_000, "b".repeat(40));
    await push("c".repeat(40), "d0", T0);
    expect((await join(T0 + 20 * 60_000)).noPush).toBe(0);
  });

  test("manual starts are not samples", async () => {
    await push();
    await start("e1", T0 + 1000, SHA, "StartPipelineExecution");
    expect((await join(T0 + 20 * 60_000))).toEqual({ samples: 0, negative: 0, noPush: 0 });
  });

  test("a push delivered twice (same delivery id) is stored once", async () => {
    expect((await push()).duplicate).toBe(false);
    expect((await push()).duplicate).toBe(true);
  });
});

describe("missed triggers", () => {
  const MIN = 60_000;
  const missed = () => getStore().latency.missedSince(iso(T0 - 86_400_000));
  const execution = (id: string, startMs: number, revision: string) =>
    getStore().pipelines.saveExecutions(A, R, "web", [{ executionId: id, status: "InProgress", startTime: iso(startMs), lastUpdateTime: iso(startMs), triggerType: "WebhookV2", triggerDetail: null, revisionId: revision, revisionSummary: null }]);

  test("not judged before the window ends; then, with no execution even after reading again, missed and counted", async () => {
    await push();
    expect(await evaluateMissed(T0 + 4 * MIN)).toMatchObject({ evaluated: 0 });
    let swept = 0;
    sweep.impl = () => swept++;
    expect(await evaluateMissed(T0 + 6 * MIN)).toEqual({ evaluated: 1, missed: 1, unknown: 0, deferred: 0 });
    expect(swept).toBe(1);
    expect((await missed())).toMatchObject([{ state: "missed", pipeline: "web", connectionId: CONN, provider: "GitHub", push: { sha: SHA } }]);
    expect((await missed())[0]?.reason).toContain("no webhook-triggered execution of web");
    expect((await getStore().latency.due(iso(T0 + 60 * MIN), 10)).filter((r) => r.metric === "MissedTrigger")).toHaveLength(1);
    // Judged once.
    expect(await evaluateMissed(T0 + 7 * MIN)).toMatchObject({ evaluated: 0, missed: 0 });
  });

  test("an execution for the commit (stored before the push arrived: out of order) means not missed, without an AWS read", async () => {
    await execution("e1", T0 + 2000, SHA);
    await push();
    sweep.impl = () => {
      throw new Error("must not read again");
    };
    expect(await evaluateMissed(T0 + 6 * MIN)).toEqual({ evaluated: 1, missed: 0, unknown: 0, deferred: 0 });
    expect((await missed())).toEqual([]);
  });

  test("the execution found only by reading again counts", async () => {
    await push();
    sweep.impl = () => execution("e1", T0 + 30_000, SHA);
    expect(await evaluateMissed(T0 + 6 * MIN)).toMatchObject({ evaluated: 1, missed: 0 });
  });

  test("a later commit on the branch that started the pipeline covers the earlier push", async () => {
    const later = "b".repeat(40);
    await push(SHA, "d1", T0);
    await push(later, "d2", T0 + MIN);
    await execution("e2", T0 + MIN + 5000, later);
    expect(await evaluateMissed(T0 + 10 * MIN)).toMatchObject({ evaluated: 2, missed: 0 });
  });

  test("an execution of the commit after the window does not count (it was late: missed)", async () => {
    await push();
    await execution("e1", T0 + 9 * MIN, SHA);
    expect(await evaluateMissed(T0 + 10 * MIN)).toMatchObject({ evaluated: 1, missed: 1 });
  });

  test("a push to a branch the pipeline does not watch is not a missed trigger", async () => {
    await push(SHA, "d1", T0, { branch: "feature/x" });
    expect(await evaluateMissed(T0 + 6 * MIN)).toEqual({ evaluated: 1, missed: 0, unknown: 0, deferred: 0 });
  });

  test("path filters with a payload that lists no files: unknown, not missed", async () => {
    await definePipeline([{ sourceActionName: "Source", push: [{ branches: { includes: ["main"] }, filePaths: { includes: ["src/**"] } }], pullRequest: [] }]);
    await push(SHA, "d1", T0, { paths: null });
    expect(await evaluateMissed(T0 + 6 * MIN)).toEqual({ evaluated: 1, missed: 0, unknown: 1, deferred: 0 });
    expect((await missed())).toMatchObject([{ state: "unknown" }]);
  });

  test("executions that cannot be read: deferred (never missed), asked at most once a minute; after an hour, unknown with the reason", async () => {
    await push();
    let calls = 0;
    sweep.impl = () => {
      calls++;
      throw Object.assign(new Error("User is not authorized to perform codepipeline:ListPipelineExecutions"), { name: "AccessDeniedException" });
    };
    expect(await evaluateMissed(T0 + 6 * MIN)).toEqual({ evaluated: 0, missed: 0, unknown: 0, deferred: 1 });
    expect(await evaluateMissed(T0 + 6 * MIN + 5000)).toMatchObject({ deferred: 1 });
    expect(calls).toBe(1);
    expect((await missed())).toEqual([]);
    expect(await evaluateMissed(T0 + 70 * MIN)).toEqual({ evaluated: 1, missed: 0, unknown: 1, deferred: 0 });
    expect((await missed())[0]?.reason).toContain("could not be read");
  });
});

describe("join picks the push that started the pipeline", () => {
  test("the same commit pushed to a feature branch first, then to main: measured from the main push", async () => {
    await getStore().latency.savePush({ provider: "github", deliveryId: "f1", repository: "acme/web", branch: "feature/x", sha: SHA, beforeSha: null, paths: null, pushedAt: iso(T0 - 3_600_000), receivedAt: iso(T0 - 3_600_000) });
    await push(SHA, "m1", T0);
    await start("e1", T0 + 5000);
    expect((await join(T0 + 10_000)).samples).toBe(1);
    expect((await getStore().latency.due(iso(T0 + 60_000), 10))[0]).toMatchObject({ metric: "PushToPipelineStartLatency", value: 5000 });
  });
});

describe("commit lookups", () => {
  test("an execution whose commit is found is joined; one that has none leaves the queue after 3 tries", async () => {
    await recordStart({ account: A, region: R, pipeline: "web", executionId: "found", triggerType: "WebhookV2", triggerDetail: null, startTime: new Date().toISOString() });
    lookup.revision = SHA.toUpperCase();
    expect(await resolveCommits()).toBe(1);
    lookup.calls = 0;
    await recordStart({ account: A, region: R, pipeline: "web", executionId: "none", triggerType: "WebhookV2", triggerDetail: null, startTime: new Date().toISOString() });
    lookup.revision = null;
    for (let i = 0; i < 5; i++) expect(await resolveCommits()).toBe(0);
    expect(lookup.calls).toBe(3);
  });

  test("an execution in a scope Tether does not watch is not looked up", async () => {
    await recordStart({ account: "999999999999", region: R, pipeline: "web", executionId: "elsewhere", triggerType: "WebhookV2", triggerDetail: null, startTime: new Date().toISOString() });
    for (let i = 0; i < 4; i++) await resolveCommits();
    expect(lookup.calls).toBe(0);
  });
});
