import { createHash, randomUUID } from "node:crypto";
import { SOURCE_PROVIDER, sourceActionOf, type ExecutionOutcome, type ExecutionTrigger, type SourceActionInfo } from "./declaration";
import type { FixtureCommit, FixturePipeline, FixtureRevision } from "./fixture-data";
import { currentDeclaration, type CommitRecord, type ExecutionRecord, type ExecutionRevision, type PipelineRecord } from "./records";
import { revisionFor } from "./revisions";
import { newExecutionDurations } from "./timing";

/**
 * CodePipeline state: pipelines of every account and Region (every version of their
 * declaration), their executions and the commits known per repository branch. Executions carry
 * their own timing (timing.ts), so nothing runs in the background.
 */

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
