import { describe, expect, test } from "vitest";
import { coverage, isLone, isSparse, nearestWithValue, periodRows, type ChartPoint } from "./period-rows";

const P = 60_000;
const point = (t: number, ms: number | null, missed: number | null = null): ChartPoint => ({ t, p50: ms, p90: ms, p99: ms, max: ms, samples: ms === null ? null : 1, missed });

describe("periodRows", () => {
  test("one row per period of the range, empty where CloudWatch has nothing (so lines break across gaps)", () => {
    const rows = periodRows([point(2 * P, 4200), point(3 * P, 1500, 2)], 0, 5 * P, P);
    expect(rows.map((r) => r.t)).toEqual([0, P, 2 * P, 3 * P, 4 * P]);
    expect(rows.map((r) => r.p50)).toEqual([null, null, 4.2, 1.5, null]);
    expect(rows.map((r) => r.missed)).toEqual([null, null, 0, 2, null]);
    expect(rows.map((r) => r.samples)).toEqual([0, 0, 1, 1, 0]);
  });

  test("a value off the grid is kept in time order, not lost", () => {
    const rows = periodRows([point(P + 30_000, 900)], 0, 3 * P, P);
    expect(rows.map((r) => [r.t, r.p50])).toEqual([
      [0, null],
      [P, null],
      [P + 30_000, 0.9],
      [2 * P, null],
    ]);
  });

  test("nothing in the range: all rows empty", () => {
    expect(periodRows([], 0, 2 * P, P).every((r) => r.p50 === null && r.missed === null)).toBe(true);
  });
});

describe("isLone", () => {
  test("a value between empty periods is lone (drawn as a dot); values with a neighbour are on a line", () => {
    const rows = periodRows([point(P, 1000), point(3 * P, 2000), point(4 * P, 3000)], 0, 6 * P, P);
    expect(rows.map((_, i) => isLone(rows, i, "p50"))).toEqual([false, true, false, false, false, false]);
  });
});

describe("coverage and sparseness", () => {
  test("counts periods with a value and the samples behind them", () => {
    const rows = periodRows([point(0, 1000), point(3 * P, 2000)], 0, 10 * P, P);
    expect(coverage(rows, "p50")).toEqual({ withValue: 2, periods: 10, samples: 2 });
  });

  test("a series is sparse when fewer than half its periods hold a value (and there are two to join)", () => {
    const sparse = periodRows([point(0, 1000), point(5 * P, 2000)], 0, 10 * P, P);
    expect(isSparse(sparse, "p50")).toBe(true);
    const dense = periodRows(Array.from({ length: 6 }, (_, i) => point(i * P, 1000)), 0, 10 * P, P);
    expect(isSparse(dense, "p50")).toBe(false);
    expect(isSparse(periodRows([point(0, 1000)], 0, 10 * P, P), "p50")).toBe(false);
  });
});

describe("nearestWithValue (what a tap on a phone's chart shows)", () => {
  // A latency at period 2, a missed trigger only at 6, a point with nothing in it at 8.
  const rows = periodRows([point(2 * P, 4200), point(6 * P, null, 1), point(8 * P, null, 0)], 0, 10 * P, P);

  test("a row with a value is itself", () => {
    expect(nearestWithValue(rows, 2, 3)).toBe(2);
    expect(nearestWithValue(rows, 6, 0)).toBe(6);
  });

  test("an empty row: the nearest row with a value within reach", () => {
    expect(nearestWithValue(rows, 0, 2)).toBe(2);
    expect(nearestWithValue(rows, 9, 3)).toBe(6);
    expect(nearestWithValue(rows, 5, 2)).toBe(6);
  });

  test("two as near: the earlier", () => {
    expect(nearestWithValue(rows, 4, 2)).toBe(2);
  });

  test("none within reach: null", () => {
    expect(nearestWithValue(rows, 0, 1)).toBeNull();
    expect(nearestWithValue(rows, 4, 1)).toBeNull();
  });

  test("a period with a point but no latency and no missed trigger counts as empty", () => {
    expect(nearestWithValue(rows, 8, 0)).toBeNull();
    expect(nearestWithValue(rows, 8, 1)).toBeNull();
    expect(nearestWithValue(rows, 8, 2)).toBe(6);
  });
});
