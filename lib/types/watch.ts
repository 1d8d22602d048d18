/** A watch after a Resume or a host set-up, as pages show it. */

export type WatchState = "watching" | "completed" | "failed" | "timeout";

export interface WatchView {
  id: number;
  state: WatchState;
  lastStatus: string | null;
  statusBefore: string;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  deadlineAt: string;
  checks: number;
}
