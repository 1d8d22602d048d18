import "server-only";
import { forbidden, redirect } from "next/navigation";
import { atLeast, type Role } from "@/lib/roles";
import { currentPrincipal, type Principal } from "./session";

/**
 * Page guards: signed out → /login (proxy.ts normally redirected already, with the
 * callbackUrl), refused by the allowed lists → the refusal page, wrong role → HTTP 403 page.
 * `sessionOnly`: pages that manage credentials (tokens, sessions) answer 403 to API tokens.
 */
export async function guardPage(role: Role, path: string, opts: { sessionOnly?: boolean } = {}): Promise<Principal> {
  const p = await currentPrincipal();
  if (!p) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  if (!p.allowed) redirect("/login?error=AccessDenied");
  if (!atLeast(p.role, role)) forbidden();
  if (opts.sessionOnly && p.via !== "session") forbidden();
  return p;
}
