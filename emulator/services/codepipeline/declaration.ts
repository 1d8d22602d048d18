/**
 * The pipeline declaration as CodePipeline's model shapes it (member names as on the wire:
 * GetPipeline answers it as written), and how to find its source action.
 */

export type PipelineType = "V1" | "V2";
export type ExecutionMode = "QUEUED" | "SUPERSEDED" | "PARALLEL";
export type ExecutionOutcome = "Succeeded" | "Failed";
export type ExecutionStatus = ExecutionOutcome | "InProgress";
export type TriggerType = "CreatePipeline" | "StartPipelineExecution" | "Webhook" | "WebhookV2";

export interface ActionTypeId {
  category: string;
  owner: string;
  provider: string;
  version: string;
}

export interface ActionDeclaration {
  name: string;
  actionTypeId: ActionTypeId;
  runOrder?: number;
  configuration?: Record<string, string>;
  outputArtifacts?: { name: string }[];
  inputArtifacts?: { name: string }[];
  namespace?: string;
  region?: string;
  roleArn?: string;
}

export interface StageDeclaration {
  name: string;
  actions: ActionDeclaration[];
}

/** Glob patterns (glob.ts) a branch, tag or file path must match (includes) and must not (excludes). */
export interface FilterCriteria {
  includes?: string[];
  excludes?: string[];
}

export interface GitPushFilter {
  tags?: FilterCriteria;
  branches?: FilterCriteria;
  filePaths?: FilterCriteria;
}

export interface GitPullRequestFilter {
  events?: ("OPEN" | "UPDATED" | "CLOSED")[];
  branches?: FilterCriteria;
  filePaths?: FilterCriteria;
}

export interface PipelineTriggerDeclaration {
  providerType: "CodeStarSourceConnection";
  gitConfiguration: {
    sourceActionName: string;
    push?: GitPushFilter[];
    pullRequest?: GitPullRequestFilter[];
  };
}

export interface PipelineDeclaration {
  name: string;
  roleArn: string;
  artifactStore: { type: "S3"; location: string };
  stages: StageDeclaration[];
  version: number;
  executionMode: ExecutionMode;
  pipelineType: PipelineType;
  variables?: { name: string; defaultValue?: string; description?: string }[];
  triggers?: PipelineTriggerDeclaration[];
}

export interface ExecutionTrigger {
  triggerType: TriggerType;
  triggerDetail: string;
}

export const SOURCE_PROVIDER = "CodeStarSourceConnection";

export interface SourceActionInfo {
  stageName: string;
  actionName: string;
  connectionArn: string;
  repository: string;
  branch: string;
  detectChanges: boolean;
  outputArtifact: string;
}

/** The first CodeStarSourceConnection action of a declaration. */
export function sourceActionOf(d: PipelineDeclaration): SourceActionInfo | undefined {
  for (const stage of d.stages) {
    for (const action of stage.actions) {
      if (action.actionTypeId.provider !== SOURCE_PROVIDER) continue;
      const c = action.configuration ?? {};
      return {
        stageName: stage.name,
        actionName: action.name,
        connectionArn: c.ConnectionArn ?? "",
        repository: c.FullRepositoryId ?? "",
        branch: c.BranchName ?? "",
        detectChanges: (c.DetectChanges ?? "true").toLowerCase() !== "false",
        outputArtifact: action.outputArtifacts?.[0]?.name ?? "SourceArtifact",
      };
    }
  }
  return undefined;
}
