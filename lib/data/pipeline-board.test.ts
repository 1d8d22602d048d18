import { beforeEach, describe, expect, test } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { HISTORY_DAYS } from "@/lib/pipelines/map";
import { assessPipeline, connectionLookup, type ConnectionLookup } from "@/lib/pipelines/verdicts";
import { resetSingleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { StoredExecution, StoredPipeline } from "@/lib/store/types";
import type { Execution, PipelineDefinition, PipelineRow } from "@/lib/types";
import { boardStats, byWorst, pipelineBoard } from "./pipeline-board";

/**
 * The pipelines page's board (lib/data/pipeline-board.ts) against the definition of its rows: at
 * every step, what it hands out equals every configured pipeline read from the store and judged
 * afresh at that instant, and it works out again only the rows that changed.
 */
const A = "111111111111";
const HOME = `${A}/us-east-1`;
const OTHER = `${A}/eu-west-1`;
const UUID = "b46e6780-f86f-4021-b10c-ccba2f8e35b4";
const HOUR = 3_600_000;
const now0 = Date.parse("2026-11-25T12:00:00.000Z");
const at = (ms: number) => new Date(ms).toISOString();

const definition = (name: string, region = "us-east-1"): PipelineDefinition => ({
  account: A,
  region,
  name,
  pipelineType: "V2",
  version: 1,
  sourceActions: [{ stage: "Source", name: "Source", connectionArn: `arn:aws:codeconnections:us-east-1:${A}:connection/${UUID}`, repository: "acme/web", branch: "main", detectChanges: true, outputArtifactFormat: null }],
  triggers: [],
});
const start = (id: string, triggerType: string, hoursAgo: number): Execution => ({ executionId: id, status: "Succeeded", startTime: at(now0 - hoursAgo * HOUR), lastUpdateTime: null, triggerType, triggerDetail: null, revisionId: `sha-${id}`, revisionSummary: null });

const lookupOf = (status: string): ConnectionLookup => connectionLookup([{ account: A, id: UUID, name: "web", status }], new Map([[A, true]]));
let built = 0;
const build = (lookup: ConnectionLookup) => (p: StoredPipeline, executions: StoredExecution[], now: number): PipelineRow => {
  built++;
  return { key: `${p.account}/${p.region}/${p.name}`, account: p.account, region: p.region, name: p.name, pipelineType: p.pipelineType, ...assessPipeline(lookup, p, executions, now), consoleUrl: null, lastExecutionUrl: null };
};

/** The definition: every configured pipeline and its last HISTORY_DAYS of executions, read now and judged at `now`. */
async function afresh(now: number, scopes: Set<string>, lookup: ConnectionLookup): Promise<PipelineRow[]> {
  const store = getStore();
  const executions = await store.pipelines.executionsSince(at(now - HISTORY_DAYS * 24 * HOUR));
  const make = build(lookup);
  const before = built;
  const rows = (await store.pipelines.all()).filter((p) => scopes.has(`${p.account}/${p.region}`)).map((p) => make(p, executions.filter((e) => e.account === p.account && e.region === p.region && e.pipeline === p.name), now));
  built = before;
  return rows.sort(byWorst);
}

beforeEach(() => {
  Object.assign(process.env, { TETHER_DATABASE_PATH: ":memory:", TETHER_SCOPES: JSON.stringify([{ account: A, regions: ["us-east-1"] }]) });
  resetEnvForTests();
  resetSingleton();
  built = 0;
});

describe("the pipelines board", () => {
  test("follows writes, the clock and the context, and works out again only what changed", async () => {
    const store = getStore();
    const pipelines = store.pipelines;
    for (const name of ["pushed", "manual", "new"]) await pipelines.saveDefinition({ name, version: 1, pipelineType: "V2", created: null, updated: null }, definition(name), [], at(now0));
    await pipelines.saveDefinition({ name: "elsewhere", version: 1, pipelineType: "V2", created: null, updated: null }, definition("elsewhere", "eu-west-1"), [], at(now0));
    await pipelines.saveExecutions(A, "us-east-1", "pushed", [start("p1", "WebhookV2", 2)]);
    await pipelines.saveExecutions(A, "us-east-1", "manual", [start("m2", "StartPipelineExecution", 3), start("m1", "StartPipelineExecution", 20), start("m0", "WebhookV2", 50)]);
    for (const name of ["pushed", "manual"]) await pipelines.markSwept(A, "us-east-1", name, at(now0));

    let scopes = new Set([HOME]);
    let lookup = lookupOf("AVAILABLE");
    const step = async (now: number) => {
      const before = built;
      const view = await pipelineBoard(now, scopes, lookup, build(lookup));
      expect(view.rows).toEqual(await afresh(now, scopes, lookup));
      return { view, built: built - before, verdicts: Object.fromEntries(view.rows.map((r) => [r.name, r.health.verdict])) };
    };

    // First use: every configured pipeline, read once in full.
    let s = await step(now0);
    expect(s).toMatchObject({ built: 3, verdicts: { manual: "degraded", new: "unknown", pushed: "healthy" } });
    expect(s.view.rows.map((r) => r.name)).toEqual(["manual", "new", "pushed"]);
    expect(s.view.counts).toEqual({ broken: 0, degraded: 1, unknown: 1, healthy: 1 });
    expect(boardStats().fullReads).toBe(1);
    const first = s.view;

    // Nothing written, a minute later: the same view, nothing worked out.
    s = await step(now0 + 60_000);
    expect(s.built).toBe(0);
    expect(s.view).toBe(first);
    expect(s.view.filtered("healthy", (r) => r.health.verdict === "healthy")).toBe(s.view.filtered("healthy", () => false));

    // A receiver stores a push start of "new", and its first sweep: only "new" is worked out again.
    await pipelines.addExecution(A, "us-east-1", "new", start("n1", "WebhookV2", -0.05));
    await pipelines.markSwept(A, "us-east-1", "new", at(now0 + 4 * 60_000));
    s = await step(now0 + 5 * 60_000);
    expect(s).toMatchObject({ built: 1, verdicts: { manual: "degraded", new: "healthy", pushed: "healthy" } });

    // Five hours on, the manual start of 20 h ago has left the last 24 h: "manual" alone is judged again.
    s = await step(now0 + 5 * HOUR);
    expect(s).toMatchObject({ built: 1, verdicts: { manual: "healthy" } });

    // The connection turned ERROR in a new listing (a new lookup): every row again.
    lookup = lookupOf("ERROR");
    s = await step(now0 + 5 * HOUR + 1);
    expect(s).toMatchObject({ built: 3, verdicts: { manual: "broken", new: "broken", pushed: "broken" } });

    // Another scope configured: its pipeline joins.
    scopes = new Set([HOME, OTHER]);
    s = await step(now0 + 5 * HOUR + 2);
    expect(s.view.rows.map((r) => r.name).sort()).toEqual(["elsewhere", "manual", "new", "pushed"]);

    // A pipeline removed from AWS: the board reads everything again and it is gone.
    await pipelines.remove({ account: A, region: "us-east-1" }, ["pushed"]);
    s = await step(now0 + 5 * HOUR + 3);
    expect(s.view.rows.map((r) => r.name).sort()).toEqual(["elsewhere", "manual", "new"]);
    expect(boardStats().fullReads).toBe(2);

    // A week and a day on, every execution has left the history (HISTORY_DAYS): rows without them.
    s = await step(now0 + (HISTORY_DAYS + 1) * 24 * HOUR);
    expect(s.view.rows.every((r) => r.health.lastExecution === null)).toBe(true);
  });

  test("a failed read changes nothing, and the next use reads what it missed", async () => {
    const pipelines = getStore().pipelines;
    await pipelines.saveDefinition({ name: "web", version: 1, pipelineType: "V2", created: null, updated: null }, definition("web"), [], at(now0));
    const lookup = lookupOf("AVAILABLE");
    const scopes = new Set([HOME]);
    await pipelineBoard(now0, scopes, lookup, build(lookup));
    await pipelines.saveExecutions(A, "us-east-1", "web", [start("w1", "WebhookV2", 1)]);
    const changes = pipelines.changes.bind(pipelines);
    pipelines.changes = () => Promise.reject(new Error("database is locked"));
    await expect(pipelineBoard(now0 + 1, scopes, lookup, build(lookup))).rejects.toThrow("database is locked");
    pipelines.changes = changes;
    const view = await pipelineBoard(now0 + 2, scopes, lookup, build(lookup));
    expect(view.rows[0]?.health.lastExecution).toMatchObject({ executionId: "w1" });
    expect(view.rows).toEqual(await afresh(now0 + 2, scopes, lookup));
  });
});
