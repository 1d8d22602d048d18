import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { decodeToken, encodeToken, findPipeline, invalidNextToken, NEXT_TOKEN, readName, sourceRevisions, type CodePipelineState } from "./model";
import { currentDeclaration, type ExecutionRecord } from "./records";
import { viewExecution } from "./timing";

export const DEFAULT_EXECUTIONS_PAGE = 100;

/**
 * Executions that have started, newest first (startTime, then creation order). The filter
 * `succeededInStage.stageName` keeps those in which that stage has succeeded.
 */
export const listPipelineExecutions: JsonHandler<CodePipelineState> = (input, ctx) => {
  const r = new InputReader(input);
  const name = readName(r, "pipelineName");
  const maxResults = r.integer("maxResults", { min: 1, max: 100 });
  const filter = r.struct("filter");
  const succeededIn = filter?.struct("succeededInStage");
  const stageName = succeededIn?.string("stageName", { required: true, min: 1, max: 100, pattern: /^[A-Za-z0-9.@\-_]+$/ });
  const nextToken = r.string("nextToken", NEXT_TOKEN);
  r.done();
  const pipeline = findPipeline(ctx, name);
  let after: { t: number; s: number } | undefined;
  if (nextToken !== undefined) {
    const token = decodeToken(nextToken);
    if (token?.k !== "executions" || token.p !== name || typeof token.t !== "number" || typeof token.s !== "number") {
      throw invalidNextToken();
    }
    after = { t: token.t, s: token.s };
  }
  const stageIndex = stageName === undefined ? -1 : currentDeclaration(pipeline).stages.findIndex((s) => s.name === stageName);
  let all = ctx.state.pipelines.executionsOf(pipeline, ctx.now);
  if (stageName !== undefined) {
    all = all.filter((e) => viewExecution(e, ctx.now).stages.some((s) => s.stageIndex === stageIndex && s.status === "Succeeded"));
  }
  const remaining = after ? all.filter((e) => olderThan(e, after)) : all;
  const page = remaining.slice(0, maxResults ?? DEFAULT_EXECUTIONS_PAGE);
  const last = page[page.length - 1];
  return {
    pipelineExecutionSummaries: page.map((e) => {
      const view = viewExecution(e, ctx.now);
      const revisions = sourceRevisions(e);
      return {
        pipelineExecutionId: e.id,
        status: view.status,
        startTime: e.startTime,
        lastUpdateTime: view.lastUpdateTime,
        ...(revisions.length ? { sourceRevisions: revisions } : {}),
        trigger: e.trigger,
        executionMode: e.executionMode,
        executionType: "STANDARD",
      };
    }),
    ...(remaining.length > page.length && last
      ? { nextToken: encodeToken({ k: "executions", p: name, t: last.startTime.getTime(), s: last.seq }) }
      : {}),
  };
};

/** Whether `e` comes after the position (t, s) in newest-first order. */
function olderThan(e: ExecutionRecord, at: { t: number; s: number }): boolean {
  const t = e.startTime.getTime();
  return t < at.t || (t === at.t && e.seq < at.s);
}
