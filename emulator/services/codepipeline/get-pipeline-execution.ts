import { AwsError } from "../../protocol/errors";
import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { artifactRevisions, EXECUTION_ID, findPipeline, readName, type CodePipelineState } from "./model";
import { viewExecution } from "./timing";

/** One execution; like the model's PipelineExecution it has no startTime (use the summary's). */
export const getPipelineExecution: JsonHandler<CodePipelineState> = (input, ctx) => {
  const r = new InputReader(input);
  const name = readName(r, "pipelineName");
  const id = r.string("pipelineExecutionId", { required: true, ...EXECUTION_ID }) ?? "";
  r.done();
  const pipeline = findPipeline(ctx, name);
  const e = ctx.state.pipelines.findExecution(pipeline, id, ctx.now);
  if (!e) {
    throw new AwsError(
      "PipelineExecutionNotFoundException",
      `Pipeline execution with id '${id}' does not exist in pipeline with name '${name}' in account '${ctx.account}'`,
    );
  }
  const view = viewExecution(e, ctx.now);
  return {
    pipelineExecution: {
      pipelineName: e.pipelineName,
      pipelineVersion: e.pipelineVersion,
      pipelineExecutionId: e.id,
      status: view.status,
      artifactRevisions: artifactRevisions(e),
      trigger: e.trigger,
      executionMode: e.executionMode,
      executionType: "STANDARD",
    },
  };
};
