import { pipelineArn } from "../../arns";
import type { JsonService } from "../registry";
import { getPipeline } from "./get-pipeline";
import { getPipelineExecution } from "./get-pipeline-execution";
import { getPipelineState } from "./get-pipeline-state";
import { listPipelineExecutions } from "./list-pipeline-executions";
import { listPipelines } from "./list-pipelines";
import type { CodePipelineState } from "./model";
import { startPipelineExecution } from "./start-pipeline-execution";

/**
 * AWS CodePipeline, AWS JSON 1.1. The JS SDK and botocore both send `CodePipeline_20150709.<Op>`;
 * the `com.amazonaws.codepipeline.` long form is accepted too.
 */
export const codePipelineService: JsonService<CodePipelineState> = {
  protocol: "json",
  jsonVersion: "1.1",
  targets: [
    { prefix: "CodePipeline_20150709", signingName: "codepipeline" },
    { prefix: "com.amazonaws.codepipeline.CodePipeline_20150709", signingName: "codepipeline" },
  ],
  signingNames: ["codepipeline"],
  operations: {
    GetPipeline: getPipeline,
    GetPipelineExecution: getPipelineExecution,
    GetPipelineState: getPipelineState,
    ListPipelineExecutions: listPipelineExecutions,
    ListPipelines: listPipelines,
    StartPipelineExecution: startPipelineExecution,
  },
  mutatingOperations: {
    StartPipelineExecution: (input, ctx) =>
      pipelineArn({ account: ctx.account, region: ctx.region, name: typeof input.name === "string" ? input.name : "*" }),
  },
};
