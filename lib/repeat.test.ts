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
    await job.stop();
    expect(t.pending()).toEqual([]);
    expect(most).toBe(1);
  });
});

/**
 * Leases as the store keeps them (one table for every replica, times from the shared clock), with
 * a replica that can die: a dead replica's calls never answer and it never runs again.
 */
function leaseTable(now: () => number) {
  const rows = new Map<string, { holder: string; until: number }>();
  return {
    rows,
    replica(holder: string) {
      let dead = false;
      const leases = {
        acquire: async (name: string, ttlMs: number) => {
          if (dead) return new Promise<boolean>(() => undefined);
          const row = rows.get(name);
          if (row && row.holder !== holder && row.until > now()) return false;
          rows.set(name, { holder, until: now() + ttlMs });
          return true;
        },
        release: async (name: string) => {
          if (rows.get(name)?.holder === holder) rows.delete(name);
        },
      };
      return { leases, kill: () => void (dead = true) };
    },
  };
}

describe("repeat with a lease", () => {
  it("runs on one replica at a time; when the holder dies another takes over within the lease, and the job keeps its pace", async () => {
    const t = manualClock(1);
    const table = leaseTable(t.clock.now);
    const [a, b] = [table.replica("a"), table.replica("b")];
    const runs: string[] = [];
    const events: string[] = [];
    const job = (who: string, leases: ReturnType<typeof table.replica>["leases"]) =>
      repeat(
        "poll",
        async () => {
          runs.push(`${who}@${t.clock.now()}`);
        },
        { everyMs: 60_000, firstAfterMs: 2_000, clock: t.clock, log: () => undefined, lease: { leases, ttlMs: 30_000, onAcquired: () => events.push(`${who} took`), onLost: () => events.push(`${who} lost`) } },
      );
    const jobA = job("a", a.leases);
    const jobB = job("b", b.leases);
    // Three minutes: the poll runs every 60 s on a alone; b only asks every 10 s.
    while (t.clock.now() < 182_000) await t.fire();
    expect(runs).toEqual(["a@2000", "a@62000", "a@122000", "a@182000"]);
    expect(jobA.status().lease).toBe("held");
    expect(jobB.status().lease).toBe("standby");
    expect(events).toEqual(["a took"]);

    // a dies right after a run: its lease (last renewed at most 10 s ago) runs out and b takes it.
    a.kill();
    while (!runs.some((r) => r.startsWith("b@"))) await t.fire();
    const takeover = Number(runs.at(-1)?.split("@")[1]);
    expect(takeover - 182_000).toBeLessThanOrEqual(40_000);
    expect(takeover - 182_000).toBeGreaterThanOrEqual(30_000);
    expect(events).toEqual(["a took", "b took"]);
    // From then on b runs it every 60 s, alone.
    const from = runs.length;
    while (t.clock.now() < takeover + 120_000) await t.fire();
    expect(runs.slice(from)).toEqual([`b@${takeover + 60_000}`, `b@${takeover + 120_000}`]);
    await jobA.stop();
    await jobB.stop();
  });

  it("renews the lease during a run longer than the lease, so no other replica starts the job meanwhile", async () => {
    const t = manualClock(1);
    const table = leaseTable(t.clock.now);
    const [a, b] = [table.replica("a"), table.replica("b")];
    let release: () => void = () => undefined;
    const runs: string[] = [];
    const slow = (who: string) => () =>
      new Promise<void>((r) => {
        runs.push(who);
        release = r;
      });
    const jobA = repeat("sweep", slow("a"), { everyMs: 5_000, firstAfterMs: 0, clock: t.clock, log: () => undefined, lease: { leases: a.leases, ttlMs: 30_000 } });
    const jobB = repeat("sweep", slow("b"), { everyMs: 5_000, firstAfterMs: 1_000, clock: t.clock, log: () => undefined, lease: { leases: b.leases, ttlMs: 30_000 } });
    // a's run lasts two minutes.
    while (t.clock.now() < 120_000) await t.fire();
    expect(runs).toEqual(["a"]);
    expect(table.rows.get("sweep")?.holder).toBe("a");
    release();
    // Stopping hands the lease over at once (done when stop settles): b runs at its next ask, not a lease later.
    await jobA.stop();
    expect(table.rows.has("sweep")).toBe(false);
    const stoppedAt = t.clock.now();
    while (runs.length < 2) await t.fire();
    expect(runs).toEqual(["a", "b"]);
    expect(t.clock.now() - stoppedAt).toBeLessThanOrEqual(10_000);
    await jobB.stop();
  });

  it("a lease that cannot be asked for (the database down) is a failed run, with backoff; one not renewed in time is given up", async () => {
    const t = manualClock(1);
    let down = false;
    const lost: number[] = [];
    const leases = {
      acquire: async () => {
        if (down) throw new Error("the database is unreachable");
        return true;
      },
      release: async () => undefined,
    };
    let runs = 0;
    const job = repeat(
      "latency cycle",
      async () => {
        runs++;
      },
      { everyMs: 5_000, firstAfterMs: 0, clock: t.clock, log: () => undefined, lease: { leases, ttlMs: 30_000, onLost: () => lost.push(t.clock.now()) } },
    );
    await t.fire();
    expect(runs).toBe(1);
    down = true;
    while (t.clock.now() < 60_000) await t.fire();
    expect(runs).toBe(1);
    expect(job.status()).toMatchObject({ lease: "standby", lastError: "the database is unreachable" });
    // Given up once the lease's time ran out since the last renewal (at 0 s), at the first renewal after it.
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeGreaterThanOrEqual(30_000);
    expect(lost[0]).toBeLessThanOrEqual(40_000);
    await job.stop();
  });
});
