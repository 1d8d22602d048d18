import { AUDIT_DETAIL_MAX, AUDIT_TARGET_MAX, REFUSAL_WINDOW_MS } from "@/lib/store/types";
import type { AuditRecord, NewAuditRecord } from "@/lib/store/types";

/** The audit log's rules that do not depend on the engine (AuditRepo.append, refuse, closeBursts). */

/** `s` cut to `max` characters, ending in "…" when it was longer. */
export function cut<T extends string | null | undefined>(s: T, max: number): T {
  return (typeof s === "string" && s.length > max ? `${s.slice(0, max - 1)}…` : s) as T;
}

/**
 * `s` bounded, a NUL character shown as U+FFFD: a target comes from a request's path and may hold
 * one (%00), which PostgreSQL cannot store in text; the record is kept, on both engines alike.
 */
function text<T extends string | null | undefined>(s: T, max: number): T {
  return cut(typeof s === "string" ? s.replaceAll("\u0000", "\ufffd") : s, max) as T;
}

/** A new record as it is stored: target, target name and detail bounded, absent fields null. */
export function bounded(rec: NewAuditRecord): Required<NewAuditRecord> {
  return {
    ...rec,
    target: text(rec.target, AUDIT_TARGET_MAX),
    targetName: text(rec.targetName, AUDIT_TARGET_MAX) ?? null,
    detail: text(rec.detail, AUDIT_DETAIL_MAX) ?? null,
    statusBefore: rec.statusBefore ?? null,
    relatedId: rec.relatedId ?? null,
  };
}

/** How many distinct targets a refusal summary names. */
export const SUMMARY_TARGETS = 5;

/** One burst per actor and action (JSON: unambiguous, and text PostgreSQL can store, unlike a NUL separator). */
export const burstKey = (rec: NewAuditRecord): string => JSON.stringify([rec.actor, rec.action]);

/** When a burst opened by a refusal at `at` ends. */
export const burstEnd = (at: string): string => new Date(Date.parse(at) + REFUSAL_WINDOW_MS).toISOString();

/**
 * A refusal that follows the burst's first: whether it names another target, and the burst's
 * target list with it added (while there is room and it is new).
 */
export function followingTarget(first: AuditRecord | null, targets: string[], rec: NewAuditRecord): { targets: string[]; other: boolean } {
  const target = text(rec.target, AUDIT_TARGET_MAX);
  const other = target !== first?.target;
  const next = other && targets.length < SUMMARY_TARGETS && !targets.includes(target) ? [...targets, target] : targets;
  return { targets: next, other };
}

/** The summary record of a closed burst that counted `more` refusals after `first`. */
export function burstSummary(first: AuditRecord, burst: { more: number; targets: string[]; varied: boolean }): NewAuditRecord {
  const { more, targets, varied } = burst;
  const detail = `and ${more} more within a minute of #${first.id}${varied ? `; targets include ${targets.join(", ")}${more > targets.length ? ", …" : ""}` : ""}`;
  return { actor: first.actor, actorRole: first.actorRole, via: first.via, action: first.action, targetKind: first.targetKind, target: varied ? "several targets" : first.target, targetName: varied ? null : first.targetName, outcome: "refused", detail, relatedId: first.id };
}
