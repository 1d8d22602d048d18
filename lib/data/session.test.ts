import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { hashToken, newToken } from "@/lib/api-tokens";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import { principalFromHeaders } from "./session";

function setEnv(vars: Record<string, string>) {
  for (const [k, v] of Object.entries({ AWS_REGION: "us-east-1", TETHER_DATABASE_PATH: ":memory:", AUTH_SECRET: "x".repeat(40), ...vars })) vi.stubEnv(k, v);
  resetEnvForTests();
}
beforeEach(async () => {
  setEnv({ TETHER_ADMIN_EMAILS: "alice@example.com", TETHER_ADMIN_GROUPS: "ops" });
  resetSingleton();
});
afterEach(() => vi.unstubAllEnvs());

async function mint(role: "admin" | "viewer", createdBy: string, creatorGroups: string[] = []): Promise<string> {
  const { token, hash, hint } = newToken();
  const now = new Date();
  await getStore().tokens.create({ id: crypto.randomUUID(), name: `t-${hint}`, role, hint, hash, createdBy, creatorGroups, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + 30 * 86_400_000).toISOString() });
  return token;
}
const asToken = (token: string) => principalFromHeaders(new Headers({ authorization: `Bearer ${token}` }));

describe("8. a token acts with at most its creator's current role", () => {
  test("an admin token of a creator who is no longer an admin acts as a viewer", async () => {
    const token = await mint("admin", "alice@example.com");
    expect(await asToken(token)).toMatchObject({ role: "admin", via: "token", allowed: true });
    setEnv({ TETHER_ADMIN_EMAILS: "carol@example.com" });
    expect(await asToken(token)).toMatchObject({ role: "viewer", allowed: true });
  });

  test("group admins: the creator's groups of their latest sign-in count, not those at creation", async () => {
    const token = await mint("admin", "dave@example.com", ["ops"]);
    expect((await asToken(token))?.role).toBe("admin");
    const now = Date.now();
    await getStore().sessions.start({ id: "s1", actor: "dave@example.com", name: "Dave", groups: ["developers"], createdAt: new Date(now).toISOString(), expiresAt: new Date(now + 3600_000).toISOString() });
    expect((await asToken(token))?.role).toBe("viewer");
  });

  test("a viewer token stays a viewer under an admin; a creator no longer allowed in makes the token useless", async () => {
    expect((await asToken(await mint("viewer", "alice@example.com")))?.role).toBe("viewer");
    const token = await mint("viewer", "bob@example.com");
    setEnv({ TETHER_ALLOWED_DOMAINS: "other.example" });
    expect(await asToken(token)).toMatchObject({ allowed: false });
  });

  test("an Authorization header is never combined with the cookie: a bad token is no one", async () => {
    expect(await principalFromHeaders(new Headers({ authorization: "Bearer nonsense", cookie: "authjs.session-token=whatever" }))).toBeNull();
    expect((await getStore().tokens.findByHash(hashToken("nonsense")))).toBeNull();
  });
});
