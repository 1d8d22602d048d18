import "server-only";
import { getToken } from "next-auth/jwt";
import { headers } from "next/headers";
import { cache } from "react";
import { bearerToken, hashToken, tokenState } from "@/lib/api-tokens";
import { policyFrom } from "@/lib/auth-config";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { admission, atLeast, groupsFromClaim, roleOf, type Role } from "@/lib/roles";
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
  /** False when the user no longer matches TETHER_ALLOWED_DOMAINS / GROUPS. */
  allowed: boolean;
  refusal?: string;
}

const TOUCH_EVERY_MS = 60_000;

async function fromToken(token: string): Promise<Principal | null> {
  const store = getStore();
  const t = store.tokens.findByHash(hashToken(token));
  const now = Date.now();
  if (!t || tokenState(t, now) !== "active") return null;
  if (!t.lastUsedAt || now - Date.parse(t.lastUsedAt) > TOUCH_EVERY_MS) store.tokens.touch(t.id, new Date(now).toISOString());
  return { id: `token:${t.name}`, name: t.name, role: t.role, via: "token", allowed: true };
}

/**
 * The session, read (not refreshed) from the Auth.js cookie. Reading it through `auth()` would
 * re-issue the cookie on every request, and a prefetch in flight during sign-out could then
 * bring a deleted session back; sessions simply end at their expiry (12 h).
 */
async function fromSession(h: Headers): Promise<Principal | null> {
  const e = env();
  if (!e.AUTH_SECRET) return null;
  // Auth.js names the cookie after the protocol it saw (`__Secure-` over HTTPS, also behind a TLS
  // proxy without AUTH_URL), so read the name that is there; browsers only keep `__Secure-` cookies
  // set over HTTPS.
  const secureCookie = (e.AUTH_URL ?? "").startsWith("https://") || /(?:^|;\s*)__Secure-authjs\.session-token/.test(h.get("cookie") ?? "");
  const jwt = await getToken({ req: { headers: h }, secret: e.AUTH_SECRET, secureCookie, logger: { error: () => undefined, warn: () => undefined, debug: () => undefined } });
  if (!jwt) return null;
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
  };
}

/** The caller of this request (memoised per request), or null when signed out. */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const h = await headers();
  const token = bearerToken(h.get("authorization"));
  if (token) return fromToken(token);
  return fromSession(h);
});

/** The caller if they hold `role`; throws AppError unauthenticated (401) / forbidden (403) otherwise. */
export async function requireRole(role: Role): Promise<Principal> {
  const p = await currentPrincipal();
  if (!p) throw new AppError("unauthenticated", "sign-in required");
  if (!p.allowed) throw new AppError("forbidden", p.refusal ?? "not allowed to use Tether");
  if (!atLeast(p.role, role)) throw new AppError("forbidden", "admins only");
  return p;
}
