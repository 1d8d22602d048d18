import { AwsError } from "../../protocol/errors";
import type { InputReader } from "../../protocol/input";
import type { CallContext } from "../registry";
import type { ExecutionRecord, PipelineRecord } from "./records";
import { revisionSummary } from "./revisions";
import type { PipelineStore } from "./store";

/** Shapes, limits, errors and lookups shared by the CodePipeline operations. */

/** What the CodePipeline operations need of the emulator's state: the pipeline store. */
export interface CodePipelineState {
  readonly pipelines: PipelineStore;
}

// Constraints from the service model (botocore codepipeline 2015-07-09).
export const PIPELINE_NAME = { min: 1, max: 100, pattern: /^[A-Za-z0-9.@\-_]+$/ };
export const EXECUTION_ID = { pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ };
export const NEXT_TOKEN = { min: 1, max: 2048 };

export function pipelineNotFound(ctx: CallContext<CodePipelineState>, name: string): AwsError {
  return new AwsError("PipelineNotFoundException", `Account '${ctx.account}' does not have a pipeline with name '${name}'`);
}

export function invalidNextToken(): AwsError {
  return new AwsError("InvalidNextTokenException", "The next token is not valid: it was not returned by this operation.");
}

/** The caller's pipeline of that name (in the account and region of the call). */
export function findPipeline(ctx: CallContext<CodePipelineState>, name: string): PipelineRecord {
  const pipeline = ctx.state.pipelines.get(ctx.account, ctx.region, name);
  if (!pipeline) throw pipelineNotFound(ctx, name);
  return pipeline;
}

/** Reads a required pipeline name (`name` or `pipelineName`); violations surface at `r.done()`. */
export function readName(r: InputReader, member: string): string {
  return r.string(member, { required: true, ...PIPELINE_NAME }) ?? "";
}

// ---------------------------------------------------------------------------------------------
// Tokens: base64url JSON naming the position after the last item returned, so items added or
// removed between pages neither repeat nor skip the rest.

export { decodeJsonToken as decodeToken, encodeJsonToken as encodeToken } from "../../protocol/pagination";

// ---------------------------------------------------------------------------------------------
// Output shapes

export function sourceRevisions(e: ExecutionRecord): object[] {
  const r = e.revision;
  if (!r) return [];
  return [{ actionName: r.actionName, revisionId: r.sha, revisionSummary: revisionSummary(r), revisionUrl: r.revisionUrl }];
}

export function artifactRevisions(e: ExecutionRecord): object[] {
  const r = e.revision;
  if (!r) return [];
  return [
    {
      name: r.artifactName,
      revisionId: r.sha,
      revisionSummary: revisionSummary(r),
      created: r.created,
      revisionUrl: r.revisionUrl,
    },
  ];
}
