import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { Principal } from "./session";
import { createToken, createTokenSchema, revokeToken } from "./tokens";

const principal = vi.hoisted(() => ({ current: null as Principal | null }));
vi.mock("./session", () => ({
  currentPrincipal: async () => principal.current,
  requireRole: async () => principal.current,
}));

beforeEach(() => {
  for (const [k, v] of Object.entries({ AWS_REGION: "us-east-1", TETHER_DATABASE_PATH: ":memory:" })) vi.stubEnv(k, v);
  resetEnvForTests();
  resetSingleton();
});
afterEach(() => vi.unstubAllEnvs());

const alice: Principal = { id: "alice@example.com", name: "Alice", role: "admin", via: "session", allowed: true };

describe("8. API tokens: admin tokens expire within 90 days; tokens are managed only from a signed-in session", () => {
  test("an admin token cannot be made to last more than 90 days; a viewer token can", () => {
    for (const days of [0, 365]) {
      const parsed = createTokenSchema.safeParse({ name: "ops", role: "admin", expiresInDays: days });
      expect(parsed.success, String(days)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe("admin tokens expire within 90 days");
    }
    expect(createTokenSchema.safeParse({ name: "ops", role: "admin", expiresInDays: 90 }).success).toBe(true);
    expect(createTokenSchema.safeParse({ name: "ci", role: "viewer", expiresInDays: 0 }).success).toBe(true);
  });

  test("the creator's groups are kept with the token", async () => {
    principal.current = { ...alice, groups: ["platform-admins"] };
    const { record } = await createToken({ name: "ops", role: "admin", expiresInDays: 30 });
    expect((await getStore().tokens.get(record.id))).toMatchObject({ createdBy: "alice@example.com", creatorGroups: ["platform-admins"] });
  });

  test("an admin token can neither create nor revoke tokens (refused, audited)", async () => {
    principal.current = alice;
    const { record } = await createToken({ name: "victim", role: "viewer", expiresInDays: 30 });
    principal.current = { id: "token:ops", name: "ops", role: "admin", via: "token", allowed: true };
    await expect(createToken({ name: "more", role: "admin", expiresInDays: 90 })).rejects.toMatchObject({ kind: "forbidden", message: "tokens are managed only from a signed-in session" });
    await expect(revokeToken(record.id)).rejects.toMatchObject({ kind: "forbidden" });
    expect((await getStore().tokens.get(record.id))?.revokedAt).toBeNull();
    const refused = (await getStore().audit.list({ actor: "token:ops", outcome: "refused" }, { limit: 10, offset: 0 })).records;
    expect(refused.map((r) => r.action).sort()).toEqual(["token.create", "token.revoke"]);
  });
});
