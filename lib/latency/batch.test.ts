import { describe, expect, test } from "vitest";
import { buildRequests, datumBytes, LIMITS, minimumRequests } from "./batch";

const base = Date.parse("2026-11-25T12:00:00Z");
let id = 0;
const row = (over: Partial<Parameters<typeof buildRequests>[0][number]> = {}) => ({
  id: ++id,
  metric: "PushToPipelineStartLatency",
  unit: "Milliseconds",
  value: 1000,
  at: new Date(base).toISOString(),
  pipeline: "111111111111/us-east-1/web",
  connectionId: "c1",
  provider: "GitHub",
  fleet: true,
  ...over,
});

describe("buildRequests", () => {
  test("one value becomes one datum per dimension set, raw values with counts", () => {
    const [req] = buildRequests([row({ value: 1234.5 }), row({ value: 1234.5 })]);
    expect(req?.datums.map((d) => d.Dimensions)).toEqual([[{ Name: "Pipeline", Value: "111111111111/us-east-1/web" }], [{ Name: "ConnectionId", Value: "c1" }], [{ Name: "Provider", Value: "GitHub" }], []]);
    expect(req?.datums[0]).toMatchObject({ Values: [1234.5], Counts: [2], Unit: "Milliseconds", Timestamp: new Date(base) });
    expect(req?.rowIds).toHaveLength(2);
  });

  test("null dimension values and fleet=false leave sets out; TETHER_METRICS_DIMENSIONS picks sets", () => {
    const [req] = buildRequests([row({ pipeline: null, connectionId: null, fleet: false })]);
    expect(req?.datums.map((d) => d.Dimensions[0]?.Name ?? "{}")).toEqual(["Provider"]);
    const [only] = buildRequests([row()], ["Fleet"]);
    expect(only?.datums).toHaveLength(1);
  });

  test("at most 150 distinct values a datum", () => {
    const rows = Array.from({ length: 151 }, (_, i) => row({ value: i }));
    const [req] = buildRequests(rows, ["Fleet"]);
    expect(req?.datums.map((d) => d.Values.length)).toEqual([150, 1]);
    expect(req?.datums.every((d) => d.Counts.length === d.Values.length)).toBe(true);
  });

  test("at most 1,000 datums a request", () => {
    // 1,001 minutes × 1 datum each.
    const rows = Array.from({ length: 1001 }, (_, i) => row({ at: new Date(base + i * 60_000).toISOString() }));
    const reqs = buildRequests(rows, ["Fleet"]);
    expect(reqs.map((r) => r.datums.length)).toEqual([1000, 1]);
    expect(new Set(reqs.flatMap((r) => r.rowIds)).size).toBe(1001);
  });

  test("at most 1 MB a request", () => {
    const long = "p".repeat(900);
    const rows = Array.from({ length: 3000 }, (_, i) => row({ pipeline: `${long}${i}`, at: new Date(base + (i % 900) * 60_000).toISOString() }));
    const reqs = buildRequests(rows, ["Pipeline"]);
    for (const r of reqs) {
      expect(r.datums.length).toBeLessThanOrEqual(LIMITS.datumsPerRequest);
      expect(r.datums.reduce((n, d) => n + datumBytes(d), 0)).toBeLessThan(LIMITS.bytesPerRequest);
    }
    expect(reqs.length).toBeGreaterThanOrEqual(3);
  });

  test("a minute bigger than one request is split by rows: each row in exactly one request", () => {
    const rows = Array.from({ length: 1500 }, (_, i) => row({ pipeline: `p${i}` }));
    const reqs = buildRequests(rows, ["Pipeline"]);
    expect(reqs).toHaveLength(2);
    expect(reqs.every((r) => r.datums.length <= 1000)).toBe(true);
    expect(reqs.reduce((n, r) => n + r.datums.length, 0)).toBe(1500);
    const ids = reqs.flatMap((r) => r.rowIds);
    expect(ids).toHaveLength(1500);
    expect(new Set(ids).size).toBe(1500);
  });

  test("a minute split in parts sends each row's values in the part that carries its id", () => {
    // All four sets: each row makes 4 datums (pipeline, connection, provider, fleet), so one minute of
    // 400 rows needs two requests; a refused second part must not hold values of the first part's rows.
    const rows = Array.from({ length: 400 }, (_, i) => row({ id: i + 1, value: 1000 + i, pipeline: `p${i}`, connectionId: `c${i}`, provider: `P${i}` }));
    const reqs = buildRequests(rows);
    expect(reqs.length).toBeGreaterThan(1);
    for (const r of reqs) {
      const values = new Set(r.datums.flatMap((d) => d.Values));
      const own = new Set(rows.filter((x) => r.rowIds.includes(x.id)).map((x) => x.value));
      for (const v of values) expect(own.has(v)).toBe(true);
    }
  });

  test("10,000 samples over a day fit the minimum number of requests", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row({ value: 500 + (i % 997), at: new Date(base + (i % 1440) * 60_000).toISOString(), pipeline: `p${i % 40}`, connectionId: `c${i % 12}`, provider: ["GitHub", "Bitbucket", "GitLab"][i % 3] as string }));
    const reqs = buildRequests(rows);
    expect(reqs.length).toBeLessThanOrEqual(minimumRequests(rows) + 1);
  });
});
