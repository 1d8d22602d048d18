import type { Diagnosis, ExecutionFacts, Health, PipelineVerdict } from "@/lib/types";

export const VERDICT_ORDER: PipelineVerdict[] = ["broken", "degraded", "unknown", "healthy"];

export const MANUAL_MIN = 2;
export const STALE_DAYS = 3;

export const PUSH_TRIGGERS = new Set(["Webhook", "WebhookV2"]);
export const MANUAL_TRIGGER = "StartPipelineExecution";

export interface HealthInput {
  diagnoses: Diagnosis[];
  /** Executions of the last HISTORY_DAYS (newest first). */
  executions: ExecutionFacts[];
  /** Whether the history has been read at least once. */
  swept: boolean;
  now: number;
}

const DAY = 86_400_000;

export function assessHealth({ diagnoses, executions, swept, now }: HealthInput): Health {
  const dayAgo = now - DAY;
  const inDay = executions.filter((e) => e.startTime && Date.parse(e.startTime) >= dayAgo);
  const last24h = {
    push: inDay.filter((e) => PUSH_TRIGGERS.has(e.triggerType ?? "")).length,
    manual: inDay.filter((e) => e.triggerType === MANUAL_TRIGGER).length,
    other: inDay.filter((e) => !PUSH_TRIGGERS.has(e.triggerType ?? "") && e.triggerType !== MANUAL_TRIGGER).length,
  };
  const lastPush = executions.find((e) => PUSH_TRIGGERS.has(e.triggerType ?? ""));
  const lastManual = executions.find((e) => e.triggerType === MANUAL_TRIGGER);
  const base = { last24h, lastPushStart: lastPush?.startTime ?? null, lastExecution: executions[0] ?? null };

  const broken = diagnoses.find((d) => d.verdict === "broken");
  if (broken) return { ...base, verdict: "broken", reason: broken.explanation };

  if (last24h.push === 0 && last24h.manual >= MANUAL_MIN) {
    const revisions = new Set(inDay.filter((e) => e.triggerType === MANUAL_TRIGGER && e.revisionId).map((e) => e.revisionId));
    const moved = revisions.size >= 2 ? `, on ${revisions.size} different commits: the branch moved but no push started it` : "";
    return { ...base, verdict: "degraded", reason: `Every start in the last 24 h was a manual "Release change" (${last24h.manual})${moved}.` };
  }
  if (lastManual?.startTime && (!lastPush?.startTime || Date.parse(lastPush.startTime) < now - STALE_DAYS * DAY) && Date.parse(lastManual.startTime) > Date.parse(lastPush?.startTime ?? "1970-01-01")) {
    return {
      ...base,
      verdict: "degraded",
      reason: lastPush?.startTime ? `No push has started it for more than ${STALE_DAYS} days, but it was started by hand since.` : "No push has ever started it in the history Tether has; it was started by hand.",
    };
  }
  const warning = diagnoses.find((d) => d.verdict === "warning");
  if (warning) return { ...base, verdict: "degraded", reason: warning.explanation };
  if (!swept) return { ...base, verdict: "unknown", reason: "Execution history has not been read yet." };
  return { ...base, verdict: "healthy", reason: lastPush?.startTime ? "Pushes start it." : "Its configuration lets pushes start it; no push in the history Tether has." };
}

/**
 * The first instant after `now` at which `assessHealth` over the same inputs can answer differently
 * (Infinity: never): an execution leaving the last 24 h, or the last push turning older than
 * STALE_DAYS. Until then a verdict worked out at `now` stands, so a page may keep it; new data
 * (an execution, a declaration, a connection's status) is the caller's to follow.
 */
export function healthChangesAt(executions: readonly ExecutionFacts[], now: number): number {
  let at = Infinity;
  const later = (t: number) => {
    if (t > now && t < at) at = t;
  };
  for (const e of executions) if (e.startTime) later(Date.parse(e.startTime) + DAY);
  const lastPush = executions.find((e) => PUSH_TRIGGERS.has(e.triggerType ?? ""));
  if (lastPush?.startTime) later(Date.parse(lastPush.startTime) + STALE_DAYS * DAY);
  return at;
}
