import "server-only";
import { getToken } from "next-auth/jwt";
import { headers } from "next/headers";
import { cache } from "react";
import { bearerToken, hashToken, tokenState } from "@/lib/api-tokens";
import { policyFrom } from "@/lib/auth-config";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { admission, atLeast, groupsFromClaim, roleOf, type Role } from "@/lib/roles";
import { isBearer } from "@/lib/security/origin";
import { getStore } from "@/lib/store";

/**
 * Who is calling: a signed-in user (Auth.js session) or an API token
 * (`Authorization: Bearer tthr_…`). Every exported function of lib/data checks it first; pages
 * and route handlers check it too (lib/data/guards.ts, lib/api.ts), never relying on proxy.ts.
 */
export interface Principal {
  /** Email of the user, or `token:<name>` for an API token. */
  id: string;
  name: string;
  role: Role;
  via: "session" | "token";
  /** False when the user (for a token: its creator) no longer matches TETHER_ALLOWED_DOMAINS / GROUPS. */
  allowed: boolean;
  refusal?: string;
  /** A signed-in user's groups (from their sign-in). */
  groups?: string[];
}

const TOUCH_EVERY_MS = 60_000;

/**
 * An API token acts with at most its creator's current role: the role Tether's configuration
 * gives the creator now, from their groups at their latest sign-in (or, if they never signed in
 * since, at the token's creation). An admin token of someone who is no longer an admin acts as
 * a viewer; a token of someone no longer allowed in is refused.
 */
async function fromToken(token: string): Promise<Principal | null> {
  const store = getStore();
  const t = await store.tokens.findByHash(hashToken(token));
  const now = Date.now();
  if (!t || tokenState(t, now) !== "active") return null;
  if (!t.lastUsedAt || now - Date.parse(t.lastUsedAt) > TOUCH_EVERY_MS) await store.tokens.touch(t.id, new Date(now).toISOString());
  const creator = { email: t.createdBy, groups: (await store.sessions.latestOf(t.createdBy))?.groups ?? t.creatorGroups ?? [] };
  const policy = policyFrom(env());
  const verdict = admission(creator, policy);
  const role: Role = t.role === "admin" && roleOf(creator, policy) === "admin" ? "admin" : "viewer";
  return { id: `token:${t.name}`, name: t.name, role, via: "token", allowed: verdict.allowed, ...(verdict.allowed ? {} : { refusal: `the token's creator ${t.createdBy} may no longer use Tether` }) };
}

/**
 * The session, read (not refreshed) from the Auth.js cookie. Reading it through `auth()` would
 * re-issue the cookie on every request, and a prefetch in flight during sign-out could then
 * bring a deleted session back. The cookie names a server-side session (lib/auth-config.ts):
 * it counts only while that session is not ended (sign-out, an admin) nor expired
 * (TETHER_SESSION_MAX_HOURS after sign-in).
 */
async function fromSession(h: Headers): Promise<Principal | null> {
  const e = env();
  if (!e.AUTH_SECRET) return null;
  // Auth.js names the cookie after the protocol it saw (`__Secure-` over HTTPS, also behind a TLS
  // proxy without AUTH_URL), so read the name that is there; browsers only keep `__Secure-` cookies
  // set over HTTPS.
  const secureCookie = (e.AUTH_URL ?? "").startsWith("https://") || /(?:^|;\s*)__Secure-authjs\.session-token/.test(h.get("cookie") ?? "");
  const jwt = await getToken({ req: { headers: h }, secret: e.AUTH_SECRET, secureCookie, logger: { error: () => undefined, warn: () => undefined, debug: () => undefined } });
  if (!jwt || typeof jwt.sid !== "string" || !(await getStore().sessions.isActive(jwt.sid, Date.now()))) return null;
  const email = typeof jwt.email === "string" ? jwt.email : null;
  const name = typeof jwt.name === "string" ? jwt.name : email;
  if (!email && !name) return null;
  // Roles and admission come from Tether's configuration now, not from sign-in time.
  const who = { email, groups: groupsFromClaim(jwt.groups) };
  const policy = policyFrom(e);
  const verdict = admission(who, policy);
  return {
    id: email ?? name ?? "unknown",
    name: name ?? "unknown",
    role: roleOf(who, policy),
    via: "session",
    allowed: verdict.allowed,
    ...(verdict.allowed ? {} : { refusal: verdict.reason }),
    groups: who.groups,
  };
}

/**
 * The caller of a request with these headers, or null. `Authorization: Bearer` means a token and
 * only a token: a bad one is no one, never a fall-back to the cookie (which would make a
 * cookie-bound request look like a token request to the cross-site check).
 */
export async function principalFromHeaders(h: Headers): Promise<Principal | null> {
  if (isBearer(h)) {
    const token = bearerToken(h.get("authorization"));
    return token ? fromToken(token) : null;
  }
  return fromSession(h);
}

/** The caller of this request (memoised per request), or null when signed out. */
export const currentPrincipal = cache(async (): Promise<Principal | null> => principalFromHeaders(await headers()));

/** The caller if they hold `role`; throws AppError unauthenticated (401) / forbidden (403) otherwise. */
export async function requireRole(role: Role): Promise<Principal> {
  const p = await currentPrincipal();
  if (!p) throw new AppError("unauthenticated", "sign-in required");
  if (!p.allowed) throw new AppError("forbidden", p.refusal ?? "not allowed to use Tether");
  if (!atLeast(p.role, role)) throw new AppError("forbidden", "admins only");
  return p;
}
