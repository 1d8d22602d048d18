import "server-only";
import { parseConnectionsArn } from "@/lib/arn";
import { clientsFor } from "@/lib/aws/clients";
import { putMetricData } from "@/lib/aws/cloudwatch";
import { getExecutionRevision } from "@/lib/aws/codepipeline";
import { toAppError } from "@/lib/aws/errors";
import { JOBS } from "@/lib/alerts/rules";
import { env } from "@/lib/env";
import { getScopes } from "@/lib/fleet/scopes";
import { sweepPipeline } from "@/lib/pipelines/map";
import { PUSH_TRIGGERS } from "@/lib/pipelines/health";
import { sameRepo, simulate } from "@/lib/pipelines/triggers";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { MetricValue, NewPush, StoredExecution, StoredPipeline, StoredPush } from "@/lib/store/types";
import { type ConnectionState, type Scope, type SourceAction, type StartEvent, scopeKey } from "@/lib/types";
import { buildRequests, DIMENSION_SETS, METRIC, type DimensionSet } from "./batch";

/**
 * The latency pipeline (README, "Push-to-pipeline-start latency": samples, missed triggers):
 *   push stored (webhook) ─┐
 *   execution started (EventBridge event or the execution sweep) ─┤→ join on the commit → sample
 *   → metric outbox → PutMetricData to the home scope, batched, retried until accepted.
 * A sample is the execution's startTime minus the push time (GitHub: pushed_at; others: receipt).
 */

const TWO_WEEKS_MS = 14 * 86_400_000;
/** CloudWatch refuses data older than two weeks; keep a margin so a value never fails mid-flight. */
const TOO_OLD_MS = TWO_WEEKS_MS - 10 * 60_000;
const TOO_NEW_MS = 2 * 3_600_000;

export async function homeScope(): Promise<Scope> {
  const scopes = await getScopes();
  const configured = env().TETHER_METRICS_SCOPE;
  if (configured) {
    const [account, region] = configured.split("/") as [string, string];
    return scopes.find((s) => s.account === account && s.region === region) ?? { account, region };
  }
  const first = scopes[0];
  if (!first) throw new Error("no scope to publish metrics to");
  return first;
}

export function dimensionSets(): DimensionSet[] {
  const chosen = env().TETHER_METRICS_DIMENSIONS as DimensionSet[];
  return chosen.length ? chosen : [...DIMENSION_SETS];
}

// ---------------------------------------------------------------------------------------------

interface KnownConnection {
  status: string;
  name: string;
  provider: string;
  deleted: boolean;
}

type KnownConnections = (account: string, region: string, id: string) => Promise<KnownConnection | undefined>;

/**
 * Connections as the status history has them (no AWS call): provider, status, deleted. Looked up
 * by key as needed and remembered for one pass, so a push touches only its pipelines' connections.
 */
function knownConnections(): KnownConnections {
  const history = getStore().history;
  const seen = new Map<string, Promise<KnownConnection | undefined>>();
  const lookup = async (account: string, region: string, id: string): Promise<KnownConnection | undefined> => {
    const r = (await history.resource("connection", account, region, id)) ?? (await history.resource("connection", account, region, id.toLowerCase()));
    return r ? { status: r.status, name: r.name, provider: r.provider, deleted: r.deletedAt !== null } : undefined;
  };
  return (account, region, id) => {
    const key = `${account}/${region}/${id.toLowerCase()}`;
    let found = seen.get(key);
    if (!found) seen.set(key, (found = lookup(account, region, id)));
    return found;
  };
}

async function connectionOf(known: KnownConnections, action: SourceAction): Promise<{ id: string | null; provider: string | null; state: ConnectionState }> {
  const arn = parseConnectionsArn(action.connectionArn);
  if (arn?.kind !== "connection") return { id: null, provider: null, state: { exists: false } };
  const c = await known(arn.account, arn.region, arn.id);
  if (!c) return { id: arn.id, provider: null, state: { exists: "unknown", reason: `${arn.account}/${arn.region} has not been listed` } };
  return { id: arn.id, provider: c.provider, state: c.deleted ? { exists: false } : { exists: true, status: c.status, name: c.name } };
}

const pipelineKey = (p: { account: string; region: string; name?: string; pipeline?: string }) => `${p.account}/${p.region}/${p.name ?? p.pipeline}`;

/** Pipelines (and their source action) that watch the push's repository. */
async function candidates(push: Pick<StoredPush, "repository">): Promise<{ pipeline: StoredPipeline; action: SourceAction }[]> {
  const out: { pipeline: StoredPipeline; action: SourceAction }[] = [];
  for (const p of await getStore().pipelines.watching(push.repository)) {
    for (const a of p.definition.sourceActions) if (sameRepo(a.repository, push.repository)) out.push({ pipeline: p, action: a });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pushes and starts arrive.

const PROVIDER_OF_RECEIVER: Record<string, string> = { github: "GitHub", gitlab: "GitLab", bitbucket: "Bitbucket" };

/**
 * The WebhookDelivery values of one push: one fleet-wide (by provider), and one per pipeline it
 * would start. Keyed by the provider's delivery id, so they can be written in the same transaction
 * as the push itself (one disk flush for both) and never twice.
 */
export async function deliveryMetrics(push: NewPush): Promise<(MetricValue & { source: string })[]> {
  const known = knownConnections();
  const source = `delivery:${push.provider}:${push.deliveryId}`;
  const matched: { pipeline: StoredPipeline; c: Awaited<ReturnType<typeof connectionOf>> }[] = [];
  for (const { pipeline, action } of await candidates(push)) {
    const c = await connectionOf(known, action);
    if (simulate(pipeline.definition, action, c.state, { repository: push.repository, branch: push.branch, paths: push.paths }).outcome !== "no") matched.push({ pipeline, c });
  }
  const provider = matched.map(({ c }) => c.provider).find(Boolean) ?? PROVIDER_OF_RECEIVER[push.provider] ?? null;
  return [
    { metric: METRIC.delivery, unit: "Count", value: 1, at: push.receivedAt, pipeline: null, connectionId: null, provider, fleet: true, source },
    ...matched.map(({ pipeline, c }) => ({ metric: METRIC.delivery, unit: "Count", value: 1, at: push.receivedAt, pipeline: pipelineKey(pipeline), connectionId: c.id, provider: null, fleet: false, source: `${source}:${pipelineKey(pipeline)}` })),
  ];
}

/** An execution start from EventBridge: stored like a swept execution (the same row, by id). */
export function recordStart(e: StartEvent): Promise<boolean> {
  return getStore().pipelines.addExecution(e.account, e.region, e.pipeline, {
    executionId: e.executionId,
    status: "InProgress",
    startTime: e.startTime,
    lastUpdateTime: e.startTime,
    triggerType: e.triggerType,
    triggerDetail: e.triggerDetail,
    revisionId: null,
    revisionSummary: null,
  });
}

// ---------------------------------------------------------------------------------------------
// The join.

/** Executions whose commit is unknown (an event carries none): one GetPipelineExecution each. */
export async function resolveCommits(limit = 50): Promise<number> {
  const store = getStore();
  const since = new Date(Date.now() - TWO_WEEKS_MS).toISOString();
  const scopes = new Map((await getScopes()).map((s) => [scopeKey(s), s]));
  let resolved = 0;
  for (const e of await store.latency.unresolved(since, limit)) {
    const scope = scopes.get(`${e.account}/${e.region}`);
    // An attempt counts when the answer is final (no such scope, no execution, no commit); a
    // throttled or unreachable scope is asked again next cycle.
    if (!scope) {
      await store.latency.noteRevisionAttempt(e.account, e.region, e.pipeline, e.executionId);
      continue;
    }
    try {
      const rev = await getExecutionRevision(clientsFor(scope).pipelines, scope, e.pipeline, e.executionId);
      if (rev) {
        await store.latency.setRevision(e.account, e.region, e.pipeline, e.executionId, rev.toLowerCase());
        resolved++;
      } else {
        await store.latency.noteRevisionAttempt(e.account, e.region, e.pipeline, e.executionId);
      }
    } catch (err) {
      const appError = toAppError(err, `resolving ${e.pipeline}/${e.executionId}`);
      if (appError.kind === "forbidden" || appError.kind === "bad_request") await store.latency.noteRevisionAttempt(e.account, e.region, e.pipeline, e.executionId);
      console.warn(`[tether] ${appError.message}`);
    }
  }
  return resolved;
}

/** How long an execution waits for its push before it counts as "no push" (out-of-order arrival). */
const waitForPushMs = () => Math.max(env().TETHER_MISSED_TRIGGER_MINUTES * 60_000, 10 * 60_000);

export interface JoinResult {
  samples: number;
  negative: number;
  noPush: number;
}

/** Joins webhook-triggered executions with stored pushes on the commit (all, or one commit's). Idempotent. */
export async function join(now = Date.now(), sha?: string): Promise<JoinResult> {
  const store = getStore();
  const known = knownConnections();
  const result: JoinResult = { samples: 0, negative: 0, noPush: 0 };
  const createdAt = new Date(now).toISOString();
  for (const e of await store.latency.unjoined({ since: new Date(now - TWO_WEEKS_MS).toISOString(), waitBefore: new Date(now - waitForPushMs()).toISOString(), ...(sha ? { sha } : {}), limit: 5000 })) {
    if (!e.revisionId || !e.startTime || !PUSH_TRIGGERS.has(e.triggerType ?? "")) continue;
    const pipeline = await store.pipelines.get(e.account, e.region, e.pipeline);
    const actions = pipeline?.definition.sourceActions ?? [];
    // The push that started it: of this commit's pushes to a watched repository, prefer one to a
    // branch that source action watches (the same commit may be pushed to a feature branch first),
    // and the latest made before the start.
    const pushes = (await store.latency.pushesBySha(e.revisionId)).filter((p) => actions.length === 0 || actions.some((a) => sameRepo(a.repository, p.repository)));
    const onBranch = pushes.filter((p) => actions.some((a) => sameRepo(a.repository, p.repository) && a.branch === p.branch));
    const candidates = onBranch.length ? onBranch : pushes;
    const startMs = Date.parse(e.startTime);
    const push = candidates.filter((p) => Date.parse(p.pushedAt) <= startMs).at(-1) ?? candidates[0];
    const action = (push && actions.find((a) => sameRepo(a.repository, push.repository))) ?? actions[0];
    const c = action ? await connectionOf(known, action) : { id: null, provider: null };
    const base = { account: e.account, region: e.region, pipeline: e.pipeline, executionId: e.executionId, connectionId: c.id, provider: c.provider ?? (push ? (PROVIDER_OF_RECEIVER[push.provider] ?? null) : null), startTime: e.startTime, createdAt };
    if (!push) {
      if (now - Date.parse(e.startTime) > waitForPushMs()) {
        if ((await store.latency.saveSample({ ...base, pushId: null, latencyMs: null, kind: "no-push" }))) result.noPush++;
      }
      continue;
    }
    const latency = Date.parse(e.startTime) - Date.parse(push.pushedAt);
    if (latency < 0) {
      if ((await store.latency.saveSample({ ...base, pushId: push.id, latencyMs: latency, kind: "negative" }))) result.negative++;
      continue;
    }
    if ((await store.latency.saveSample({ ...base, pushId: push.id, latencyMs: latency, kind: "sample" }))) {
      result.samples++;
      await store.latency.enqueue([{ metric: METRIC.latency, unit: "Milliseconds", value: latency, at: e.startTime, pipeline: pipelineKey(e), connectionId: base.connectionId, provider: base.provider, fleet: true, source: `latency:${pipelineKey(e)}:${e.executionId}` }], createdAt);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Missed triggers.

export interface MissedResult {
  evaluated: number;
  missed: number;
  unknown: number;
  /** Pushes left for the next cycle because a pipeline's executions could not be read. */
  deferred: number;
}

const SKEW_MS = 60_000;

function startedBy(executions: StoredExecution[], shas: Set<string>, from: number, to: number): boolean {
  return executions.some((x) => PUSH_TRIGGERS.has(x.triggerType ?? "") && x.startTime !== null && Date.parse(x.startTime) >= from - SKEW_MS && Date.parse(x.startTime) <= to && (x.revisionId === null || shas.has(x.revisionId)));
}

/**
 * A push the simulator says would start a pipeline, with no webhook-triggered execution of that
 * pipeline for that commit or a later one on the branch within TETHER_MISSED_TRIGGER_MINUTES, is
 * a missed trigger; "unknown" (not missed) when the filters cannot be evaluated. A pipeline's
 * executions are read again (one ListPipelineExecutions) before it is declared missed.
 */
export async function evaluateMissed(now = Date.now(), limit = 200): Promise<MissedResult> {
  const store = getStore();
  const windowMs = env().TETHER_MISSED_TRIGGER_MINUTES * 60_000;
  const known = knownConnections();
  const scopes = new Map((await getScopes()).map((s) => [scopeKey(s), s]));
  const result: MissedResult = { evaluated: 0, missed: 0, unknown: 0, deferred: 0 };
  const detectedAt = new Date(now).toISOString();
  pushes: for (const push of await store.latency.pushesToEvaluate(new Date(now - windowMs).toISOString(), limit)) {
    const pushedAt = Date.parse(push.pushedAt);
    const deadline = Date.parse(push.receivedAt) + windowMs;
    const shas = new Set([push.sha, ...(await store.latency.pushesAfter(push.repository, push.branch, push.pushedAt)).map((p) => p.sha)]);
    for (const { pipeline, action } of await candidates(push)) {
      const c = await connectionOf(known, action);
      const sim = simulate(pipeline.definition, action, c.state, { repository: push.repository, branch: push.branch, paths: push.paths });
      const base = { pushId: push.id, account: pipeline.account, region: pipeline.region, pipeline: pipeline.name, connectionId: c.id, provider: c.provider, detectedAt };
      if (sim.outcome === "unknown") {
        if ((await store.latency.saveMissed({ ...base, state: "unknown", reason: sim.reason }))) result.unknown++;
        continue;
      }
      if (sim.outcome !== "starts") continue;
      let executions = await store.pipelines.executions(pipeline.account, pipeline.region, pipeline.name, 200);
      if (!startedBy(executions, shas, pushedAt, deadline)) {
        const scope = scopes.get(`${pipeline.account}/${pipeline.region}`);
        if (scope && (!pipeline.lastSweptAt || Date.parse(pipeline.lastSweptAt) < deadline)) {
          const failure = await resweep(scope, pipeline, now);
          if (failure) {
            // Never "missed" on executions we could not read: try again next cycle, and after an
            // hour of failures say "unknown" with the reason rather than keep the push forever.
            if (now - deadline < GIVE_UP_SWEEP_MS) {
              result.deferred++;
              continue pushes;
            }
            if ((await store.latency.saveMissed({ ...base, state: "unknown", reason: `the executions of ${pipeline.name} could not be read: ${failure}` }))) result.unknown++;
            continue;
          }
          executions = await store.pipelines.executions(pipeline.account, pipeline.region, pipeline.name, 200);
        }
      }
      if (startedBy(executions, shas, pushedAt, deadline)) continue;
      const reason = `no webhook-triggered execution of ${pipeline.name} for ${push.sha.slice(0, 10)} (or a later commit on ${push.branch}) within ${env().TETHER_MISSED_TRIGGER_MINUTES} min of the push; ${sim.reason}`;
      if ((await store.latency.saveMissed({ ...base, state: "missed", reason }))) {
        result.missed++;
        await store.latency.enqueue([{ metric: METRIC.missed, unit: "Count", value: 1, at: push.receivedAt, pipeline: pipelineKey(pipeline), connectionId: c.id, provider: c.provider, fleet: true, source: `missed:${push.id}:${pipelineKey(pipeline)}` }], detectedAt);
      }
    }
    await store.latency.markEvaluated(push.id, detectedAt);
    result.evaluated++;
  }
  return result;
}

/** How long a push waits for its pipeline's executions to become readable before "unknown". */
const GIVE_UP_SWEEP_MS = 3_600_000;
/** A scope whose execution listing failed is not asked again for this long (one error, not one per push). */
const SWEEP_RETRY_MS = 60_000;

/** Reads a pipeline's executions again; the error message when its scope cannot be read. */
async function resweep(scope: Scope, pipeline: StoredPipeline, now: number): Promise<string | null> {
  const failures = singleton("latency:sweep-failures", () => new Map<string, { at: number; message: string }>());
  const key = scopeKey(scope);
  const recent = failures.get(key);
  if (recent && now - recent.at < SWEEP_RETRY_MS) return recent.message;
  try {
    await sweepPipeline(scope, pipeline);
    failures.delete(key);
    return null;
  } catch (e) {
    const message = toAppError(e, `listing the executions of ${pipeline.name}`).message;
    failures.set(key, { at: now, message });
    return message;
  }
}

// ---------------------------------------------------------------------------------------------
// Publishing.

export interface FlushResult {
  requests: number;
  published: number;
  dropped: number;
  retried: number;
}

/**
 * Wait before retrying values CloudWatch did not accept: 5 s doubling, at most 2 minutes (a small
 * PutMetricData every 2 minutes during an outage costs nothing; a longer cap would delay the
 * catch-up after it). A publish that succeeds makes every waiting value due at once.
 */
const backoffMs = (attempts: number) => Math.min(2 * 60_000, 5_000 * 2 ** attempts);

/** Publishes due outbox values; values CloudWatch would refuse are dropped with the reason. */
/**
 * How long a publisher holds the values it claimed. A publisher that dies between PutMetricData and
 * marking them published leaves them to be sent again after this (at least once, never twice while
 * every publisher lives).
 */
export const PUBLISH_CLAIM_MS = 2 * 60_000;

export async function flushMetrics(now = Date.now(), maxRows = 20_000): Promise<FlushResult> {
  const store = getStore();
  const result: FlushResult = { requests: 0, published: 0, dropped: 0, retried: 0 };
  // Claimed, not just read: a value another replica is publishing right now is not sent twice.
  const due = await store.latency.claimDue(new Date(now).toISOString(), maxRows, new Date(now + PUBLISH_CLAIM_MS).toISOString());
  if (due.length === 0) return result;
  const at = new Date(now).toISOString();
  const tooOld = due.filter((r) => now - Date.parse(r.at) > TOO_OLD_MS);
  const tooNew = due.filter((r) => Date.parse(r.at) - now > TOO_NEW_MS);
  if (tooOld.length) await store.latency.markDropped(tooOld.map((r) => r.id), "older than two weeks: CloudWatch would refuse it", at);
  if (tooNew.length) await store.latency.markDropped(tooNew.map((r) => r.id), "more than two hours in the future: CloudWatch would refuse it", at);
  result.dropped = tooOld.length + tooNew.length;
  const rows = due.filter((r) => !tooOld.includes(r) && !tooNew.includes(r));
  if (rows.length === 0) return result;

  const scope = await homeScope();
  const client = clientsFor(scope).cloudwatch;
  // The heartbeat has no dimension whatever TETHER_METRICS_DIMENSIONS says: an alarm watches it.
  const requests = [...buildRequests(rows.filter((r) => r.metric !== METRIC.heartbeat), dimensionSets()), ...buildRequests(rows.filter((r) => r.metric === METRIC.heartbeat), ["Fleet"])];
  const failed = new Map<number, string>();
  for (const req of requests) {
    try {
      await putMetricData(client, scope, env().TETHER_METRICS_NAMESPACE, req.datums);
      result.requests++;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      for (const id of req.rowIds) failed.set(id, message);
    }
  }
  const ok = rows.filter((r) => !failed.has(r.id)).map((r) => r.id);
  if (ok.length) await store.latency.markPublished(ok, at);
  // The "metrics not published" alert reads the publisher's last success.
  await store.alerts.recordRun(JOBS.metrics, at, ok.length ? null : ([...failed.values()][0] ?? "failed"));
  result.published = ok.length;
  // CloudWatch is back: what waited out an outage goes in the next cycle, not after its backoff.
  if (ok.length && failed.size === 0) await store.latency.retryNow(at);
  for (const r of rows.filter((x) => failed.has(x.id))) {
    await store.latency.retryLater([r.id], new Date(now + backoffMs(r.attempts)).toISOString(), failed.get(r.id) ?? "failed");
    result.retried++;
  }
  if (result.retried) console.warn(`[tether] metrics: ${result.retried} values will be retried: ${[...new Set(failed.values())][0]}`);
  return result;
}

/**
 * Looks up missing commits and joins. One run at a time in this process: a burst of EventBridge
 * events and the 5-second cycle share the run under way instead of each asking AWS for the same
 * executions.
 */
export function resolveAndJoin(): Promise<void> {
  const state = singleton("latency:resolve-and-join", () => ({ running: null as Promise<void> | null }));
  state.running ??= (async () => {
    await resolveCommits();
    await join();
  })().finally(() => {
    state.running = null;
  });
  return state.running;
}

/**
 * Tether's heartbeat: one `Heartbeat` value (Count 1, no dimension) for the minute `now` falls in,
 * into the metric outbox, published with the other metrics. The outbox source names the minute,
 * so however many cycles and replicas run in that minute, CloudWatch gets exactly one; an alarm
 * on its absence (deploy/tether-alarms.yaml) says Tether's background work has stopped. Returns
 * whether this call added it.
 */
export async function enqueueHeartbeat(now = Date.now()): Promise<boolean> {
  const minute = Math.floor(now / 60_000) * 60_000;
  const state = singleton("latency:heartbeat", () => ({ minute: 0 }));
  if (state.minute === minute) return false;
  const at = new Date(minute).toISOString();
  const added = await getStore().latency.enqueue([{ metric: METRIC.heartbeat, unit: "Count", value: 1, at, pipeline: null, connectionId: null, provider: null, fleet: true, source: `heartbeat:${at}` }], new Date(now).toISOString());
  state.minute = minute;
  return added > 0;
}

/** One cycle of the latency work (the background runs it every few seconds). */
export async function latencyCycle(): Promise<void> {
  await enqueueHeartbeat();
  await resolveAndJoin();
  await evaluateMissed();
  await flushMetrics();
}
