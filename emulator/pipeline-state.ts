import { createHash, randomUUID } from "node:crypto";

/**
 * CodePipeline state: pipelines (every version of their declaration), their executions and the
 * commits known per repository branch. Executions carry their own timing, and their status is
 * computed from the clock, so an execution started now is InProgress and Succeeds (or Fails) by
 * itself a few seconds later without any timer.
 */

// ---------------------------------------------------------------------------------------------
// Wire shapes of the declaration (the CodePipeline model's shapes; member names as on the wire).

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

// ---------------------------------------------------------------------------------------------
// Records.

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

// ---------------------------------------------------------------------------------------------
// Fixture form: the same data with times as offsets (ms) from the moment of seeding.

export interface FixtureRevision extends Omit<ExecutionRevision, "created"> {
  createdOffsetMs: number;
}

export interface FixtureExecution extends Omit<ExecutionRecord, "seq" | "account" | "region" | "pipelineName" | "startTime" | "revision"> {
  startOffsetMs: number;
  revision?: FixtureRevision;
}

export interface FixturePipeline {
  account: string;
  region: string;
  name: string;
  pipelineType: PipelineType;
  executionMode: ExecutionMode;
  createdOffsetMs: number;
  versions: { declaration: PipelineDeclaration; sinceOffsetMs: number }[];
  /** In any order; sorted on load. */
  executions: FixtureExecution[];
}

export interface FixtureCommit extends Omit<CommitRecord, "time"> {
  offsetMs: number;
}

// ---------------------------------------------------------------------------------------------
// Timing.

/**
 * Executions started through the API (StartPipelineExecution) or appended by the push
 * simulator run 6 s: Source 1 s, Build 3 s, Deploy 2 s (one entry per stage; pipelines with
 * more stages repeat the last duration).
 */
export const NEW_EXECUTION_STAGE_MS = [1_000, 3_000, 2_000] as const;

export function newExecutionDurations(stageCount: number): number[] {
  return Array.from({ length: stageCount }, (_, i) => NEW_EXECUTION_STAGE_MS[Math.min(i, NEW_EXECUTION_STAGE_MS.length - 1)] ?? 2_000);
}

export type StageRunStatus = "InProgress" | "Succeeded" | "Failed";

export interface StageRun {
  stageIndex: number;
  status: StageRunStatus;
  start: Date;
  /** Absent while in progress. */
  end?: Date;
}

export interface ExecutionView {
  status: ExecutionStatus;
  /** The time of the last status change of any stage (the end, once finished). */
  lastUpdateTime: Date;
  /** The stages the execution has entered by `now`, in order. */
  stages: StageRun[];
}

/** What an execution looks like at `now` (it must have started: startTime ≤ now). */
export function viewExecution(e: ExecutionRecord, now: Date): ExecutionView {
  const t = now.getTime();
  const stages: StageRun[] = [];
  let at = e.startTime.getTime();
  const last = e.stageDurationsMs.length - 1;
  for (const [i, duration] of e.stageDurationsMs.entries()) {
    const start = at;
    const end = start + duration;
    if (t < start) break;
    if (t < end) {
      stages.push({ stageIndex: i, status: "InProgress", start: new Date(start) });
      return { status: "InProgress", lastUpdateTime: new Date(start), stages };
    }
    const failed = i === last && e.outcome === "Failed";
    stages.push({ stageIndex: i, status: failed ? "Failed" : "Succeeded", start: new Date(start), end: new Date(end) });
    at = end;
  }
  return { status: e.outcome, lastUpdateTime: new Date(at), stages };
}

// ---------------------------------------------------------------------------------------------
// Declaration helpers.

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

/** A stable v4-style UUID for an action's run in an execution (`actionExecutionId`). */
export function actionExecutionId(executionId: string, actionName: string): string {
  const b = createHash("sha256").update(`${executionId}/${actionName}`).digest().subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function pipelineArn(p: { account: string; region: string; name: string }): string {
  return `arn:aws:codepipeline:${p.region}:${p.account}:${p.name}`;
}

/** The console redirector AWS puts in `revisionUrl` / `entityUrl` of connection source actions. */
export function connectionRedirectUrl(
  region: string,
  connectionArn: string,
  repository: string,
  ref: { commit: string } | { branch: string },
): string {
  const q = new URLSearchParams({ connectionArn });
  if ("commit" in ref) {
    q.set("referenceType", "COMMIT");
    q.set("FullRepositoryId", repository);
    q.set("Commit", ref.commit);
  } else {
    q.set("referenceType", "BRANCH");
    q.set("FullRepositoryId", repository);
    q.set("Branch", ref.branch);
  }
  return `https://${region}.console.aws.amazon.com/codesuite/settings/connections/redirect?${q.toString()}`;
}

/** `revisionSummary` / the source action's `summary`: a JSON string. */
export function revisionSummary(r: { providerType: string; message: string }): string {
  return JSON.stringify({ ProviderType: r.providerType, CommitMessage: r.message });
}

// ---------------------------------------------------------------------------------------------
// The store.

const repoKey = (repository: string, branch: string) => `${repository}#${branch}`;

/** What the store needs to know of the connection a source action names (undefined: none). */
export type ConnectionLookup = (connectionArn: string) => { status: string; providerType: string } | undefined;

export interface StartOptions {
  trigger: ExecutionTrigger;
  startTime: Date;
  /** A commit to build instead of the newest on the source branch (sourceRevisions override). */
  sha?: string;
  /** ends the execution this way when the connection allows it to run (default Succeeded). */
  outcome?: ExecutionOutcome;
  /** The commit message when `sha` is not a known commit. */
  commitMessage?: string;
}

export class PipelineStore {
  /** Keyed by `account/region/name`; insertion order is creation order. */
  private readonly pipelines = new Map<string, PipelineRecord>();
  /** Per `repository#branch`, ascending by time. */
  private readonly commits = new Map<string, CommitRecord[]>();
  private seq = 0;

  constructor(private readonly connectionOf: ConnectionLookup = () => undefined) {}

  clear(): void {
    this.pipelines.clear();
    this.commits.clear();
    this.seq = 0;
  }

  /** Replaces everything with fixture data whose offsets count from `now`. */
  load(data: { pipelines: readonly FixturePipeline[]; commits: readonly FixtureCommit[] }, now: Date): void {
    this.clear();
    const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
    for (const c of data.commits) {
      const { offsetMs, ...rest } = c;
      this.recordCommit({ ...rest, time: at(offsetMs) });
    }
    for (const p of data.pipelines) {
      const record: PipelineRecord = {
        seq: ++this.seq,
        account: p.account,
        region: p.region,
        name: p.name,
        pipelineType: p.pipelineType,
        executionMode: p.executionMode,
        created: at(p.createdOffsetMs),
        versions: p.versions.map((v) => ({ declaration: v.declaration, since: at(v.sinceOffsetMs) })),
        executions: [],
        requestTokens: new Map(),
      };
      this.pipelines.set(key(record), record);
      const executions = [...p.executions].sort((a, b) => a.startOffsetMs - b.startOffsetMs);
      for (const e of executions) {
        const { startOffsetMs, revision, ...rest } = e;
        this.insertExecution(record, {
          ...rest,
          seq: 0,
          account: p.account,
          region: p.region,
          pipelineName: p.name,
          startTime: at(startOffsetMs),
          ...(revision ? { revision: fromFixtureRevision(revision, at) } : {}),
        });
      }
    }
  }

  get size(): number {
    return this.pipelines.size;
  }

  get(account: string, region: string, name: string): PipelineRecord | undefined {
    return this.pipelines.get(key({ account, region, name }));
  }

  /** Pipelines of one account and region, sorted by name. */
  list(account: string, region: string): PipelineRecord[] {
    return [...this.pipelines.values()]
      .filter((p) => p.account === account && p.region === region)
      .sort((a, b) => compare(a.name, b.name));
  }

  all(): PipelineRecord[] {
    return [...this.pipelines.values()];
  }

  /** Every account's pipeline of that name in `region` (the console's pages know no account). */
  named(region: string, name: string): PipelineRecord[] {
    return [...this.pipelines.values()].filter((p) => p.region === region && p.name === name);
  }

  /** Executions that have started by `now`, newest first. */
  executionsOf(p: PipelineRecord, now: Date): ExecutionRecord[] {
    const t = now.getTime();
    const out: ExecutionRecord[] = [];
    for (let i = p.executions.length - 1; i >= 0; i--) {
      const e = p.executions[i];
      if (e && e.startTime.getTime() <= t) out.push(e);
    }
    return out;
  }

  findExecution(p: PipelineRecord, id: string, now: Date): ExecutionRecord | undefined {
    return p.executions.find((e) => e.id === id && e.startTime.getTime() <= now.getTime());
  }

  totalExecutions(): number {
    let n = 0;
    for (const p of this.pipelines.values()) n += p.executions.length;
    return n;
  }

  /** Adds an execution (its seq is assigned here), keeping the list sorted by start time. */
  insertExecution(p: PipelineRecord, e: ExecutionRecord): ExecutionRecord {
    const record = { ...e, seq: ++this.seq };
    let i = p.executions.length;
    while (i > 0 && (p.executions[i - 1]?.startTime.getTime() ?? 0) > record.startTime.getTime()) i--;
    p.executions.splice(i, 0, record);
    return record;
  }

  /** Remembers a commit on a branch (the existing record when that sha is already known there). */
  recordCommit(c: CommitRecord): CommitRecord {
    const k = repoKey(c.repository, c.branch);
    let list = this.commits.get(k);
    if (!list) this.commits.set(k, (list = []));
    const existing = list.find((x) => x.sha === c.sha);
    if (existing) return existing;
    let i = list.length;
    while (i > 0 && (list[i - 1]?.time.getTime() ?? 0) > c.time.getTime()) i--;
    list.splice(i, 0, c);
    return c;
  }

  /** The newest commit known on a branch at `now` (commits dated later are not yet pushed). */
  latestCommit(repository: string, branch: string, now: Date): CommitRecord | undefined {
    const list = this.commits.get(repoKey(repository, branch)) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i];
      if (c && c.time.getTime() <= now.getTime()) return c;
    }
    return undefined;
  }

  commitsOn(repository: string, branch: string): readonly CommitRecord[] {
    return this.commits.get(repoKey(repository, branch)) ?? [];
  }

  /**
   * A new execution of the pipeline's current version, starting at `startTime` and running like
   * every new execution (`NEW_EXECUTION_STAGE_MS`, 6 s). It builds `sha` (recorded on the source
   * branch when unknown) or else the newest commit known on the source branch. When the source
   * action's connection is missing or not AVAILABLE the execution fails in the Source stage
   * after 1 s, with no source revision ("Unable to use Connection …").
   */
  startExecution(p: PipelineRecord, opts: StartOptions): ExecutionRecord {
    const current = currentDeclaration(p);
    const source = sourceActionOf(current);
    const connection = source ? this.connectionOf(source.connectionArn) : undefined;
    const base = {
      seq: 0,
      id: randomUUID(),
      account: p.account,
      region: p.region,
      pipelineName: p.name,
      pipelineVersion: current.version,
      startTime: opts.startTime,
      trigger: opts.trigger,
      executionMode: p.executionMode,
    };
    const durations = newExecutionDurations(current.stages.length);
    if (!source || connection?.status !== "AVAILABLE") {
      return this.insertExecution(p, {
        ...base,
        stageDurationsMs: durations.slice(0, 1),
        outcome: "Failed",
        failureMessage: connectionFailure(source?.connectionArn ?? "(none)", connection?.status),
      });
    }
    const commit =
      opts.sha !== undefined
        ? this.recordCommit({
            repository: source.repository,
            branch: source.branch,
            sha: opts.sha,
            message: opts.commitMessage ?? `Commit ${opts.sha.slice(0, 7)}`,
            time: opts.startTime,
          })
        : (this.latestCommit(source.repository, source.branch, opts.startTime) ??
          this.recordCommit(initialCommit(source, opts.startTime)));
    const outcome = opts.outcome ?? "Succeeded";
    return this.insertExecution(p, {
      ...base,
      stageDurationsMs: outcome === "Failed" ? durations.slice(0, Math.min(2, durations.length)) : durations,
      outcome,
      ...(outcome === "Failed" ? { failureMessage: BUILD_FAILURE } : {}),
      revision: revisionFor(p.region, source, commit, connection.providerType),
    });
  }

  /**
   * For the push simulator: a webhook-triggered execution of a pipeline for commit `sha`,
   * starting at `startTime` (reads show it only from then on, so a future start time models
   * trigger latency). triggerType is `Webhook` for V1 and `WebhookV2` for V2 pipelines,
   * triggerDetail the source action's ConnectionArn as written in the declaration. The commit is
   * recorded on the source branch (dated `pushedAt`, default `startTime`) unless already known.
   * The execution runs like a new one (6 s) and ends `outcome` (default Succeeded; Failed fails
   * in the Build stage), or fails in Source when the connection is not AVAILABLE. Throws when the
   * pipeline does not exist or has no CodeStarSourceConnection action.
   */
  appendWebhookExecution(opts: {
    account: string;
    region: string;
    pipelineName: string;
    sha: string;
    startTime: Date;
    commitMessage?: string;
    pushedAt?: Date;
    outcome?: ExecutionOutcome;
  }): ExecutionRecord {
    const p = this.get(opts.account, opts.region, opts.pipelineName);
    if (!p) throw new Error(`No pipeline ${opts.account}/${opts.region}/${opts.pipelineName}.`);
    const source = sourceActionOf(currentDeclaration(p));
    if (!source) throw new Error(`Pipeline ${opts.pipelineName} has no ${SOURCE_PROVIDER} source action.`);
    this.recordCommit({
      repository: source.repository,
      branch: source.branch,
      sha: opts.sha,
      message: opts.commitMessage ?? `Commit ${opts.sha.slice(0, 7)}`,
      time: opts.pushedAt ?? opts.startTime,
    });
    return this.startExecution(p, {
      trigger: { triggerType: p.pipelineType === "V1" ? "Webhook" : "WebhookV2", triggerDetail: source.connectionArn },
      startTime: opts.startTime,
      sha: opts.sha,
      outcome: opts.outcome,
    });
  }
}

export const BUILD_FAILURE = "Build failed: COMMAND_EXECUTION_ERROR: Error while executing command: npm test. Reason: exit status 1";

/** errorDetails.message of a Source action whose connection cannot be used. */
export function connectionFailure(connectionArn: string, status: string | undefined): string {
  return status === undefined
    ? `Unable to use Connection: ${connectionArn}. The provided connection does not exist.`
    : `Unable to use Connection: ${connectionArn}. The connection is in ${status} state; it must be AVAILABLE.`;
}

/** A branch nobody has pushed to since the emulator started: a stand-in first commit. */
function initialCommit(source: SourceActionInfo, time: Date): CommitRecord {
  const sha = createHash("sha256").update(`${source.repository}#${source.branch}#initial`).digest("hex").slice(0, 40);
  return { repository: source.repository, branch: source.branch, sha, message: "Initial commit", time };
}

/** The execution's source revision for a commit, as CodePipeline reports it. */
export function revisionFor(region: string, source: SourceActionInfo, commit: CommitRecord, providerType: string): ExecutionRevision {
  return {
    actionName: source.actionName,
    artifactName: source.outputArtifact,
    sha: commit.sha,
    message: commit.message,
    providerType,
    created: commit.time,
    revisionUrl: connectionRedirectUrl(region, source.connectionArn, source.repository, { commit: commit.sha }),
  };
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

function fromFixtureRevision(r: FixtureRevision, at: (offsetMs: number) => Date): ExecutionRevision {
  const { createdOffsetMs, ...rest } = r;
  return { ...rest, created: at(createdOffsetMs) };
}

function key(p: { account: string; region: string; name: string }): string {
  return `${p.account}/${p.region}/${p.name}`;
}

/** Code-point order (the order ListPipelines returns names in). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
