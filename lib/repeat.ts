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
  /** Consecutive failed runs (0: the last run succeeded, or none ran yet). */
  failures: number;
  failingSince: string | null;
  lastError: string | null;
  lastSuccessAt: string | null;
}

export interface RepeatOptions {
  everyMs: number;
  /** The first run, after start (default: `everyMs`). */
  firstAfterMs?: number;
  maxBackoffMs?: number;
  clock?: RepeatClock;
  log?: (line: string) => void;
}

export interface Repeating {
  status(): JobStatus;
  stop(): void;
}

export function repeat(name: string, run: () => Promise<unknown>, opts: RepeatOptions): Repeating {
  const clock = opts.clock ?? realRepeatClock;
  const log = opts.log ?? ((line: string) => console.warn(line));
  const status: JobStatus = { name, failures: 0, failingSince: null, lastError: null, lastSuccessAt: null };
  let timer: unknown = null;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = clock.setTimeout(() => void once(), ms);
  };
  const once = async () => {
    timer = null;
    try {
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
    },
  };
}
