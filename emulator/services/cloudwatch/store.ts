/**
 * CloudWatch state: metrics per `account/region` scope, each keeping every datum it was sent as
 * raw observations (values with counts, or statistic sets), so any statistic — percentiles
 * included — is computed exactly over the period asked for.
 *
 * A metric is namespace + name + dimensions (order-insensitive: kept sorted by Name).
 * Timestamps are truncated to the storage resolution: whole minutes for standard resolution
 * (StorageResolution 60, the default), whole seconds for high resolution (1).
 */

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricId {
  namespace: string;
  metricName: string;
  /** Sorted by Name. */
  dimensions: Dimension[];
}

export interface StatisticSet {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
}

/** One datum as stored. Exactly one of `values` (with `counts`) or `statistics`. */
export interface Observation {
  /** Epoch ms, truncated to the storage resolution. */
  t: number;
  /** StandardUnit; "None" when the datum had none. */
  unit: string;
  values?: number[];
  /** Same length as `values`. */
  counts?: number[];
  statistics?: StatisticSet;
  highResolution: boolean;
}

export interface MetricSeries {
  key: string;
  id: MetricId;
  /** Sorted by `t` (stable for equal times) whenever read through the store. */
  observations: Observation[];
  /** Newest observation timestamp (ms). */
  lastTimestamp: number;
  /** When data was last put (ms; fixture data: its newest timestamp), for ListMetrics RecentlyActive. */
  lastPutAt: number;
}

export function metricKey(id: MetricId): string {
  return JSON.stringify([id.namespace, id.metricName, id.dimensions.map((d) => [d.Name, d.Value])]);
}

export function sortDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)).map((d) => ({ Name: d.Name, Value: d.Value }));
}

export function truncateTimestamp(ms: number, highResolution: boolean): number {
  const step = highResolution ? 1_000 : 60_000;
  return Math.floor(ms / step) * step;
}

/** A datum as a fixture hands it over (MetricStore.load): its time an offset (ms) from seeding. */
export interface FixtureMetricDatum {
  /** `account/region` */
  scope: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  unit: string;
  offsetMs: number;
  values: number[];
  counts: number[];
}

export class MetricStore {
  /** scope `account/region` → metric key → series */
  private readonly scopes = new Map<string, Map<string, MetricSeries>>();
  private readonly unsorted = new Set<MetricSeries>();

  clear(): void {
    this.scopes.clear();
    this.unsorted.clear();
  }

  /** Replaces everything with fixture datums (standard resolution) whose offsets count from `now`. */
  load(datums: readonly FixtureMetricDatum[], now: Date): void {
    this.clear();
    for (const m of datums) {
      const t = now.getTime() + m.offsetMs;
      const id = { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions };
      this.put(m.scope, id, { t: Math.floor(t / 60_000) * 60_000, unit: m.unit, values: m.values, counts: m.counts, highResolution: false }, t);
    }
  }

  put(scope: string, id: MetricId, observation: Observation, putAt: number): void {
    let metrics = this.scopes.get(scope);
    if (!metrics) this.scopes.set(scope, (metrics = new Map()));
    const normalized: MetricId = { namespace: id.namespace, metricName: id.metricName, dimensions: sortDimensions(id.dimensions) };
    const key = metricKey(normalized);
    let series = metrics.get(key);
    if (!series) {
      series = { key, id: normalized, observations: [], lastTimestamp: observation.t, lastPutAt: putAt };
      metrics.set(key, series);
    }
    const last = series.observations[series.observations.length - 1];
    if (last && last.t > observation.t) this.unsorted.add(series);
    series.observations.push(observation);
    series.lastTimestamp = Math.max(series.lastTimestamp, observation.t);
    series.lastPutAt = Math.max(series.lastPutAt, putAt);
  }

  /** The series of exactly this metric (dimensions in any order), observations sorted. */
  get(scope: string, id: MetricId): MetricSeries | undefined {
    const key = metricKey({ ...id, dimensions: sortDimensions(id.dimensions) });
    const series = this.scopes.get(scope)?.get(key);
    return series ? this.sorted(series) : undefined;
  }

  /** Every series of a scope (observations not necessarily sorted). */
  list(scope: string): MetricSeries[] {
    return [...(this.scopes.get(scope)?.values() ?? [])];
  }

  /** Datums stored in all scopes (for the seed answer and BEHAVIOR.md). */
  countObservations(): { metrics: number; observations: number; samples: number } {
    let metrics = 0;
    let observations = 0;
    let samples = 0;
    for (const scope of this.scopes.values()) {
      for (const s of scope.values()) {
        metrics++;
        observations += s.observations.length;
        for (const o of s.observations) samples += o.statistics ? o.statistics.sampleCount : sum(o.counts ?? []);
      }
    }
    return { metrics, observations, samples };
  }

  private sorted(series: MetricSeries): MetricSeries {
    if (this.unsorted.delete(series)) series.observations.sort((a, b) => a.t - b.t);
    return series;
  }
}

function sum(xs: readonly number[]): number {
  let n = 0;
  for (const x of xs) n += x;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Statistics

export type SimpleStatistic = "SampleCount" | "Sum" | "Average" | "Minimum" | "Maximum";
export const SIMPLE_STATISTICS: readonly SimpleStatistic[] = ["SampleCount", "Sum", "Average", "Minimum", "Maximum"];

/** `p50`, `p99`, `p99.9`, `p99.99`, `p0` … `p100` → the percentile (0–100); anything else undefined. */
export function parsePercentile(stat: string): number | undefined {
  const m = /^p(\d{1,3}(?:\.\d{1,2})?)$/.exec(stat);
  if (!m?.[1]) return undefined;
  const p = Number(m[1]);
  return p >= 0 && p <= 100 ? p : undefined;
}

/** What one period of one metric holds. */
export interface Aggregate {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /**
   * Values with counts, sorted ascending, for percentiles; undefined when the period cannot
   * have percentiles (a statistic set that is not a single repeated value, or a negative value).
   */
  distribution?: [number, number][];
  /** The unit of the data when all of it has one unit; "None" otherwise. */
  unit: string;
}

/**
 * Aggregates observations. Percentiles follow AWS's rule for statistic sets ("CloudWatch needs
 * raw data points to calculate percentiles"): a set counts as raw values only when it is one
 * repeated value (Minimum = Maximum and Sum = Minimum × SampleCount, which covers SampleCount 1
 * with Min = Max = Sum); any other set in the period, or any negative value, means no
 * percentile for that period.
 */
export function aggregate(observations: readonly Observation[]): Aggregate | undefined {
  let sampleCount = 0;
  let total = 0;
  let min = Infinity;
  let max = -Infinity;
  let percentiles = true;
  const counts = new Map<number, number>();
  const units = new Set<string>();
  for (const o of observations) {
    units.add(o.unit);
    if (o.statistics) {
      const s = o.statistics;
      sampleCount += s.sampleCount;
      total += s.sum;
      min = Math.min(min, s.min);
      max = Math.max(max, s.max);
      if (s.min === s.max && s.sum === s.min * s.sampleCount) counts.set(s.min, (counts.get(s.min) ?? 0) + s.sampleCount);
      else percentiles = false;
      continue;
    }
    const values = o.values ?? [];
    values.forEach((v, i) => {
      const c = o.counts?.[i] ?? 1;
      if (c <= 0) return;
      sampleCount += c;
      total += v * c;
      min = Math.min(min, v);
      max = Math.max(max, v);
      counts.set(v, (counts.get(v) ?? 0) + c);
    });
  }
  if (sampleCount <= 0) return undefined;
  if (min < 0) percentiles = false;
  const unit = units.size === 1 ? ([...units][0] ?? "None") : "None";
  return {
    sampleCount,
    sum: total,
    min,
    max,
    unit,
    ...(percentiles ? { distribution: [...counts].sort((a, b) => a[0] - b[0]) } : {}),
  };
}

/**
 * Nearest-rank percentile over values with counts: the smallest value v such that at least
 * p% of the samples are ≤ v (p = 0: the minimum). CloudWatch's own interpolation is not
 * documented; nearest rank always answers a value that was actually published.
 */
export function percentile(distribution: readonly [number, number][], p: number): number | undefined {
  const first = distribution[0];
  if (!first) return undefined;
  if (p <= 0) return first[0];
  let n = 0;
  for (const [, c] of distribution) n += c;
  const rank = (p * n) / 100;
  const tolerance = 1e-9 * n;
  let cumulative = 0;
  for (const [v, c] of distribution) {
    cumulative += c;
    if (cumulative >= rank - tolerance) return v;
  }
  return distribution[distribution.length - 1]?.[0];
}

/** One statistic of an aggregate; undefined when it has none (a percentile the period cannot give). */
export function statistic(a: Aggregate, stat: string): number | undefined {
  switch (stat) {
    case "SampleCount":
      return a.sampleCount;
    case "Sum":
      return a.sum;
    case "Average":
      return a.sum / a.sampleCount;
    case "Minimum":
      return a.min;
    case "Maximum":
      return a.max;
  }
  const p = parsePercentile(stat);
  return p === undefined || !a.distribution ? undefined : percentile(a.distribution, p);
}

export interface Bucket {
  /** Epoch ms of the period's start (a multiple of the period since the epoch). */
  start: number;
  aggregate: Aggregate;
}

/**
 * Period buckets of a sorted observation list: `[startMs + k·period, startMs + (k+1)·period)`,
 * the last one cut at `endMs` (exclusive); only non-empty buckets, ascending. CloudWatch anchors
 * the periods at the (rounded) StartTime, so a StartTime that is a multiple of the period gives
 * buckets aligned to the period in epoch time. `unit` keeps only data of that unit.
 */
export function buckets(
  observations: readonly Observation[],
  startMs: number,
  endMs: number,
  periodMs: number,
  unit?: string,
): Bucket[] {
  const out: Bucket[] = [];
  let i = lowerBound(observations, startMs);
  while (i < observations.length) {
    const first = observations[i];
    if (!first || first.t >= endMs) break;
    const start = startMs + Math.floor((first.t - startMs) / periodMs) * periodMs;
    const stop = Math.min(start + periodMs, endMs);
    const members: Observation[] = [];
    while (i < observations.length) {
      const o = observations[i];
      if (!o || o.t >= stop) break;
      if (unit === undefined || o.unit === unit) members.push(o);
      i++;
    }
    const a = aggregate(members);
    if (a) out.push({ start, aggregate: a });
  }
  return out;
}

/**
 * How CloudWatch rounds a StartTime (GetMetricData / GetMetricStatistics docs): periods of 1, 5,
 * 10, 20, 30 s → down to a multiple of the period (whole seconds for 1); otherwise by age —
 * under 15 days down to the minute, 15–63 days to 5 minutes, older to the hour.
 */
export function roundStartTime(startMs: number, periodSeconds: number, nowMs: number): number {
  const floorTo = (step: number) => Math.floor(startMs / step) * step;
  if (periodSeconds < 60) return floorTo(periodSeconds * 1000);
  const age = nowMs - startMs;
  if (age > 63 * 86_400_000) return floorTo(3_600_000);
  if (age > 15 * 86_400_000) return floorTo(300_000);
  return floorTo(60_000);
}

function lowerBound(observations: readonly Observation[], t: number): number {
  let lo = 0;
  let hi = observations.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((observations[mid]?.t ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
