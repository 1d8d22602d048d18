import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ADMIN_TOKEN_MAX_DAYS, newToken, tokenExpiry, tokenState, type TokenState } from "@/lib/api-tokens";
import { AppError } from "@/lib/errors";
import { ROLES } from "@/lib/roles";
import { getStore } from "@/lib/store";
import type { ApiToken } from "@/lib/store/types";
import { requireAdmin } from "./admin";
import { requireRole } from "./session";

/**
 * API tokens (admins, signed in): create (the secret is returned once), list, revoke; every
 * attempt audited. Only a signed-in admin manages tokens, never a token: a leaked admin token
 * cannot mint itself successors. Admin tokens expire within ADMIN_TOKEN_MAX_DAYS.
 */

export const EXPIRY_DAYS = [7, 30, 90, 365, 0] as const; // 0 = never

export const createTokenSchema = z
  .object({
    name: z.string().trim().min(1, "give the token a name").max(64, "at most 64 characters").regex(/^[\w .@-]+$/, "letters, digits, spaces and . _ @ - only"),
    role: z.enum(ROLES, { message: "role must be viewer or admin" }),
    expiresInDays: z.coerce.number().refine((n) => (EXPIRY_DAYS as readonly number[]).includes(n), "choose an expiry from the list"),
  })
  .refine((t) => t.role !== "admin" || (t.expiresInDays > 0 && t.expiresInDays <= ADMIN_TOKEN_MAX_DAYS), { path: ["expiresInDays"], message: `admin tokens expire within ${ADMIN_TOKEN_MAX_DAYS} days` });

const adminOrAudit = (action: string, target: string) => requireAdmin(action, { kind: "token", id: target }, { sessionOnly: "tokens" });

export async function createToken(input: unknown): Promise<{ token: string; record: ApiToken }> {
  const p = await adminOrAudit("token.create", "new");
  const parsed = createTokenSchema.safeParse(input);
  if (!parsed.success) throw new AppError("bad_request", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { name, role, expiresInDays } = parsed.data;
  const store = getStore();
  if ((await store.tokens.list()).some((t) => t.name === name && tokenState(t, Date.now()) === "active")) throw new AppError("conflict", `an active token named "${name}" exists; revoke it or choose another name`);
  const now = new Date();
  const { token, hash, hint } = newToken();
  const record: ApiToken = {
    id: randomUUID(),
    name,
    role,
    hint,
    createdBy: p.id,
    creatorGroups: p.groups ?? [],
    createdAt: now.toISOString(),
    expiresAt: expiresInDays ? new Date(now.getTime() + expiresInDays * 86_400_000).toISOString() : null,
    lastUsedAt: null,
    revokedAt: null,
    revokedBy: null,
  };
  await store.tokens.create({ ...record, hash });
  await store.audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: "token.create", targetKind: "token", target: record.id, targetName: name, outcome: "allowed", detail: `role ${role}, ${expiresInDays ? `expires in ${expiresInDays} days` : "no expiry"}` });
  return { token, record };
}

export async function revokeToken(id: string): Promise<void> {
  const p = await adminOrAudit("token.revoke", id);
  const store = getStore();
  const t = await store.tokens.get(id);
  if (!t) throw new AppError("not_found", "no such token");
  const done = await store.tokens.revoke(id, p.id, new Date().toISOString());
  await store.audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: "token.revoke", targetKind: "token", target: id, targetName: t.name, outcome: done ? "allowed" : "error", detail: done ? null : "already revoked" });
}

export type { TokenState } from "@/lib/api-tokens";

/** Every token, with its state and when it really expires (admin tokens: within ADMIN_TOKEN_MAX_DAYS). */
export async function listTokens(): Promise<(ApiToken & { state: TokenState })[]> {
  const p = await requireRole("admin");
  if (p.via !== "session") throw new AppError("forbidden", "tokens are managed only from a signed-in session");
  const now = Date.now();
  return (await getStore().tokens.list()).map((t) => {
      const expiry = tokenExpiry(t);
      return { ...t, expiresAt: expiry === null ? null : new Date(expiry).toISOString(), state: tokenState(t, now) };
    });
}
