import { createHash, randomBytes } from "node:crypto";
import type { Role } from "./roles";

/**
 * API tokens: `tthr_` + 32 random bytes (base64url). Only the SHA-256 of the whole token is
 * stored; the secret is shown once, at creation. The hint (last 4 characters) lets people tell
 * tokens apart in the list.
 */
export const TOKEN_PREFIX = "tthr_";

export function newToken(): { token: string; hash: string; hint: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token), hint: `…${token.slice(-4)}` };
}

export const hashToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

/** The token of an `Authorization: Bearer …` header, if it looks like one of ours. */
export function bearerToken(header: string | null | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  const token = m?.[1];
  return token && token.startsWith(TOKEN_PREFIX) && token.length <= 200 ? token : null;
}

export type TokenState = "active" | "revoked" | "expired";

/** Admin tokens expire at most this long after their creation, whatever was asked for. */
export const ADMIN_TOKEN_MAX_DAYS = 90;

interface TokenDates {
  revokedAt: string | null;
  expiresAt: string | null;
  role?: Role;
  createdAt?: string;
}

/** When a token stops working (epoch ms), or null for never: admin tokens within ADMIN_TOKEN_MAX_DAYS. */
export function tokenExpiry(t: TokenDates): number | null {
  const own = t.expiresAt ? Date.parse(t.expiresAt) : null;
  if (t.role !== "admin" || !t.createdAt) return own;
  const cap = Date.parse(t.createdAt) + ADMIN_TOKEN_MAX_DAYS * 86_400_000;
  return own === null ? cap : Math.min(own, cap);
}

/** Whether a token may still be used: the one rule for sign-in, the list and name reuse. */
export function tokenState(t: TokenDates, now: number): TokenState {
  if (t.revokedAt) return "revoked";
  const expiry = tokenExpiry(t);
  return expiry !== null && expiry <= now ? "expired" : "active";
}
