import "server-only";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { AuditRecord, NewAuditRecord } from "@/lib/store/types";
import type { Role } from "@/lib/roles";

/** Who was refused: a user or a token (or a caller the proxy could name). */
export interface Refused {
  id: string;
  role: Role | "none";
  via: "session" | "token" | "system";
}

/**
 * A refused attempt, recorded without letting anyone flood the log: the first refusal of an
 * action by an actor is written at once; the same actor's refusals of that action in the next
 * minute are counted and written as one summary ("and N more") when the minute ends. Every
 * refusal goes through here (wrong role, cross-site request, token where a session is needed).
 */
export async function recordRefusal(p: Refused, rec: Omit<NewAuditRecord, "actor" | "actorRole" | "via" | "outcome">): Promise<AuditRecord | null> {
  const written = await getStore().audit.refuse({ actor: p.id, actorRole: p.role, via: p.via, outcome: "refused", ...rec }, new Date().toISOString());
  await scheduleBurstClose();
  return written;
}

/** Writes the summaries of refusal bursts whose minute has ended (and keeps a timer for the others). */
export async function closeRefusalBursts(): Promise<AuditRecord[]> {
  const closed = await getStore().audit.closeBursts(new Date().toISOString());
  await scheduleBurstClose();
  return closed;
}

/** One timer per process, set for the end of the earliest open burst (it does not keep the process alive). */
async function scheduleBurstClose(): Promise<void> {
  const timer = singleton("audit-burst-timer", () => ({ pending: null as ReturnType<typeof setTimeout> | null }));
  if (timer.pending) return;
  const next = await getStore().audit.nextBurstEnd();
  if (!next) return;
  timer.pending = setTimeout(
    () => {
      timer.pending = null;
      closeRefusalBursts().catch((e: unknown) => console.error("[tether] closing refusal bursts failed", e));
    },
    Math.max(0, Date.parse(next) - Date.now()) + 100,
  );
  timer.pending.unref?.();
}

