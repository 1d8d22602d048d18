import "server-only";
import { AppError } from "@/lib/errors";
import { getStore } from "@/lib/store";
import { requireAdmin } from "./admin";

/**
 * Who is signed in, and ending every session of one user (admins, signed in): for someone who
 * left, whose laptop was lost, or whose groups changed at the identity provider (a new sign-in
 * picks them up). Ending is audited; so is a refused attempt.
 */

export interface SignedInUser {
  user: string;
  name: string | null;
  sessions: number;
  lastSignIn: string;
  /** When the last of their sessions ends by itself. */
  until: string;
  groups: string[];
}


const requireAdminForSessions = (action: string, target: string) => requireAdmin(action, { kind: "user", id: target }, { sessionOnly: "sessions" });

/** Users with at least one active session, most recent sign-in first. */
export async function listSignedIn(): Promise<SignedInUser[]> {
  await requireAdminForSessions("sessions.list", "all");
  const byUser = new Map<string, SignedInUser>();
  for (const s of await getStore().sessions.active(Date.now())) {
    const key = s.actor.toLowerCase();
    const u = byUser.get(key);
    if (!u) byUser.set(key, { user: s.actor, name: s.name, sessions: 1, lastSignIn: s.createdAt, until: s.expiresAt, groups: s.groups });
    else {
      u.sessions += 1;
      if (s.expiresAt > u.until) u.until = s.expiresAt;
    }
  }
  return [...byUser.values()];
}

/** Ends every active session of `user` (an email, as signed in; case does not matter). */
export async function endSessionsOf(user: string): Promise<{ ended: number; auditId: number }> {
  const p = await requireAdminForSessions("sessions.end", user);
  if (!user || user.length > 320 || /[\u0000-\u001f\u007f]/.test(user)) throw new AppError("bad_request", "user: give the email of a signed-in user");
  const at = new Date().toISOString();
  const ended = await getStore().sessions.endAllOf(user, p.id, `ended by ${p.id}`, at);
  const record = await getStore().audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: "sessions.end", targetKind: "user", target: user, outcome: "allowed", detail: `${ended} session${ended === 1 ? "" : "s"} ended` }, at);
  return { ended, auditId: record.id };
}
