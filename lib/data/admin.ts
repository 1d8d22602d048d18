import "server-only";
import { AppError } from "@/lib/errors";
import { recordRefusal } from "./refusals";
import { currentPrincipal, type Principal } from "./session";

/**
 * The caller if an admin may act; otherwise the refusal is audited (flood-proof,
 * lib/data/refusals.ts) and AppError forbidden (403) is thrown — or unauthenticated (401) when
 * nobody is signed in. Every admin action starts here. With `sessionOnly`, an API token is refused
 * too, even an admin's (tokens and sessions are managed only from a signed-in session).
 */
export async function requireAdmin(action: string, target: { kind: string; id: string }, opts: { sessionOnly?: "tokens" | "sessions" } = {}): Promise<Principal> {
  const p = await currentPrincipal();
  if (!p) throw new AppError("unauthenticated", "sign-in required");
  const tokenRefused = opts.sessionOnly !== undefined && p.via !== "session";
  const reason = p.role !== "admin" || !p.allowed ? (p.allowed ? `role ${p.role}` : "not allowed") : tokenRefused ? `a token cannot manage ${opts.sessionOnly}` : null;
  if (reason) {
    await recordRefusal(p, { action, targetKind: target.kind, target: target.id, detail: reason });
    throw new AppError("forbidden", tokenRefused ? `${opts.sessionOnly} are managed only from a signed-in session` : "admins only");
  }
  return p;
}
