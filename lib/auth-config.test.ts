import { describe, expect, test } from "vitest";
import { authConfig, providerInfo, providersFrom, safeCallbackPath, safeRedirect } from "./auth-config";
import { parseEnv } from "./env";

const base = { AWS_REGION: "us-east-1", AUTH_SECRET: "x".repeat(40) };
const oidc = { TETHER_OIDC_ISSUER: "https://idp.example.com/oauth2/default", TETHER_OIDC_CLIENT_ID: "tether", TETHER_OIDC_CLIENT_SECRET: "s3cret" };

describe("providers", () => {
  test("the generic OIDC provider from TETHER_OIDC_*", () => {
    const [p] = providersFrom(parseEnv({ ...base, ...oidc }));
    expect(p).toMatchObject({ id: "oidc", type: "oidc", issuer: oidc.TETHER_OIDC_ISSUER, clientId: "tether", clientSecret: "s3cret" });
  });

  test("GitHub is an optional second provider, only with both settings", () => {
    expect(providerInfo(parseEnv({ ...base, ...oidc, AUTH_GITHUB_ID: "gh-id" }))).toEqual([{ id: "oidc", name: "Single sign-on" }]);
    const env = parseEnv({ ...base, ...oidc, AUTH_GITHUB_ID: "gh-id", AUTH_GITHUB_SECRET: "gh-secret" });
    expect(providerInfo(env)).toEqual([
      { id: "oidc", name: "Single sign-on" },
      { id: "github", name: "GitHub" },
    ]);
    const gh = providersFrom(env)[1];
    const config = typeof gh === "function" ? gh() : gh;
    expect(config).toMatchObject({ id: "github", type: "oauth" });
    expect((config as { options?: { clientId?: string; clientSecret?: string } }).options).toMatchObject({ clientId: "gh-id", clientSecret: "gh-secret" });
  });

  test("no provider configured", () => {
    expect(providersFrom(parseEnv(base))).toEqual([]);
  });

  test("profile: groups from the configured claim", () => {
    const [p] = providersFrom(parseEnv({ ...base, ...oidc, TETHER_OIDC_GROUPS_CLAIM: "cognito:groups" }));
    const profile = (p as unknown as { profile: (x: Record<string, unknown>) => unknown }).profile;
    expect(profile({ sub: "u1", email: "a@example.com", "cognito:groups": ["admins"] })).toEqual({ id: "u1", name: "a@example.com", email: "a@example.com", groups: ["admins"] });
    expect(profile({ sub: "u2", name: "Bo", groups: ["x"] })).toEqual({ id: "u2", name: "Bo", email: null, groups: [] });
  });
});

describe("callbacks", () => {
  const config = authConfig(parseEnv({ ...base, ...oidc, TETHER_ADMIN_EMAILS: "alice@example.com", TETHER_ALLOWED_DOMAINS: "example.com" }));
  const cb = config.callbacks!;

  test("signIn refuses users outside the allowed lists", async () => {
    expect(await cb.signIn!({ user: { email: "bob@example.com", groups: [] } } as never)).toBe(true);
    expect(await cb.signIn!({ user: { email: "eve@evil.example", groups: [] } } as never)).toBe("/login?error=AccessDenied");
  });

  test("the session's role comes from configuration, not the token", async () => {
    const session = (await cb.session!({ session: { expires: "x", user: {} }, token: { email: "alice@example.com", name: "Alice", groups: [], role: "viewer" } } as never)) as { user: { role: string; allowed: boolean } };
    expect(session.user).toMatchObject({ role: "admin", allowed: true });
    const bob = (await cb.session!({ session: { expires: "x", user: {} }, token: { email: "bob@example.com", name: "Bob", groups: ["platform-admins"], role: "admin" } } as never)) as { user: { role: string } };
    expect(bob.user.role).toBe("viewer");
  });

  test("redirects stay on Tether", async () => {
    const b = "http://localhost:3000";
    expect(await cb.redirect!({ url: "/pending", baseUrl: b })).toBe(`${b}/pending`);
    expect(await cb.redirect!({ url: "http://localhost:3000/audit", baseUrl: b })).toBe(`${b}/audit`);
    expect(await cb.redirect!({ url: "https://evil.example/x", baseUrl: b })).toBe(b);
    expect(await cb.redirect!({ url: "//evil.example/x", baseUrl: b })).toBe(b);
  });
});

test("safeRedirect and safeCallbackPath", () => {
  expect(safeRedirect("/\\evil.example", "http://a")).toBe("http://a");
  expect(safeRedirect(undefined, "http://a")).toBe("http://a");
  expect(safeCallbackPath("/connections?status=PENDING")).toBe("/connections?status=PENDING");
  expect(safeCallbackPath("https://evil.example")).toBe("/");
  expect(safeCallbackPath("//evil.example")).toBe("/");
});
