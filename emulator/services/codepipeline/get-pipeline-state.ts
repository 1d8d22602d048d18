import { createHash } from "node:crypto";
import { InputReader } from "../../protocol/input";
import type { JsonHandler } from "../registry";
import { SOURCE_PROVIDER, type ActionDeclaration } from "./declaration";
import { findPipeline, readName, type CodePipelineState } from "./model";
import { currentDeclaration, currentVersion, updatedAt, type ExecutionRecord } from "./records";
import { connectionRedirectUrl, revisionSummary } from "./revisions";
import { viewExecution, type StageRun } from "./timing";

/**
 * Each stage of the current declaration with the latest execution that has entered it by now
 * (so Source may show a newer execution than Deploy), and each action's latest execution in
 * that stage run. Consistent with ListPipelineExecutions: the same executions, the same clock.
 */
export const getPipelineState: JsonHandler<CodePipelineState> = (input, ctx) => {
  const r = new InputReader(input);
  const name = readName(r, "name");
  r.done();
  const pipeline = findPipeline(ctx, name);
  const declaration = currentDeclaration(pipeline);
  const executions = ctx.state.pipelines.executionsOf(pipeline, ctx.now).map((e) => ({ e, view: viewExecution(e, ctx.now) }));
  return {
    pipelineName: pipeline.name,
    pipelineVersion: currentVersion(pipeline),
    stageStates: declaration.stages.map((stage, index) => {
      const latest = executions.find(({ view }) => view.stages.some((s) => s.stageIndex === index));
      const run = latest?.view.stages.find((s) => s.stageIndex === index);
      return {
        stageName: stage.name,
        inboundTransitionState: { enabled: true },
        actionStates: stage.actions.map((action) => actionState(ctx.region, action, latest?.e, run)),
        ...(latest && run ? { latestExecution: { pipelineExecutionId: latest.e.id, status: run.status } } : {}),
      };
    }),
    created: pipeline.created,
    updated: updatedAt(pipeline),
  };
};

function actionState(region: string, action: ActionDeclaration, e: ExecutionRecord | undefined, run: StageRun | undefined): object {
  const source = action.actionTypeId.provider === SOURCE_PROVIDER;
  const out: Record<string, unknown> = { actionName: action.name };
  if (source && e?.revision) {
    out.currentRevision = { revisionId: e.revision.sha, revisionChangeId: e.revision.sha, created: e.revision.created };
  }
  if (e && run) {
    const external = externalExecution(region, action, e);
    out.latestExecution = {
      actionExecutionId: actionExecutionId(e.id, action.name),
      status: run.status,
      ...(source && e.revision ? { summary: revisionSummary(e.revision) } : {}),
      lastStatusChange: run.end ?? run.start,
      ...external,
      ...(run.status === "Failed" ? { errorDetails: { code: "JobFailed", message: e.failureMessage ?? "The action failed." } } : {}),
    };
  }
  const entityUrl = entityUrlOf(region, action);
  if (entityUrl) out.entityUrl = entityUrl;
  if (source && e?.revision) out.revisionUrl = e.revision.revisionUrl;
  return out;
}

function externalExecution(region: string, action: ActionDeclaration, e: ExecutionRecord): Record<string, string> {
  const c = action.configuration ?? {};
  switch (action.actionTypeId.provider) {
    case SOURCE_PROVIDER:
      return e.revision ? { externalExecutionId: e.revision.sha } : {};
    case "CodeBuild": {
      const id = `${c.ProjectName ?? "build"}:${actionExecutionId(e.id, `${action.name}/build`)}`;
      return {
        externalExecutionId: id,
        externalExecutionUrl: `https://console.aws.amazon.com/codebuild/home?region=${region}#/builds/${encodeURIComponent(id)}/view/new`,
      };
    }
    default:
      return {};
  }
}

function entityUrlOf(region: string, action: ActionDeclaration): string | undefined {
  const c = action.configuration ?? {};
  switch (action.actionTypeId.provider) {
    case SOURCE_PROVIDER:
      return connectionRedirectUrl(region, c.ConnectionArn ?? "", c.FullRepositoryId ?? "", { branch: c.BranchName ?? "" });
    case "CodeBuild":
      return `https://console.aws.amazon.com/codebuild/home?region=${region}#/projects/${encodeURIComponent(c.ProjectName ?? "")}/view`;
    case "ECS":
      return `https://console.aws.amazon.com/ecs/home?region=${region}#/clusters/${encodeURIComponent(c.ClusterName ?? "")}/services/${encodeURIComponent(c.ServiceName ?? "")}/details`;
    case "S3":
      return `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(c.BucketName ?? "")}?region=${region}`;
    case "CloudFormation":
      return `https://console.aws.amazon.com/cloudformation/home?region=${region}#/stacks?filteringText=${encodeURIComponent(c.StackName ?? "")}`;
    default:
      return undefined;
  }
}

/** A stable v4-style UUID for an action's run in an execution (`actionExecutionId`). */
function actionExecutionId(executionId: string, actionName: string): string {
  const b = createHash("sha256").update(`${executionId}/${actionName}`).digest().subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
