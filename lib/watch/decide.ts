import type { Watch } from "@/lib/store/types";
import type { WatchState } from "@/lib/types";

/** Seconds between checks: quick at first (someone is in the console right now), then slower. */
export const CHECK_SCHEDULE_MS = [2_000, 3_000, 5_000, 8_000, 13_000, 20_000, 30_000];
export const WATCH_MINUTES = 15;

export const delayBeforeCheck = (checksDone: number): number => CHECK_SCHEDULE_MS[Math.min(checksDone, CHECK_SCHEDULE_MS.length - 1)] ?? 30_000;

/** The longest wait after failures (AWS throttling or unreachable, the store failing). */
export const MAX_ERROR_DELAY_MS = 5 * 60_000;

/**
 * The wait after `failures` consecutive failed checks, like the AWS SDK's own retry strategy:
 * exponential (2 s × 2^failures, at most MAX_ERROR_DELAY_MS) with jitter, so many watches
 * throttled together spread out instead of hitting the account in step. `random` is in [0, 1).
 * Never shorter than the regular schedule.
 */
export function delayAfterFailure(failures: number, checksDone: number, random: number): number {
  const ceiling = Math.min(MAX_ERROR_DELAY_MS, 2_000 * 2 ** Math.max(0, failures));
  const jittered = ceiling / 2 + (random * ceiling) / 2;
  return Math.max(delayBeforeCheck(checksDone), Math.round(jittered));
}

/**
 * What one observation means for a watch: AVAILABLE completes it; a connection that falls into
 * ERROR (from PENDING) or disappears has failed; at the deadline a PENDING one has timed out
 * (an ERROR one that stayed ERROR has failed); otherwise keep watching.
 */
export function decide(watch: Pick<Watch, "kind" | "statusBefore" | "deadlineAt">, status: string | null, now: number): { state: Exclude<WatchState, "watching">; reason: string } | null {
  if (status === "AVAILABLE") return { state: "completed", reason: "it is AVAILABLE" };
  if (status === null) return { state: "failed", reason: `the ${watch.kind} no longer exists` };
  if (watch.kind === "connection" && status === "ERROR" && watch.statusBefore !== "ERROR") return { state: "failed", reason: "the handshake ended in ERROR" };
  if (now >= Date.parse(watch.deadlineAt)) {
    return status === "ERROR" ? { state: "failed", reason: `still ERROR after ${WATCH_MINUTES} minutes` } : { state: "timeout", reason: `still ${status} after ${WATCH_MINUTES} minutes` };
  }
  return null;
}
