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

  test("a TTL of zero never reuses, stale or not", async () => {
    const h = harness(0);
    await h.cache.get("k", h.load);
    expect(await h.cache.get("k", h.load)).toBe(2);
    let calls = 0;
    const cache = new TtlCache<number>(() => 0, () => 0, () => 60_000);
    await cache.get("k", () => Promise.resolve(++calls));
    expect(await cache.get("k", () => Promise.resolve(++calls))).toBe(2);
  });

  describe("stale while revalidating (staleMs)", () => {
    function stale(ttlMs: number, staleMs: number) {
      let now = 0;
      const cache = new TtlCache<number>(() => ttlMs, () => now, () => staleMs);
      let calls = 0;
      const pending: (() => void)[] = [];
      // Each load waits until the test lets it finish.
      const load = () => new Promise<number>((resolve) => pending.push(() => resolve(++calls)));
      const finish = async () => {
        for (const f of pending.splice(0)) f();
        await new Promise((r) => setTimeout(r, 0));
      };
      return { cache, load, calls: () => calls, loads: () => pending.length, finish, advance: (ms: number) => (now += ms) };
    }

    test("past the TTL the old value is answered at once and one reload starts; the next reader gets the new value", async () => {
      const h = stale(1000, 5000);
      const first = h.cache.get("k", h.load);
      await h.finish();
      expect(await first).toBe(1);
      h.advance(1500);
      // Ten readers past the TTL: all answered with 1 now, one reload between them.
      expect(await Promise.all(Array.from({ length: 10 }, () => h.cache.get("k", h.load)))).toEqual(Array(10).fill(1));
      expect(h.loads()).toBe(1);
      await h.finish();
      expect(await h.cache.get("k", h.load)).toBe(2);
      expect(h.loads()).toBe(0);
    });

    test("older than TTL + staleMs, readers wait for the load; a refresh always waits", async () => {
      const h = stale(1000, 5000);
      const first = h.cache.get("k", h.load);
      await h.finish();
      await first;
      h.advance(6000);
      let answered = false;
      const waiting = h.cache.get("k", h.load).then((v) => ((answered = true), v));
      await new Promise((r) => setTimeout(r, 0));
      expect(answered).toBe(false);
      await h.finish();
      expect(await waiting).toBe(2);

      h.advance(1500);
      const refreshed = h.cache.get("k", h.load, { refresh: true });
      await h.finish();
      expect(await refreshed).toBe(3);
    });

    test("a failed background reload keeps the old value and reports to nobody", async () => {
      let now = 0;
      const cache = new TtlCache<number>(() => 1000, () => now, () => 5000);
      expect(await cache.get("k", () => Promise.resolve(1))).toBe(1);
      now = 1500;
      let failed = 0;
      const failing = () => {
        failed++;
        return Promise.reject(new Error("throttled"));
      };
      expect(await cache.get("k", failing)).toBe(1);
      await new Promise((r) => setTimeout(r, 0));
      expect(failed).toBe(1);
      expect(await cache.get("k", () => Promise.resolve(2))).toBe(1); // a new reload, in the background
      await new Promise((r) => setTimeout(r, 0));
      expect(await cache.get("k", failing)).toBe(2);
    });
  });
});
