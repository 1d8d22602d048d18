/**
 * A background job run again and again: every `everyMs` while it succeeds, never two runs at once,
 * and after a failure (the database unreachable, a bug) tried again after an exponential, jittered
 * wait — 2 s, 4 s, 8 s … up to `maxBackoffMs` — so a long outage costs a few attempts a minute and
 * one log line per attempt, and the job resumes its pace by itself once a run succeeds.
 */

export interface RepeatClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export const realRepeatClock: RepeatClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms);
    h.unref?.();
    return h;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  random: Math.random,
};

export const FIRST_RETRY_MS = 2_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

/** The wait before attempt `failures + 1` after `failures` consecutive failures (≥ 1): full range jitter on the upper half. */
export function backoffMs(failures: number, random: number, maxMs = MAX_BACKOFF_MS): number {
  const ceiling = Math.min(maxMs, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export interface JobStatus {
  name: string;
  /** A job with a lease: "held" when this replica runs it, "standby" while another does; null without one. */
  lease: "held" | "standby" | null;
  /** Consecutive failed runs (0: the last run succeeded, or none ran yet). */
  failures: number;
  failingSince: string | null;
  lastError: string | null;
  lastSuccessAt: string | null;
}

/**
 * Where a job's lease lives (the store's leases, shared by every replica). `acquire` takes the
 * lease or renews it for `ttlMs` and says whether this process holds it now; `release` gives it up.
 */
export interface JobLeases {
  acquire(name: string, ttlMs: number): Promise<boolean>;
  release(name: string): Promise<void>;
}

export interface LeaseOptions {
  leases: JobLeases;
  /** How long a lease lasts unless renewed (TETHER_LEASE_SECONDS); it is renewed every third of that. */
  ttlMs: number;
  /** This replica now runs the job (it took the lease). */
  onAcquired?: () => void;
  /** Another replica runs it now, or this one could not renew in time: stop whatever the job left running. */
  onLost?: () => void;
}

export interface RepeatOptions {
  everyMs: number;
  /**
   * The job runs on one replica at a time: before each run the lease named after the job is taken
   * or renewed, and renewed every `ttlMs / 3` while it is held (during a run and between runs). A
   * replica without it waits, asking again every `ttlMs / 3`, so when the holder dies another
   * takes over within about `ttlMs * 4 / 3`.
   */
  lease?: LeaseOptions;
  /** The first run, after start (default: `everyMs`). */
  firstAfterMs?: number;
  maxBackoffMs?: number;
  clock?: RepeatClock;
  log?: (line: string) => void;
}

export interface Repeating {
  status(): JobStatus;
  /** No run starts after it; a held lease is released at once. Settles (never rejects) once the release has. */
  stop(): Promise<void>;
}

export function repeat(name: string, run: () => Promise<unknown>, opts: RepeatOptions): Repeating {
  const clock = opts.clock ?? realRepeatClock;
  const log = opts.log ?? ((line: string) => console.warn(line));
  const lease = opts.lease;
  const status: JobStatus = { name, lease: lease ? "standby" : null, failures: 0, failingSince: null, lastError: null, lastSuccessAt: null };
  let timer: unknown = null;
  let stopped = false;
  // The lease: held until `heldUntil` (this process's clock) unless renewed; renewed by `beat`.
  const renewMs = lease ? Math.max(1, Math.floor(lease.ttlMs / 3)) : 0;
  let heldUntil = 0;
  let beat: unknown = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = clock.setTimeout(() => void once(), ms);
  };
  const lost = (why: string) => {
    if (status.lease !== "held") return;
    status.lease = "standby";
    if (beat !== null) clock.clearTimeout(beat);
    beat = null;
    log(`[tether] ${name}: ${why}`);
    lease?.onLost?.();
  };
  /** Takes or renews the lease; true when held. Throws when the store cannot say (counted as a failed run). */
  const takeLease = async (): Promise<boolean> => {
    if (!lease) return true;
    const askedAt = clock.now();
    if (await lease.leases.acquire(name, lease.ttlMs)) {
      heldUntil = askedAt + lease.ttlMs;
      if (status.lease !== "held" && !stopped) {
        status.lease = "held";
        log(`[tether] ${name}: this replica runs it now (lease taken)`);
        lease.onAcquired?.();
        heartbeat();
      }
      return true;
    }
    lost("another replica runs it now (lease lost)");
    return false;
  };
  const heartbeat = () => {
    if (stopped || status.lease !== "held") return;
    beat = clock.setTimeout(() => {
      beat = null;
      takeLease().then(
        () => heartbeat(),
        (e: unknown) => {
          // Not renewed (the database unreachable): still ours until heldUntil, then another replica may take it.
          if (clock.now() >= heldUntil) lost(`lease not renewed in time (${e instanceof Error ? e.message : String(e)}); stopping here`);
          else heartbeat();
        },
      );
    }, renewMs);
  };
  const once = async () => {
    timer = null;
    try {
      if (!(await takeLease())) {
        schedule(Math.min(opts.everyMs > 0 ? opts.everyMs : renewMs, renewMs));
        return;
      }
      await run();
      if (status.failures > 0) log(`[tether] ${name}: working again after ${status.failures} failed run(s)`);
      status.failures = 0;
      status.failingSince = null;
      status.lastError = null;
      status.lastSuccessAt = new Date(clock.now()).toISOString();
      schedule(opts.everyMs);
    } catch (e) {
      status.failures += 1;
      status.failingSince ??= new Date(clock.now()).toISOString();
      status.lastError = e instanceof Error ? e.message : String(e);
      const wait = backoffMs(status.failures, clock.random(), Math.max(opts.maxBackoffMs ?? MAX_BACKOFF_MS, FIRST_RETRY_MS));
      log(`[tether] ${name} failed (${status.failures} in a row): ${status.lastError}; next try in ${Math.round(wait / 1000)} s`);
      schedule(wait);
    }
  };

  schedule(opts.firstAfterMs ?? opts.everyMs);
  return {
    status: () => ({ ...status }),
    stop: () => {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      if (beat !== null) clock.clearTimeout(beat);
      beat = null;
      if (lease && status.lease === "held") {
        status.lease = "standby";
        // Handed over at once rather than when it expires.
        return lease.leases.release(name).catch((e: unknown) => log(`[tether] ${name}: could not release its lease: ${e instanceof Error ? e.message : String(e)}`));
      }
      return Promise.resolve();
    },
  };
}
