/** Pipelines as Tether models them: listings, executions, declarations, trigger diagnosis and health. */

export interface PipelineListing {
  name: string;
  version: number;
  pipelineType: string;
  created: string | null;
  updated: string | null;
}

export interface Execution {
  executionId: string;
  status: string;
  startTime: string | null;
  lastUpdateTime: string | null;
  triggerType: string | null;
  triggerDetail: string | null;
  /** The commit of the first source revision (the push that started it, for webhook triggers). */
  revisionId: string | null;
  revisionSummary: string | null;
}

export interface FilterCriteria {
  includes?: string[];
  excludes?: string[];
}

export interface PushFilter {
  branches?: FilterCriteria;
  filePaths?: FilterCriteria;
  tags?: FilterCriteria;
}

export interface PullRequestFilter {
  events?: string[];
  branches?: FilterCriteria;
  filePaths?: FilterCriteria;
}

export interface Trigger {
  sourceActionName: string;
  push: PushFilter[];
  pullRequest: PullRequestFilter[];
}

export interface SourceAction {
  stage: string;
  name: string;
  connectionArn: string;
  repository: string;
  branch: string;
  detectChanges: boolean;
  outputArtifactFormat: string | null;
}

export interface PipelineDefinition {
  account: string;
  region: string;
  name: string;
  pipelineType: string;
  version: number;
  sourceActions: SourceAction[];
  triggers: Trigger[];
}

/**
 * What Tether knows of the connection a source action names: its status; missing (a complete
 * listing of its scope does not have it); or unknown (its scope is not watched or its latest
 * listing failed).
 */
export type ConnectionState = { exists: true; status: string; name: string } | { exists: false } | { exists: "unknown"; reason: string };

export type Verdict = "ok" | "broken" | "warning";

export interface Diagnosis {
  /** The first row of the table that applies. */
  rule: "connection-unknown" | "connection-missing" | "connection-not-available" | "trigger-excludes-branch" | "no-push-trigger" | "detect-changes-off" | "trigger-filters" | "starts-on-push";
  verdict: Verdict;
  explanation: string;
  fix: string | null;
}

export interface SimulatedPush {
  repository: string;
  /** The branch pushed to (absent for a tag-only push). */
  branch?: string;
  /** Tags pushed. */
  tags?: string[];
  /** Changed file paths; null when unknown (then file-path filters cannot be evaluated). */
  paths?: string[] | null;
}

export type Outcome = "starts" | "no" | "unknown";

export interface SimulationResult {
  outcome: Outcome;
  reason: string;
}

/**
 * The on-call verdict of one pipeline, from documented numeric rules, first match wins
 * (docs/pipelines.md):
 *   1. broken    — a source action's diagnosis is broken (connection missing / not AVAILABLE, or
 *                  a V2 trigger that excludes the branch): no push can start it.
 *   2. degraded  — no push-triggered start (Webhook / WebhookV2) in the last 24 h, while there
 *                  were at least MANUAL_MIN manual starts (StartPipelineExecution, "Release
 *                  change") in that time: people are starting it by hand.
 *   3. degraded  — the last push-triggered start is older than STALE_DAYS days, while a manual
 *                  start happened more recently.
 *   4. degraded  — a source action's diagnosis is a warning (DetectChanges off, pull-request-only
 *                  trigger): pushes do not start it by configuration.
 *   5. unknown   — no execution history has been read yet.
 *   6. healthy   — otherwise.
 */
export type PipelineVerdict = "broken" | "degraded" | "unknown" | "healthy";

export interface ExecutionFacts {
  triggerType: string | null;
  startTime: string | null;
  revisionId: string | null;
}

export interface Health {
  verdict: PipelineVerdict;
  reason: string;
  last24h: { push: number; manual: number; other: number };
  lastPushStart: string | null;
  lastExecution: ExecutionFacts | null;
}

export interface SimulationRow {
  pipeline: string;
  key: string;
  account: string;
  region: string;
  action: string;
  repository: string;
  branch: string;
  result: SimulationResult;
}

/** The connection a source action names, as Tether's inventory knows it. */
export interface SourceConnection {
  id: string;
  account: string;
  region: string;
  name: string | null;
  status: string | null;
  state: "ok" | "missing" | "unknown";
}

/** One source action of a pipeline, with its connection and its trigger diagnosis. */
export interface SourceView extends SourceAction {
  connection: SourceConnection;
  diagnosis: Diagnosis;
}

/** A pipeline as the on-call pages show it: its sources, its health, its console links. */
export interface PipelineRow {
  key: string;
  account: string;
  region: string;
  name: string;
  pipelineType: string;
  sources: SourceView[];
  health: Health;
  consoleUrl: string | null;
  lastExecutionUrl: string | null;
}
