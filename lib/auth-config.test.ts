import { decode } from "next-auth/jwt";
import { afterEach, describe, expect, test, vi } from "vitest";
import { authConfig, githubUser, providerInfo, providersFrom, safeCallbackPath, safeRedirect } from "./auth-config";
import { parseEnv } from "./env";
import { openSqliteStore } from "./store/sqlite";

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
    expect(profile({ sub: "u1", email: "a@example.com", "cognito:groups": ["admins"] })).toEqual({ id: "u1", name: "a@example.com", email: "a@example.com", groups: ["admins"], verifiedEmail: true });
    expect(profile({ sub: "u2", name: "Bo", groups: ["x"] })).toEqual({ id: "u2", name: "Bo", email: null, groups: [], verifiedEmail: true });
  });
});

describe("callbacks", () => {
  const config = authConfig(parseEnv({ ...base, ...oidc, TETHER_ADMIN_EMAILS: "alice@example.com", TETHER_ALLOWED_DOMAINS: "example.com" }), openSqliteStore(":memory:").sessions);
  const cb = config.callbacks!;

  test("signIn refuses users outside the allowed lists", async () => {
    expect(await cb.signIn!({ user: { email: "bob@example.com", groups: [] } } as never)).toBe(true);
    expect(await cb.signIn!({ user: { email: "eve@evil.example", groups: [] } } as never)).toBe("/login?error=AccessDenied");
  });

  test("the session's role comes from configuration, not the token", async () => {
    const session = (await cb.session!({ session: { expires: "x", user: {} }, token: { email: "alice@example.com", name: "Alice", groups: [], role: "viewer", sat: 1_800_000_000 } } as never)) as { user: { role: string; allowed: boolean } };
    expect(session.user).toMatchObject({ role: "admin", allowed: true });
    const bob = (await cb.session!({ session: { expires: "x", user: {} }, token: { email: "bob@example.com", name: "Bob", groups: ["platform-admins"], role: "admin", sat: 1_800_000_000 } } as never)) as { user: { role: string } };
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

describe("3. open redirect after sign-in: only a path of Tether's own is followed", () => {
  test.each([
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r//evil.example",
    "/\u0000/evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "/.//evil.example",
    "/x/..//evil.example",
    "/%2e/%2e//evil.example".replaceAll("%2e", "."),
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
  ])("%j → /", (bad) => {
    expect(safeCallbackPath(bad)).toBe("/");
    expect(safeRedirect(bad, "http://localhost:3000")).toBe("http://localhost:3000");
  });

  test("Tether's own paths are kept (normalised), with their query and fragment", () => {
    expect(safeCallbackPath("/connections?status=PENDING&q=a%20b")).toBe("/connections?status=PENDING&q=a%20b");
    expect(safeCallbackPath("/pipelines/111111111111/us-east-1/web#latency")).toBe("/pipelines/111111111111/us-east-1/web#latency");
    expect(safeCallbackPath("/a/../pending")).toBe("/pending");
    expect(safeRedirect("/pending", "http://localhost:3000")).toBe("http://localhost:3000/pending");
    expect(safeRedirect("http://localhost:3000/audit", "http://localhost:3000")).toBe("http://localhost:3000/audit");
  });
});

describe("6. email_verified: false is refused", () => {
  const config = authConfig(parseEnv({ ...base, ...oidc, TETHER_ADMIN_EMAILS: "alice@example.com" }), openSqliteStore(":memory:").sessions);
  const [p] = providersFrom(parseEnv({ ...base, ...oidc }));
  const profile = (p as unknown as { profile: (x: Record<string, unknown>) => Record<string, unknown> }).profile;

  test("the OIDC profile keeps the claim; sign-in refuses false (boolean or string), accepts true or no claim (Entra ID)", async () => {
    expect(profile({ sub: "u1", email: "alice@example.com", email_verified: false })).toMatchObject({ email: "alice@example.com", verifiedEmail: false });
    expect(profile({ sub: "u1", email: "alice@example.com", email_verified: "false" })).toMatchObject({ verifiedEmail: false });
    expect(profile({ sub: "u1", email: "alice@example.com", email_verified: true })).toMatchObject({ verifiedEmail: true });
    expect(profile({ sub: "u1", email: "alice@example.com" })).toMatchObject({ verifiedEmail: true });
    const signIn = config.callbacks!.signIn!;
    expect(await signIn({ user: { email: "alice@example.com", groups: [], verifiedEmail: false } } as never)).toBe("/login?error=EmailUnverified");
    expect(await signIn({ user: { email: "alice@example.com", groups: [], verifiedEmail: true } } as never)).toBe(true);
  });

  test("GitHub: the primary email, and whether GitHub verified it", async () => {
    const api = (emails: unknown) => async (url: string) => (url.endsWith("/user/emails") ? emails : { id: 7, login: "octo", name: null, email: "public@example.com" });
    expect(await githubUser("t", api([{ email: "a@example.com", primary: true, verified: true }, { email: "b@example.com", primary: false, verified: true }]))).toMatchObject({ email: "a@example.com", email_verified: true });
    expect(await githubUser("t", api([{ email: "a@example.com", primary: true, verified: false }, { email: "b@example.com", primary: false, verified: true }]))).toMatchObject({ email: "a@example.com", email_verified: false });
    expect(await githubUser("t", api({ message: "Not Found" }))).toMatchObject({ email: null, email_verified: false });
    const gh = providersFrom(parseEnv({ ...base, AUTH_GITHUB_ID: "g", AUTH_GITHUB_SECRET: "s" }))[0];
    const ghConfig = (typeof gh === "function" ? gh() : gh) as unknown as { options: { profile: (x: Record<string, unknown>) => Record<string, unknown> } };
    expect(ghConfig.options.profile({ id: 7, login: "octo", email: "a@example.com", email_verified: false })).toMatchObject({ email: "a@example.com", verifiedEmail: false });
  });
});

describe("7. sessions: absolute lifetime from sign-in, ended on the server", () => {
  afterEach(() => vi.useRealTimers());
  const start = Date.parse("2026-11-25T08:00:00Z");

  function setup(maxHours?: string) {
    const store = openSqliteStore(":memory:");
    const config = authConfig(parseEnv({ ...base, ...oidc, ...(maxHours ? { TETHER_SESSION_MAX_HOURS: maxHours } : {}) }), store.sessions);
    return { store, config, jwt: config.callbacks!.jwt! };
  }
  const signIn = async (jwt: ReturnType<typeof setup>["jwt"]) => (await jwt({ token: {}, user: { email: "bob@example.com", name: "Bob", groups: ["developers"] }, account: { provider: "oidc" } } as never)) as Record<string, unknown>;

  test("sign-in opens a session on the server; it lasts TETHER_SESSION_MAX_HOURS from sign-in, however busy", async () => {
    vi.useFakeTimers({ now: start });
    const { store, jwt } = setup();
    const token = await signIn(jwt);
    expect(token.sid).toEqual(expect.any(String));
    expect((await store.sessions.get(String(token.sid)))).toMatchObject({ actor: "bob@example.com", groups: ["developers"], createdAt: new Date(start).toISOString(), expiresAt: new Date(start + 12 * 3600_000).toISOString() });
    vi.setSystemTime(start + 11 * 3600_000);
    expect(await jwt({ token } as never)).not.toBeNull();
    vi.setSystemTime(start + 12 * 3600_000);
    expect(await jwt({ token } as never)).toBeNull();
  });

  test("TETHER_SESSION_MAX_HOURS sets the lifetime; the session's expiry never slides", async () => {
    vi.useFakeTimers({ now: start });
    const { config, jwt } = setup("2");
    const token = await signIn(jwt);
    vi.setSystemTime(start + 3600_000);
    const session = (await config.callbacks!.session!({ session: { expires: new Date(start + 99 * 3600_000).toISOString(), user: {} }, token } as never)) as { expires: string };
    expect(session.expires).toBe(new Date(start + 2 * 3600_000).toISOString());
    // The cookie's token itself expires with the session, not maxAge after the last request.
    const encoded = await config.jwt!.encode!({ token, secret: base.AUTH_SECRET, salt: "authjs.session-token", maxAge: 2 * 3600 });
    const decoded = await decode({ token: encoded, secret: base.AUTH_SECRET, salt: "authjs.session-token" });
    expect(Number(decoded?.exp) * 1000).toBe(start + 2 * 3600_000);
    vi.setSystemTime(start + 2 * 3600_000 + 1);
    expect(await jwt({ token } as never)).toBeNull();
  });

  test("sign-out ends the session on the server, so a copy of the cookie stops working", async () => {
    vi.useFakeTimers({ now: start });
    const { store, config, jwt } = setup();
    const token = await signIn(jwt);
    await config.events!.signOut!({ token } as never);
    expect((await store.sessions.get(String(token.sid)))).toMatchObject({ endedBy: "bob@example.com", endReason: "signed out" });
    expect(await jwt({ token } as never)).toBeNull();
  });

  test("ending all sessions of a user (an admin) ends every one of them, and only theirs", async () => {
    vi.useFakeTimers({ now: start });
    const { store, jwt } = setup();
    const a = await signIn(jwt);
    const b = await signIn(jwt);
    const other = (await jwt({ token: {}, user: { email: "alice@example.com", name: "Alice", groups: [] }, account: { provider: "oidc" } } as never)) as Record<string, unknown>;
    expect((await store.sessions.endAllOf("bob@example.com", "alice@example.com", "ended by an admin", new Date(start).toISOString()))).toBe(2);
    expect(await jwt({ token: a } as never)).toBeNull();
    expect(await jwt({ token: b } as never)).toBeNull();
    expect(await jwt({ token: other } as never)).not.toBeNull();
  });

  test("a token from before server-side sessions (no session id) is not accepted", async () => {
    const { jwt } = setup();
    expect(await jwt({ token: { email: "bob@example.com", name: "Bob", groups: [] } } as never)).toBeNull();
  });
});
