import { describe, expect, it } from "vitest";
import { backoffMs, FIRST_RETRY_MS, MAX_BACKOFF_MS, repeat, type RepeatClock } from "./repeat";

/** A manual clock: timers fire only when the test advances time. */
function manualClock(random = 1) {
  let now = 0;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: RepeatClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    random: () => random,
  };
  return {
    clock,
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    /** Fires the next timer and lets the job's promise settle. */
    async fire(): Promise<number> {
      const [id, t] = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !t) throw new Error("no timer");
      timers.delete(id);
      const waited = t.at - now;
      now = t.at;
      t.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return waited;
    },
  };
}

describe("backoffMs", () => {
  it("doubles from 2 s up to the cap, jittered over the upper half", () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(backoffMs(1, 0)).toBe(FIRST_RETRY_MS / 2);
    expect(backoffMs(30, 1)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(30, 0)).toBe(MAX_BACKOFF_MS / 2);
  });
});

describe("repeat", () => {
  it("runs every interval while it succeeds, backs off while it fails, and resumes its pace after", async () => {
    const t = manualClock(1);
    const lines: string[] = [];
    let fail = false;
    let runs = 0;
    const job = repeat(
      "poll",
      async () => {
        runs++;
        if (fail) throw new Error("the database is unreachable");
      },
      { everyMs: 60_000, firstAfterMs: 2_000, clock: t.clock, log: (l) => lines.push(l) },
    );
    expect(await t.fire()).toBe(2_000);
    expect(await t.fire()).toBe(60_000);
    expect(job.status()).toMatchObject({ failures: 0, lastError: null, lastSuccessAt: new Date(62_000).toISOString() });

    fail = true;
    const waits: number[] = [];
    await t.fire(); // the first failure
    for (let i = 0; i < 9; i++) waits.push(await t.fire());
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000]);
    expect(job.status()).toMatchObject({ failures: 10, failingSince: new Date(122_000).toISOString(), lastError: "the database is unreachable" });
    expect(lines.at(-1)).toBe("[tether] poll failed (10 in a row): the database is unreachable; next try in 300 s");

    fail = false;
    expect(await t.fire()).toBe(300_000);
    expect(job.status()).toMatchObject({ failures: 0, failingSince: null, lastError: null });
    expect(lines.at(-1)).toBe("[tether] poll: working again after 10 failed run(s)");
    expect(t.pending()).toEqual([60_000]);
    expect(runs).toBe(13);
  });

  it("never overlaps a slow run, and stop() cancels what is scheduled", async () => {
    const t = manualClock();
    let release: () => void = () => undefined;
    let running = 0;
    let most = 0;
    const job = repeat(
      "slow",
      () =>
        new Promise<void>((r) => {
          running++;
          most = Math.max(most, running);
          release = () => {
            running--;
            r();
          };
        }),
      { everyMs: 1_000, clock: t.clock, log: () => undefined },
    );
    await t.fire();
    // While the run is in flight nothing else is scheduled.
    expect(t.pending()).toEqual([]);
    release();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(t.pending()).toEqual([1_000]);
    job.stop();
    expect(t.pending()).toEqual([]);
    expect(most).toBe(1);
  });
});
