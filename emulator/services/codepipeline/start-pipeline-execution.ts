import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { sourceActionOf } from "./declaration";
import { findPipeline, readName, type CodePipelineState } from "./model";
import { currentDeclaration } from "./records";

const REVISION_TYPES = ["COMMIT_ID", "IMAGE_DIGEST", "S3_OBJECT_VERSION_ID", "S3_OBJECT_KEY"] as const;

/**
 * Starts an execution of the current version now (trigger StartPipelineExecution, detail the
 * caller's ARN). It builds the newest commit known on the source branch, or the COMMIT_ID of a
 * `sourceRevisions` override for the source action, and runs 6 s (timing.ts). The same
 * `clientRequestToken` for the same pipeline returns the first execution's id again and starts
 * nothing. `variables` are validated and ignored.
 */
export const startPipelineExecution: JsonHandler<CodePipelineState> = (input, ctx) => {
  const r = new InputReader(input);
  const name = readName(r, "name");
  r.list(
    "variables",
    (item, at) => {
      const v = r.nested(item, at);
      v.string("name", { required: true, min: 1, max: 128, pattern: /^[A-Za-z0-9@\-_]+$/ });
      v.string("value", { required: true, min: 1, max: 1000 });
      return undefined;
    },
    { min: 1, max: 50 },
  );
  const token = r.string("clientRequestToken", { min: 1, max: 128, pattern: /^[a-zA-Z0-9-]+$/ });
  const overrides =
    r.list(
      "sourceRevisions",
      (item, at) => {
        const o = r.nested(item, at);
        const actionName = o.string("actionName", { required: true, min: 1, max: 100, pattern: /^[A-Za-z0-9.@\-_]+$/ });
        const revisionType = o.enumValue("revisionType", REVISION_TYPES, { required: true });
        const revisionValue = o.string("revisionValue", { required: true, min: 1, max: 1500 });
        return actionName && revisionType && revisionValue ? { actionName, revisionType, revisionValue } : undefined;
      },
      { min: 0, max: 50 },
    ) ?? [];
  r.done();

  const pipeline = findPipeline(ctx, name);
  if (token !== undefined) {
    const existing = pipeline.requestTokens.get(token);
    if (existing) return { pipelineExecutionId: existing };
  }
  const source = sourceActionOf(currentDeclaration(pipeline));
  const override = overrides.find((o) => o.actionName === source?.actionName && o.revisionType === "COMMIT_ID");
  const execution = ctx.state.pipelines.startExecution(pipeline, {
    trigger: { triggerType: "StartPipelineExecution", triggerDetail: ctx.identity.arn },
    startTime: ctx.now,
    ...(override ? { sha: override.revisionValue } : {}),
  });
  if (token !== undefined) pipeline.requestTokens.set(token, execution.id);
  return { pipelineExecutionId: execution.id };
};
