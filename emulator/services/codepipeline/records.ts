import type { ExecutionMode, ExecutionOutcome, ExecutionTrigger, PipelineDeclaration, PipelineType } from "./declaration";

/**
 * What the CodePipeline store keeps: pipelines (every version of their declaration), their
 * executions (each with its own timing: timing.ts computes its status from the clock) and the
 * commits known per repository branch.
 */

/** The source revision an execution built (absent when it failed before fetching one). */
export interface ExecutionRevision {
  /** The source action's name (`sourceRevisions[].actionName`). */
  actionName: string;
  /** Its output artifact (`artifactRevisions[].name`). */
  artifactName: string;
  sha: string;
  message: string;
  /** `ProviderType` in the revision summary (the connection's provider). */
  providerType: string;
  /** When the commit was made (`artifactRevisions[].created`). */
  created: Date;
  revisionUrl: string;
}

export interface ExecutionRecord {
  /** Creation order: ties in startTime are broken by it. */
  seq: number;
  id: string;
  account: string;
  region: string;
  pipelineName: string;
  pipelineVersion: number;
  startTime: Date;
  /**
   * How long each stage ran, in declaration order; only the stages the execution reached. A
   * Failed execution fails in its last listed stage.
   */
  stageDurationsMs: number[];
  outcome: ExecutionOutcome;
  /** errorDetails.message of the failed action. */
  failureMessage?: string;
  trigger: ExecutionTrigger;
  executionMode: ExecutionMode;
  revision?: ExecutionRevision;
}

export interface PipelineVersionRecord {
  declaration: PipelineDeclaration;
  /** When this version was saved (the first version: the pipeline's creation). */
  since: Date;
}

export interface PipelineRecord {
  seq: number;
  account: string;
  region: string;
  name: string;
  pipelineType: PipelineType;
  executionMode: ExecutionMode;
  created: Date;
  /** Oldest first; `versions[n - 1]` is version n and the last one is current. */
  versions: PipelineVersionRecord[];
  /** Ascending by startTime (then seq). */
  executions: ExecutionRecord[];
  /** StartPipelineExecution clientRequestToken → execution id (idempotency). */
  requestTokens: Map<string, string>;
}

export interface CommitRecord {
  repository: string;
  branch: string;
  sha: string;
  message: string;
  time: Date;
  /** Paths the commit touched (known for fixture commits; used by file-path filters). */
  files?: string[];
}

export function currentDeclaration(p: PipelineRecord): PipelineDeclaration {
  const last = p.versions[p.versions.length - 1];
  if (!last) throw new Error(`pipeline ${p.name} has no declaration`);
  return last.declaration;
}

export function currentVersion(p: PipelineRecord): number {
  return p.versions.length;
}

export function updatedAt(p: PipelineRecord): Date {
  return p.versions[p.versions.length - 1]?.since ?? p.created;
}
