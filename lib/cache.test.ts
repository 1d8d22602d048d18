import { describe, expect, test } from "vitest";
import { TtlCache } from "./cache";

function harness(ttlMs = 1000) {
  let now = 0;
  const cache = new TtlCache<number>(() => ttlMs, () => now);
  let calls = 0;
  const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 5));
  return { cache, load, calls: () => calls, advance: (ms: number) => (now += ms) };
}

describe("TtlCache", () => {
  test("coalesces concurrent identical loads", async () => {
    const h = harness();
    const results = await Promise.all(Array.from({ length: 20 }, () => h.cache.get("k", h.load)));
    expect(new Set(results)).toEqual(new Set([1]));
    expect(h.calls()).toBe(1);
  });

  test("reuses a value within the TTL and reloads after it", async () => {
    const h = harness(1000);
    await h.cache.get("k", h.load);
    h.advance(999);
    expect(await h.cache.get("k", h.load)).toBe(1);
    h.advance(1);
    expect(await h.cache.get("k", h.load)).toBe(2);
  });

  test("refresh bypasses the stored value", async () => {
    const h = harness();
    await h.cache.get("k", h.load);
    expect(await h.cache.get("k", h.load, { refresh: true })).toBe(2);
    expect(await h.cache.get("k", h.load)).toBe(2);
  });

  test("a refresh younger than minAgeMs shares the last result; an older one loads", async () => {
    const h = harness(30_000);
    await h.cache.get("k", h.load);
    h.advance(9_999);
    expect(await h.cache.get("k", h.load, { refresh: true, minAgeMs: 10_000 })).toBe(1);
    expect(h.calls()).toBe(1);
    h.advance(1);
    expect(await h.cache.get("k", h.load, { refresh: true, minAgeMs: 10_000 })).toBe(2);
    // Without a limit (0 or absent), every refresh loads.
    expect(await h.cache.get("k", h.load, { refresh: true, minAgeMs: 0 })).toBe(3);
    expect(await h.cache.get("k", h.load, { refresh: true })).toBe(4);
  });

  test("keys are independent; a failed load is not stored", async () => {
    const h = harness();
    await h.cache.get("a", h.load);
    await expect(h.cache.get("b", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(h.cache.peek("b")).toBeUndefined();
    expect(await h.cache.get("b", h.load)).toBe(2);
  });

  test("a TTL of zero never reuses", async () => {
    const h = harness(0);
    await h.cache.get("k", h.load);
    expect(await h.cache.get("k", h.load)).toBe(2);
  });
});
