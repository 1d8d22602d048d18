import type { MetricValue } from "@/lib/store/types";
import type { TetherDatum } from "@/lib/aws/cloudwatch";

/**
 * Turning stored metric values into PutMetricData requests (README, "Push-to-pipeline-start latency"):
 * every value is published under each configured dimension set — {Pipeline} (account/region/name),
 * {ConnectionId}, {Provider} and {} (named "Fleet" in TETHER_METRICS_DIMENSIONS) — as raw values
 * (Values + Counts), so CloudWatch computes percentiles over every sample. Values of the same
 * metric, dimensions and minute share one datum (CloudWatch keeps one-minute resolution anyway),
 * up to 150 distinct values a datum; a request holds at most 1,000 datums and 1 MB.
 */

export const METRIC = { latency: "PushToPipelineStartLatency", missed: "MissedTrigger", delivery: "WebhookDelivery", heartbeat: "Heartbeat" } as const;
export const DIMENSION_SETS = ["Pipeline", "ConnectionId", "Provider", "Fleet"] as const;
export type DimensionSet = (typeof DIMENSION_SETS)[number];
export const LIMITS = { datumsPerRequest: 1000, valuesPerDatum: 150, bytesPerRequest: 1_000_000 };

/** What PutMetricData receives (lib/aws/cloudwatch.ts). */
export type Datum = TetherDatum;

export interface Request {
  datums: Datum[];
  /** The stored rows whose values this request carries (some rows span several requests). */
  rowIds: number[];
}

type Row = MetricValue & { id: number };

function dimensionsOf(row: Row, set: DimensionSet): { Name: string; Value: string }[] | null {
  switch (set) {
    case "Pipeline":
      return row.pipeline ? [{ Name: "Pipeline", Value: row.pipeline }] : null;
    case "ConnectionId":
      return row.connectionId ? [{ Name: "ConnectionId", Value: row.connectionId }] : null;
    case "Provider":
      return row.provider ? [{ Name: "Provider", Value: row.provider }] : null;
    case "Fleet":
      return row.fleet ? [] : null;
  }
}

const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / 60_000) * 60_000;
/** Latencies are kept to the millisecond: fewer distinct values, same percentiles. */
const normalize = (v: number) => Math.round(v * 1000) / 1000;

function datumsForMinute(rows: Row[], sets: readonly DimensionSet[], minute: number, limits: typeof LIMITS): Datum[] {
  const groups = new Map<string, { metric: string; unit: string; dims: { Name: string; Value: string }[]; values: Map<number, number> }>();
  for (const r of rows) {
    for (const set of sets) {
      const dims = dimensionsOf(r, set);
      if (!dims) continue;
      const key = JSON.stringify([r.metric, r.unit, dims]);
      let g = groups.get(key);
      if (!g) {
        g = { metric: r.metric, unit: r.unit, dims, values: new Map() };
        groups.set(key, g);
      }
      const v = normalize(r.value);
      g.values.set(v, (g.values.get(v) ?? 0) + 1);
    }
  }
  const out: Datum[] = [];
  for (const g of groups.values()) {
    const entries = [...g.values.entries()].sort((a, b) => a[0] - b[0]);
    for (let i = 0; i < entries.length; i += limits.valuesPerDatum) {
      const chunk = entries.slice(i, i + limits.valuesPerDatum);
      out.push({ MetricName: g.metric, Dimensions: g.dims, Timestamp: new Date(minute), Values: chunk.map((e) => e[0]), Counts: chunk.map((e) => e[1]), Unit: g.unit });
    }
  }
  return out;
}

/** JSON size of a datum as the SDK sends it (timestamps as epoch seconds). */
export const datumBytes = (d: Datum) => JSON.stringify({ ...d, Timestamp: d.Timestamp.getTime() / 1000 }).length + 1;

/** The fewest requests the limits allow, packing whole minutes where they fit. */
export function buildRequests(rows: Row[], sets: readonly DimensionSet[] = DIMENSION_SETS, limits = LIMITS): Request[] {
  const byMinute = new Map<number, Row[]>();
  for (const r of rows) {
    const m = minuteOf(r.at);
    const list = byMinute.get(m);
    if (list) list.push(r);
    else byMinute.set(m, [r]);
  }
  const maxBytes = Math.floor(limits.bytesPerRequest * 0.95) - 200; // the envelope and a margin
  const requests: Request[] = [];
  let current: Request = { datums: [], rowIds: [] };
  let bytes = 0;
  const flush = () => {
    if (current.datums.length) requests.push(current);
    current = { datums: [], rowIds: [] };
    bytes = 0;
  };
  const fits = (datums: Datum[], size: number) => datums.length <= limits.datumsPerRequest && size <= maxBytes;
  /**
   * A minute's rows in parts whose datums each fit one request. Every row goes in exactly one
   * part, so a part CloudWatch refused is retried without re-sending what another part published.
   */
  const parts = (group: Row[], minute: number): { datums: Datum[]; size: number; ids: number[] }[] => {
    const datums = datumsForMinute(group, sets, minute, limits);
    const size = datums.reduce((n, d) => n + datumBytes(d), 0);
    if (fits(datums, size) || group.length === 1) return [{ datums, size, ids: group.map((r) => r.id) }];
    const half = Math.ceil(group.length / 2);
    return [...parts(group.slice(0, half), minute), ...parts(group.slice(half), minute)];
  };
  for (const minute of [...byMinute.keys()].sort((a, b) => a - b)) {
    for (const { datums, size, ids } of parts(byMinute.get(minute) as Row[], minute)) {
      if (datums.length === 0) {
        current.rowIds.push(...ids);
        continue;
      }
      if (current.datums.length + datums.length > limits.datumsPerRequest || bytes + size > maxBytes) flush();
      current.datums.push(...datums);
      current.rowIds.push(...ids);
      bytes += size;
    }
  }
  flush();
  return requests;
}

/** The fewest PutMetricData calls any batching could use for these values (for the benchmark). */
export function minimumRequests(rows: Row[], sets: readonly DimensionSet[] = DIMENSION_SETS, limits = LIMITS): number {
  const datums = buildRequests(rows, sets, { ...limits, datumsPerRequest: Number.MAX_SAFE_INTEGER, bytesPerRequest: Number.MAX_SAFE_INTEGER }).flatMap((r) => r.datums);
  const bytes = datums.reduce((n, d) => n + datumBytes(d), 0);
  return Math.max(Math.ceil(datums.length / limits.datumsPerRequest), Math.ceil(bytes / limits.bytesPerRequest), datums.length ? 1 : 0);
}
