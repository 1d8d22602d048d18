import "server-only";
import { clientsFor } from "@/lib/aws/clients";
import { getMetricData } from "@/lib/aws/cloudwatch";
import { env } from "@/lib/env";
import { publicMessage } from "@/lib/errors";
import { METRIC } from "@/lib/latency/batch";
import { homeScope } from "@/lib/latency/engine";
import { getStore } from "@/lib/store";
import type { StoredPush } from "@/lib/store/types";
import type { LatencyPoint, MetricQuery, MissedTriggerRow } from "@/lib/types";
import { requireRole } from "./session";
import { toSearchParams } from "@/lib/query";

/**
 * Latency charts from CloudWatch (GetMetricData on the metrics home scope). Every series of a view
 * — p50, p90, p99 and max of PushToPipelineStartLatency, the sum of MissedTrigger, the sample
 * count, and the per-value breakdown table — is one list of queries, sent in ⌈queries / 500⌉
 * calls. Periods keep each series at ≤ 1,440 points and long enough (5 min from 6 h up, 1 h for
 * 7 days) that a percentile summarises several pushes rather than one.
 */

export const RANGES = {
  "1h": { ms: 3_600_000, period: 60 },
  "6h": { ms: 6 * 3_600_000, period: 300 },
  "24h": { ms: 24 * 3_600_000, period: 300 },
  "7d": { ms: 7 * 86_400_000, period: 3600 },
} as const;
export type Range = keyof typeof RANGES;
export const BYS = ["fleet", "provider", "connection", "pipeline"] as const;
export type By = (typeof BYS)[number];
const DIMENSION: Record<Exclude<By, "fleet">, string> = { provider: "Provider", connection: "ConnectionId", pipeline: "Pipeline" };
const MAX_QUERIES = 500;


export interface BreakdownRow {
  value: string;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  samples: number;
}

export interface LatencyView {
  range: Range;
  by: By;
  value: string | null;
  periodSeconds: number;
  /** The range read: [startMs, endMs), whole periods. */
  startMs: number;
  endMs: number;
  points: LatencyPoint[];
  breakdown: { dimension: string; rows: BreakdownRow[] } | null;
  sloMs: number;
  error: string | null;
  calls: number;
  queries: number;
  generatedAt: string;
}

export function parseLatencyQuery(input: URLSearchParams | Record<string, string | string[] | undefined>): { range: Range; by: By; value: string | null } {
  const p = toSearchParams(input);
  const range = (Object.keys(RANGES) as Range[]).includes(p.get("range") as Range) ? (p.get("range") as Range) : "24h";
  // `view=provider:GitHub` (the page's single select) or `by=provider&value=GitHub` (links).
  const view = p.get("view");
  const [viewBy, ...rest] = view ? view.split(":") : [];
  const rawBy = viewBy ?? p.get("by") ?? "";
  const by = (BYS as readonly string[]).includes(rawBy) ? (rawBy as By) : "fleet";
  const value = (view ? rest.join(":") : p.get("value"))?.trim().slice(0, 300) || null;
  return by === "fleet" || !value ? { range, by: "fleet", value: null } : { range, by, value };
}

const STATS = [
  ["p50", "p50", METRIC.latency],
  ["p90", "p90", METRIC.latency],
  ["p99", "p99", METRIC.latency],
  ["max", "Maximum", METRIC.latency],
  ["samples", "SampleCount", METRIC.latency],
  ["missed", "Sum", METRIC.missed],
] as const;

/** The series of one view (and, for the fleet, a breakdown by `breakdownValues` of `breakdownBy`). */
export async function getLatencyView(opts: { range: Range; by: By; value: string | null; breakdownBy?: Exclude<By, "fleet">; breakdownValues?: string[] }): Promise<LatencyView> {
  await requireRole("viewer");
  const { period, ms } = RANGES[opts.range];
  const end = Math.ceil(Date.now() / (period * 1000)) * period * 1000;
  const start = end - ms;
  const namespace = env().TETHER_METRICS_NAMESPACE;
  const dims = opts.by === "fleet" || !opts.value ? [] : [{ Name: DIMENSION[opts.by], Value: opts.value }];
  const queries: MetricQuery[] = STATS.map(([id, stat, metric]) => ({ Id: id, Label: id, MetricStat: { Metric: { Namespace: namespace, MetricName: metric, Dimensions: dims }, Period: period, Stat: stat } }));
  const breakdownValues = (opts.breakdownValues ?? []).slice(0, Math.floor((MAX_QUERIES * 4 - queries.length) / 4));
  breakdownValues.forEach((v, i) => {
    for (const [suffix, stat] of [["p50", "p50"], ["p90", "p90"], ["p99", "p99"], ["n", "SampleCount"]] as const) {
      queries.push({ Id: `b${i}_${suffix}`, MetricStat: { Metric: { Namespace: namespace, MetricName: METRIC.latency, Dimensions: [{ Name: DIMENSION[opts.breakdownBy ?? "provider"], Value: v }] }, Period: ms / 1000, Stat: stat } });
    }
  });
  const base = { range: opts.range, by: opts.by, value: opts.value, periodSeconds: period, startMs: start, endMs: end, sloMs: env().TETHER_LATENCY_SLO_SECONDS * 1000, queries: queries.length, generatedAt: new Date().toISOString() };
  try {
    const scope = await homeScope();
    const client = clientsFor(scope).cloudwatch;
    let calls = 0;
    const series = new Map<string, Map<number, number>>();
    for (let i = 0; i < queries.length; i += MAX_QUERIES) {
      const out = await getMetricData(client, scope, queries.slice(i, i + MAX_QUERIES), new Date(start), new Date(end));
      calls += out.calls;
      for (const s of out.series) {
        const m = series.get(s.id) ?? new Map<number, number>();
        s.timestamps.forEach((t, j) => m.set(t, s.values[j] ?? Number.NaN));
        series.set(s.id, m);
      }
    }
    const times = [...new Set(STATS.flatMap(([id]) => [...(series.get(id)?.keys() ?? [])]))].sort((a, b) => a - b);
    const at = (id: string, t: number) => {
      const v = series.get(id)?.get(t);
      return v === undefined || Number.isNaN(v) ? null : v;
    };
    const points = times.map((t) => ({ t, p50: at("p50", t), p90: at("p90", t), p99: at("p99", t), max: at("max", t), samples: at("samples", t), missed: at("missed", t) }));
    const first = (id: string) => {
      const m = series.get(id);
      const v = m ? [...m.values()][0] : undefined;
      return v === undefined || Number.isNaN(v) ? null : v;
    };
    const breakdown = breakdownValues.length
      ? {
          dimension: DIMENSION[opts.breakdownBy ?? "provider"],
          rows: breakdownValues.map((v, i) => ({ value: v, p50: first(`b${i}_p50`), p90: first(`b${i}_p90`), p99: first(`b${i}_p99`), samples: first(`b${i}_n`) ?? 0 })).filter((r) => r.samples > 0),
        }
      : null;
    return { ...base, points, breakdown, error: null, calls };
  } catch (e) {
    return { ...base, points: [], breakdown: null, error: publicMessage(e), calls: 0 };
  }
}

/** A missed trigger with the whole stored push (the tables use a part of it). */
export type MissedView = Omit<MissedTriggerRow, "push"> & { push: StoredPush };

/** Missed (and unknown) triggers of the last `days`, newest first; filter by pipeline or connection. */
export async function getMissedTriggers(filter: { account?: string; region?: string; pipeline?: string; connectionId?: string } = {}, days = 7): Promise<MissedView[]> {
  await requireRole("viewer");
  return (await getStore().latency.missedSince(new Date(Date.now() - days * 86_400_000).toISOString(), filter)).map((m) => ({ pushId: m.pushId, state: m.state, reason: m.reason, detectedAt: m.detectedAt, account: m.account, region: m.region, pipeline: m.pipeline, push: m.push }));
}

export interface LatencyHealth {
  samples: number;
  negative: number;
  noPush: number;
  outbox: Record<"pending" | "published" | "dropped", number>;
  dropped: { reason: string; count: number }[];
  /** Values CloudWatch did not accept yet (an outage, throttling): retried with backoff, never lost. */
  retrying: { count: number; reason: string | null; nextAt: string | null };
}

/** Counts behind the charts: samples joined, dropped negative ones, executions without a push, the outbox. */
export async function getLatencyHealth(days = 7): Promise<LatencyHealth> {
  await requireRole("viewer");
  const store = getStore();
  const counts = await store.latency.sampleCounts(new Date(Date.now() - days * 86_400_000).toISOString());
  return {
    samples: counts.sample,
    negative: counts.negative,
    noPush: counts["no-push"],
    // The per-minute heartbeat is not a push's or a sample's value: counted apart from them.
    outbox: await store.latency.outboxCounts(METRIC.heartbeat),
    dropped: await store.latency.droppedReasons(),
    retrying: await store.latency.retrying(),
  };
}

/** The newest stored push to a repository (and branch), for "last push" on the pipeline page. */
export async function getLastPush(repository: string, branch: string): Promise<StoredPush | null> {
  await requireRole("viewer");
  return (await getStore().latency.recentPushes(1, { repository, branch }))[0] ?? null;
}

export interface LatencyTargets {
  /** `account/region/name` of every pipeline with a connection source action (the Pipeline dimension). */
  pipelines: string[];
  /** Connections those pipelines use (the ConnectionId dimension), named as the status history has them. */
  connections: { id: string; name: string }[];
}

/** What the /latency picker offers: every pipeline and connection that can have samples, from the store. */
export async function getLatencyTargets(): Promise<LatencyTargets> {
  await requireRole("viewer");
  const store = getStore();
  const uses = await store.pipelines.uses();
  const names = new Map((await store.history.resources({ kind: "connection", includeDeleted: true })).map((r) => [`${r.account}/${r.region}/${r.id.toLowerCase()}`, r.name]));
  const connections = new Map<string, { id: string; name: string }>();
  for (const u of uses) connections.set(u.connectionId.toLowerCase(), { id: u.connectionId, name: names.get(`${u.connectionAccount}/${u.connectionRegion}/${u.connectionId.toLowerCase()}`) ?? u.connectionId });
  return {
    pipelines: [...new Set(uses.map((u) => `${u.account}/${u.region}/${u.pipeline}`))].sort(),
    connections: [...connections.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}
