import { env } from "@/lib/env";

/**
 * Whether Tether may delete a connection (the rule; the action is lib/data/actions.ts): PENDING for
 * at least TETHER_DELETE_PENDING_AFTER_DAYS days — by Tether's own "status since", AWS keeps no
 * timestamps — and used by no pipeline of its account (known only once every scope of the account
 * was mapped).
 */

export interface Deletability {
  allowed: boolean;
  reason: string;
}

/** Whether a connection may be deleted from Tether: PENDING for long enough and used by no pipeline. */
export function deletability(c: { status: string; statusSince: string | null; pipelines: number | null }, now: number): Deletability {
  const days = env().TETHER_DELETE_PENDING_AFTER_DAYS;
  if (c.status !== "PENDING") return { allowed: false, reason: `only PENDING connections can be deleted here (this one is ${c.status})` };
  if (c.pipelines === null) return { allowed: false, reason: "its scope's pipelines have not been mapped yet, so Tether cannot tell whether a pipeline uses it" };
  if (c.pipelines > 0) return { allowed: false, reason: `${c.pipelines} pipeline${c.pipelines === 1 ? "" : "s"} use it` };
  if (!c.statusSince) return { allowed: false, reason: "Tether does not know how long it has been PENDING" };
  const ageDays = (now - Date.parse(c.statusSince)) / 86_400_000;
  if (ageDays < days) return { allowed: false, reason: `it has been PENDING for ${ageDays < 1 ? "less than a day" : `${Math.floor(ageDays)} days`}; deletable after ${days} days (TETHER_DELETE_PENDING_AFTER_DAYS)` };
  return { allowed: true, reason: `PENDING for ${Math.floor(ageDays)} days and used by no pipeline` };
}
