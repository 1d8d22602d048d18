import "server-only";
import { env } from "@/lib/env";
import { getScopes } from "@/lib/fleet/scopes";
import { HISTORY_DAYS } from "@/lib/pipelines/map";
import { assessPipeline, connectionLookup } from "@/lib/pipelines/verdicts";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { AlertChanges, StoredExecution } from "@/lib/store/types";
import { configuredChannels } from "./channels";
import { evaluate, type EffectiveRule } from "./machine";
import { effectiveParams, JOBS, RULES, type AlertSnapshot, type PipelineState } from "./rules";

/**
 * The alert evaluation job: right after each poll ("poll" rules: statuses, listings, pipeline
 * verdicts) and after each latency cycle ("cycle" rules: missed triggers, latency, Tether's own
 * jobs), read a snapshot from the store, run the state machine and apply its changes in one
 * transaction (transitions and their outbox rows together); lib/background.ts then sends what is
 * due (lib/alerts/deliver.ts). One pass per cadence at a time. A pass that fails throws (nothing of
 * it was applied): the background job (lib/repeat.ts) logs it and tries again with backoff.
 */

export type Cadence = "poll" | "cycle";

/** Resolved alerts (with their transitions and deliveries) are kept this long. */
export const ALERT_KEEP_DAYS = 90;

/** When this process started: the poller's lateness counts from here when it never ran. */
const processStartedAt = () => singleton("alerts:process-started-at", () => Date.now());

/** The rules of a cadence with their stored settings (enabled, thresholds, channels). */
export async function effectiveRules(cadence?: Cadence): Promise<EffectiveRule[]> {
  const stored = new Map((await getStore().alerts.ruleSettings()).map((s) => [s.ruleId, s]));
  return RULES.filter((r) => !cadence || r.cadence === cadence).map((def) => {
    const s = stored.get(def.id);
    return { def, enabled: s?.enabled ?? true, params: effectiveParams(def, s?.params), channels: s?.channels ?? null };
  });
}

/** Pipeline verdicts from the store: the connections Tether's history has, the accounts it listed. */
async function pipelineStates(now: number, scopes: { account: string; region: string }[]): Promise<PipelineState[]> {
  const store = getStore();
  const connections = await store.history.resources({ kind: "connection" });
  const listed = new Map((await store.history.listingStates()).filter((l) => l.kind === "connection").map((l) => [l.account, l.firstCompleteAt !== null]));
  for (const s of scopes) if (!listed.has(s.account)) listed.set(s.account, false);
  const lookup = connectionLookup(connections, listed);
  const executions = new Map<string, StoredExecution[]>();
  for (const e of await store.pipelines.executionsSince(new Date(now - HISTORY_DAYS * 86_400_000).toISOString())) {
    const k = `${e.account}/${e.region}/${e.pipeline}`;
    executions.set(k, [...(executions.get(k) ?? []), e]);
  }
  const configured = new Set(scopes.map((s) => `${s.account}/${s.region}`));
  return (await store.pipelines.all())
    .filter((p) => configured.has(`${p.account}/${p.region}`))
    .map((p) => {
      const { sources, health } = assessPipeline(lookup, p, executions.get(`${p.account}/${p.region}/${p.name}`) ?? [], now);
      const broken = sources.find((s) => s.diagnosis.verdict === "broken");
      return { account: p.account, region: p.region, name: p.name, verdict: health.verdict, reason: health.reason, fix: broken?.diagnosis.fix ?? null };
    });
}

/** What the rules of `cadence` read, from the store (and the configured scopes). */
export async function buildSnapshot(cadence: Cadence, now: number, rules: EffectiveRule[]): Promise<AlertSnapshot> {
  const store = getStore();
  const e = env();
  const snap: AlertSnapshot = {
    now,
    scopes: [],
    connections: [],
    hosts: [],
    listings: [],
    pipelines: [],
    missed: [],
    latencies: [],
    sloMs: e.TETHER_LATENCY_SLO_SECONDS * 1000,
    pollIntervalMs: e.TETHER_POLL_INTERVAL_SECONDS * 1000,
    startedAt: processStartedAt(),
    runs: [],
    metricsWaiting: { count: 0, reason: null },
  };
  const on = (id: string) => rules.some((r) => r.enabled && r.def.id === id);
  const windowOf = (id: string, key: string) => (rules.find((r) => r.def.id === id)?.params[key] ?? 0) * 60_000;
  if (cadence === "poll") {
    snap.scopes = (await getScopes()).map((s) => ({ account: s.account, region: s.region }));
    const resources = (await store.history.resources()).map((r) => ({ account: r.account, region: r.region, id: r.id, arn: r.arn, name: r.name, provider: r.provider, status: r.status, statusSince: r.statusSince, kind: r.kind }));
    snap.connections = resources.filter((r) => r.kind === "connection");
    snap.hosts = resources.filter((r) => r.kind === "host");
    snap.listings = await store.history.listingStates();
    if (on("pipeline-broken")) snap.pipelines = await pipelineStates(now, snap.scopes);
  } else {
    if (on("missed-triggers")) {
      snap.missed = (await store.latency.missedSince(new Date(now - windowOf("missed-triggers", "minutes")).toISOString()))
        .filter((m) => m.state === "missed")
        .map((m) => ({ account: m.account, region: m.region, pipeline: m.pipeline, detectedAt: m.detectedAt }));
    }
    if (on("latency-slo")) snap.latencies = await store.latency.latenciesSince(new Date(now - windowOf("latency-slo", "minutes")).toISOString());
    snap.runs = await store.alerts.runs();
    if (on("metrics-stale")) {
      const waiting = await store.latency.retrying();
      snap.metricsWaiting = { count: waiting.count, reason: waiting.reason };
    }
  }
  return snap;
}

/** One evaluation of a cadence's rules, applied; null when one was already running. Throws when it failed. */
export async function evaluateAlerts(cadence: Cadence, now = Date.now()): Promise<AlertChanges | null> {
  const state = singleton(`alerts:evaluating:${cadence}`, () => ({ running: false }));
  if (state.running) return null;
  state.running = true;
  try {
    const store = getStore();
    const rules = await effectiveRules(cadence);
    const ids = rules.map((r) => r.def.id);
    const changes = evaluate({
      now,
      rules,
      snapshot: await buildSnapshot(cadence, now, rules),
      tracking: await store.alerts.tracking(ids),
      firing: await store.alerts.firing(ids),
      windows: await store.alerts.windows(new Date(now).toISOString()),
      channels: configuredChannels().map((c) => c.id),
    });
    await store.alerts.apply(changes);
    if (cadence === "poll") await store.alerts.prune(new Date(now - ALERT_KEEP_DAYS * 86_400_000).toISOString());
    for (const f of changes.fire) console.log(`[tether] alert fired: ${f.ruleId} ${f.subject.name}${f.notified ? "" : ` (not notified: ${f.note ?? ""})`}`);
    if (changes.resolve.length) console.log(`[tether] alerts resolved: ${changes.resolve.length}`);
    return changes;
  } finally {
    state.running = false;
  }
}

/** Records a background job's run for the self-monitoring rules; never throws. */
export async function recordJobRun(job: (typeof JOBS)[keyof typeof JOBS], error: string | null, at = new Date().toISOString()): Promise<void> {
  try {
    await getStore().alerts.recordRun(job, at, error);
  } catch (e) {
    console.error(`[tether] could not record the ${job} run`, e);
  }
}
