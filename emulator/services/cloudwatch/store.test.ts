import { describe, expect, it } from "vitest";
import { aggregate, buckets, MetricStore, parsePercentile, percentile, roundStartTime, statistic, type Observation } from "./store";

/**
 * Reference percentile written independently of store.ts: expand every value by its
 * count into one sorted array and take the nearest rank, sorted[ceil(p/100 · N) − 1].
 */
function referencePercentile(values: number[], counts: number[], p: number): number {
  const all: number[] = [];
  values.forEach((v, i) => {
    for (let k = 0; k < (counts[i] ?? 1); k++) all.push(v);
  });
  all.sort((a, b) => a - b);
  if (p === 0) return all[0] ?? NaN;
  const rank = Math.ceil(Math.round((p / 100) * all.length * 1e6) / 1e6);
  return all[Math.max(0, rank - 1)] ?? NaN;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const raw = (t: number, values: number[], counts?: number[]): Observation => ({
  t,
  unit: "Milliseconds",
  values,
  counts: counts ?? values.map(() => 1),
  highResolution: false,
});

describe("percentile (nearest rank over values with counts)", () => {
  it("matches an independent reference on random data", () => {
    const r = lcg(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(r() * 60);
      const values = Array.from({ length: n }, () => Math.round(Math.exp(r() * 10)));
      const counts = values.map(() => 1 + Math.floor(r() * 5));
      const a = aggregate([raw(0, values, counts)]);
      for (const p of [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100]) {
        expect(percentile(a?.distribution ?? [], p), `trial ${trial} p${p}`).toBe(referencePercentile(values, counts, p));
      }
    }
  });

  it("on a small worked example", () => {
    // 1..10 once each: p50 = 5, p90 = 9, p91 = 10, p10 = 1.
    const d = aggregate([raw(0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])])?.distribution ?? [];
    expect([percentile(d, 50), percentile(d, 90), percentile(d, 91), percentile(d, 10), percentile(d, 0), percentile(d, 100)]).toEqual([5, 9, 10, 1, 1, 10]);
  });

  it("parses p-statistics from p0 to p100 with up to two decimals", () => {
    expect(["p0", "p50", "p99.9", "p99.99", "p100"].map(parsePercentile)).toEqual([0, 50, 99.9, 99.99, 100]);
    expect(["p101", "p", "p99.999", "P50", "tm90", "p-1"].map(parsePercentile)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe("aggregate", () => {
  it("sums raw values and statistic sets", () => {
    const a = aggregate([
      raw(0, [10, 20], [1, 3]),
      { t: 0, unit: "Milliseconds", statistics: { sampleCount: 2, sum: 30, min: 5, max: 25 }, highResolution: false },
    ]);
    expect(a).toMatchObject({ sampleCount: 6, sum: 100, min: 5, max: 25, unit: "Milliseconds" });
    expect(a && statistic(a, "Average")).toBeCloseTo(100 / 6);
    // A set that is not one repeated value: no percentile for the period.
    expect(a?.distribution).toBeUndefined();
    expect(a && statistic(a, "p50")).toBeUndefined();
  });

  it("uses a statistic set for percentiles when it is one repeated value (AWS's rule)", () => {
    const a = aggregate([raw(0, [1, 2, 3]), { t: 0, unit: "None", statistics: { sampleCount: 3, sum: 30, min: 10, max: 10 }, highResolution: false }]);
    expect(a?.distribution).toEqual([[1, 1], [2, 1], [3, 1], [10, 3]]);
    expect(a && statistic(a, "p50")).toBe(3);
    expect(a?.unit).toBe("None");
  });

  it("gives no percentile when a value is negative", () => {
    const a = aggregate([raw(0, [-1, 2, 3])]);
    expect(a && statistic(a, "Minimum")).toBe(-1);
    expect(a && statistic(a, "p50")).toBeUndefined();
  });
});

describe("buckets and start rounding", () => {
  const obs = [raw(0, [1]), raw(60_000, [2]), raw(3_599_000, [3]), raw(3_600_000, [4]), raw(7_260_000, [5])];

  it("anchors periods at the start, drops empty ones, stops before the end", () => {
    expect(buckets(obs, 0, 7_200_000, 3_600_000).map((b) => [b.start, b.aggregate.sampleCount])).toEqual([
      [0, 3],
      [3_600_000, 1],
    ]);
    expect(buckets(obs, 60_000, 7_300_000, 3_600_000).map((b) => [b.start, b.aggregate.sum])).toEqual([
      [60_000, 9],
      [7_260_000, 5],
    ]);
  });

  it("rounds StartTime as CloudWatch documents", () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const t = Date.UTC(2026, 10, 25, 10, 32, 34);
    expect(new Date(roundStartTime(t, 300, now)).toISOString()).toBe("2026-11-25T10:32:00.000Z");
    expect(new Date(roundStartTime(t, 10, now)).toISOString()).toBe("2026-11-25T10:32:30.000Z");
    expect(new Date(roundStartTime(t - 20 * 86_400_000, 300, now)).toISOString()).toBe("2026-11-05T10:30:00.000Z");
    expect(new Date(roundStartTime(t - 70 * 86_400_000, 3600, now)).toISOString()).toBe("2026-09-16T10:00:00.000Z");
  });
});

describe("MetricStore", () => {
  it("keys metrics by namespace, name and dimensions in any order, per scope", () => {
    const store = new MetricStore();
    const id = { namespace: "N", metricName: "M", dimensions: [{ Name: "b", Value: "2" }, { Name: "a", Value: "1" }] };
    store.put("111/us-east-1", id, raw(120_000, [2]), 0);
    store.put("111/us-east-1", { ...id, dimensions: [...id.dimensions].reverse() }, raw(60_000, [1]), 0);
    const series = store.get("111/us-east-1", id);
    expect(series?.observations.map((o) => o.t)).toEqual([60_000, 120_000]);
    expect(series?.id.dimensions.map((d) => d.Name)).toEqual(["a", "b"]);
    expect(store.get("111/eu-west-1", id)).toBeUndefined();
    expect(store.countObservations()).toEqual({ metrics: 1, observations: 2, samples: 2 });
  });
});
