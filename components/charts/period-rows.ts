import type { LatencyPoint } from "@/lib/types";

export type ChartPoint = LatencyPoint;

/** A chart row: latencies in seconds, counts as numbers (0 where nothing was recorded). */
export type Row = { t: number; p50: number | null; p90: number | null; p99: number | null; max: number | null; missed: number | null; samples: number };

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);

/**
 * One row per period of the range, empty where CloudWatch has no value, so a line breaks across
 * a gap instead of drawing a trend through hours without samples.
 */
export function periodRows(points: ChartPoint[], startMs: number, endMs: number, periodMs: number): Row[] {
  const byTime = new Map(points.map((p) => [p.t, p]));
  const rows: Row[] = [];
  for (let t = startMs; t < endMs; t += periodMs) {
    const p = byTime.get(t);
    byTime.delete(t);
    rows.push({ t, p50: seconds(p?.p50 ?? null), p90: seconds(p?.p90 ?? null), p99: seconds(p?.p99 ?? null), max: seconds(p?.max ?? null), missed: p ? (p.missed ?? 0) : null, samples: p?.samples ?? 0 });
  }
  // Values off the grid (a period CloudWatch aligned differently) are kept, in time order.
  for (const p of byTime.values()) rows.push({ t: p.t, p50: seconds(p.p50), p90: seconds(p.p90), p99: seconds(p.p99), max: seconds(p.max), missed: p.missed ?? 0, samples: p.samples ?? 0 });
  return rows.sort((a, b) => a.t - b.t);
}


export type SeriesKey = "p50" | "p90" | "p99" | "max";

/** How many periods of the range hold a value of `key`, and the samples behind the whole series. */
export function coverage(rows: Row[], key: SeriesKey): { withValue: number; periods: number; samples: number } {
  return { withValue: rows.filter((r) => r[key] !== null).length, periods: rows.length, samples: rows.reduce((n, r) => n + r.samples, 0) };
}

/**
 * Whether a series is sparse (fewer than half its periods hold a value): the chart then joins its
 * values across the empty periods with a dotted line and marks every value with a dot, so a week
 * of scattered pushes reads as a trend rather than as isolated points.
 */
export const isSparse = (rows: Row[], key: SeriesKey): boolean => {
  const c = coverage(rows, key);
  return c.withValue > 1 && c.withValue * 2 < c.periods;
};

/** A value with no value beside it: no line reaches it, so the chart draws it as a dot. */
export function isLone(rows: Row[], index: number, key: SeriesKey): boolean {
  return (rows[index]?.[key] ?? null) !== null && (rows[index - 1]?.[key] ?? null) === null && (rows[index + 1]?.[key] ?? null) === null;
}

/** Whether a row holds anything to show: a latency or a missed trigger. */
export const hasValue = (r: Row | undefined): boolean => r !== undefined && (r.p50 !== null || r.p90 !== null || r.p99 !== null || r.max !== null || (r.missed ?? 0) > 0);

/**
 * The row a tap at `index` means: that row if it holds a value, else the nearest one that does at
 * most `reach` rows away (the earlier one when two are as near), else null. On a phone a day of
 * 5-minute periods is about one pixel each, so a finger lands beside a dot far more often than on it.
 */
export function nearestWithValue(rows: Row[], index: number, reach: number): number | null {
  for (let d = 0; d <= reach; d++) {
    if (hasValue(rows[index - d])) return index - d;
    if (hasValue(rows[index + d])) return index + d;
  }
  return null;
}
