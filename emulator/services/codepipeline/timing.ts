import type { ExecutionStatus } from "./declaration";
import type { ExecutionRecord } from "./records";

/**
 * Execution timing. An execution carries its start time and how long each stage runs; its status
 * is computed from the clock, so an execution started now is InProgress and Succeeds (or Fails)
 * by itself a few seconds later without any timer.
 */

/**
 * Executions started through the API (StartPipelineExecution) or appended by the push
 * simulator run 6 s: Source 1 s, Build 3 s, Deploy 2 s (one entry per stage; pipelines with
 * more stages repeat the last duration).
 */
export const NEW_EXECUTION_STAGE_MS = [1_000, 3_000, 2_000] as const;

export function newExecutionDurations(stageCount: number): number[] {
  return Array.from({ length: stageCount }, (_, i) => NEW_EXECUTION_STAGE_MS[Math.min(i, NEW_EXECUTION_STAGE_MS.length - 1)] ?? 2_000);
}

export type StageRunStatus = "InProgress" | "Succeeded" | "Failed";

export interface StageRun {
  stageIndex: number;
  status: StageRunStatus;
  start: Date;
  /** Absent while in progress. */
  end?: Date;
}

export interface ExecutionView {
  status: ExecutionStatus;
  /** The time of the last status change of any stage (the end, once finished). */
  lastUpdateTime: Date;
  /** The stages the execution has entered by `now`, in order. */
  stages: StageRun[];
}

/** What an execution looks like at `now` (it must have started: startTime ≤ now). */
export function viewExecution(e: ExecutionRecord, now: Date): ExecutionView {
  const t = now.getTime();
  const stages: StageRun[] = [];
  let at = e.startTime.getTime();
  const last = e.stageDurationsMs.length - 1;
  for (const [i, duration] of e.stageDurationsMs.entries()) {
    const start = at;
    const end = start + duration;
    if (t < start) break;
    if (t < end) {
      stages.push({ stageIndex: i, status: "InProgress", start: new Date(start) });
      return { status: "InProgress", lastUpdateTime: new Date(start), stages };
    }
    const failed = i === last && e.outcome === "Failed";
    stages.push({ stageIndex: i, status: failed ? "Failed" : "Succeeded", start: new Date(start), end: new Date(end) });
    at = end;
  }
  return { status: e.outcome, lastUpdateTime: new Date(at), stages };
}
