import { pipelineArn } from "../../arns";
import { AwsError } from "../../protocol/errors";
import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { findPipeline, readName, type CodePipelineState } from "./model";
import { updatedAt } from "./records";

/** The declaration (current, or the `version` asked for) and the pipeline's metadata. */
export const getPipeline: JsonHandler<CodePipelineState> = (input, ctx) => {
  const r = new InputReader(input);
  const name = readName(r, "name");
  const version = r.integer("version", { min: 1 });
  r.done();
  const pipeline = findPipeline(ctx, name);
  const found = version === undefined ? pipeline.versions[pipeline.versions.length - 1] : pipeline.versions[version - 1];
  if (!found) {
    throw new AwsError(
      "PipelineVersionNotFoundException",
      `Pipeline '${name}' has no version ${version}; its current version is ${pipeline.versions.length}.`,
    );
  }
  return {
    pipeline: found.declaration,
    metadata: { pipelineArn: pipelineArn(pipeline), created: pipeline.created, updated: updatedAt(pipeline) },
  };
};
