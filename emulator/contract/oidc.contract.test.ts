import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../server";
import { buttons, CookieJar, formAction, hiddenFields, labelledControls, request, type PageResponse } from "./browser";
import { control } from "./helpers";

/**
 * The demo identity provider at /oidc, driven like a browser plus an Auth.js-style client:
 * authorization code flow with PKCE (S256), the provider's own sign-in page, token exchange.
 */

const APP = "http://localhost:3999";
const REDIRECT_URI = `${APP}/api/auth/callback/oidc`;
const CLIENT_ID = "tether";
const CLIENT_SECRET = "tether-demo-client-secret";

let emulator: RunningEmulator;
/** The issuer's origin: `localhost`, as the browser and Auth.js reach it. */
let base: string;
let issuer: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, appUrls: [APP] });
  base = `http://localhost:${emulator.port}`;
  issuer = `${base}/oidc`;
});
afterAll(() => emulator.close());

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  scopes_supported: string[];
  claims_supported: string[];
  code_challenge_methods_supported: string[];
  response_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
}

async function discovery(): Promise<Discovery> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  expect(res.status).toBe(200);
  return (await res.json()) as Discovery;
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

function authorizeUrl(opts: { challenge: string; state: string; scope?: string; redirectUri?: string; nonce?: string }): string {
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: "code",
    scope: opts.scope ?? "openid profile email groups",
    redirect_uri: opts.redirectUri ?? REDIRECT_URI,
    state: opts.state,
    code_challenge: opts.challenge,
    code_challenge_method: "S256",
    ...(opts.nonce ? { nonce: opts.nonce } : {}),
  });
  return `${issuer}/auth?${params}`;
}

/** Follows redirects while they stay on the identity provider; returns the last response. */
async function follow(jar: CookieJar, first: PageResponse): Promise<PageResponse> {
  let res = first;
  for (let i = 0; i < 10 && res.location && res.location.startsWith(issuer); i++) {
    res = await request(res.location, { jar });
  }
  return res;
}

/** authorize → the sign-in page (asserted to be ours, not devInteractions). */
async function openSignIn(jar: CookieJar, opts: Parameters<typeof authorizeUrl>[0]): Promise<PageResponse> {
  const first = await request(authorizeUrl(opts), { jar });
  expect(first.status).toBe(303);
  expect(first.location).toMatch(new RegExp(`^${issuer}/interaction/[\\w-]+$`));
  const page = await follow(jar, first);
  expect(page.status).toBe(200);
  return page;
}

async function submitLogin(jar: CookieJar, page: PageResponse, login: string, password: string): Promise<PageResponse> {
  return request(formAction(page.text, page.url), { jar, form: { login, password } });
}

/** The whole browser side: returns the callback URL the provider redirects to. */
async function signIn(login: string, password: string, opts: Parameters<typeof authorizeUrl>[0]): Promise<URL> {
  const jar = new CookieJar();
  const page = await openSignIn(jar, opts);
  const posted = await submitLogin(jar, page, login, password);
  expect(posted.status).toBe(303);
  const last = await follow(jar, posted);
  expect(last.status).toBe(303);
  return new URL(last.location ?? "");
}

async function exchange(
  code: string,
  verifier: string,
  auth: "client_secret_basic" | "client_secret_post" = "client_secret_basic",
): Promise<{ status: number; json: Record<string, unknown> }> {
  const form: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth === "client_secret_basic") {
    headers.authorization = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
  } else {
    Object.assign(form, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  }
  const res = await fetch((await discovery()).token_endpoint, { method: "POST", headers, body: new URLSearchParams(form).toString() });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function jwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[index] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("discovery", () => {
  it("lists every endpoint under http://localhost:<port>/oidc", async () => {
    const d = await discovery();
    expect(emulator.oidcIssuer).toBe(issuer);
    expect(d.issuer).toBe(issuer);
    expect(d.authorization_endpoint).toBe(`${issuer}/auth`);
    expect(d.token_endpoint).toBe(`${issuer}/token`);
    expect(d.userinfo_endpoint).toBe(`${issuer}/me`);
    expect(d.jwks_uri).toBe(`${issuer}/jwks`);
    expect(d.end_session_endpoint).toBe(`${issuer}/session/end`);
    expect(d.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "groups"]));
    expect(d.claims_supported).toEqual(expect.arrayContaining(["sub", "name", "email", "email_verified", "groups"]));
    expect(d.code_challenge_methods_supported).toContain("S256");
    expect(d.response_types_supported).toEqual(["code"]);
    expect(d.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]));
  });

  it("publishes a public RS256 signing key", async () => {
    const jwks = (await (await fetch((await discovery()).jwks_uri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });
});

describe("sign-in page", () => {
  it("is the provider's own form with the demo-users hint", async () => {
    const page = await openSignIn(new CookieJar(), { ...pkce(), state: "s1" });
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(labelledControls(page.text)).toEqual({ login: "Username or email", password: "Password" });
    expect(page.text).toMatch(/<input id="password" name="password" type="password"/);
    expect(buttons(page.text)).toEqual(["Sign in"]);
    expect(page.text).toContain("Demo users: alice (admin), bob (viewer); password tether-demo");
    expect(formAction(page.text, page.url)).toMatch(new RegExp(`^${issuer}/interaction/[\\w-]+/login$`));
  });

  it("re-renders with 401 and no sign-in on a wrong password or an unknown user, then still accepts the right one", async () => {
    const jar = new CookieJar();
    const page = await openSignIn(jar, { ...pkce(), state: "s2" });
    for (const [login, password] of [
      ["alice", "wrong-password"],
      ["mallory", "tether-demo"],
      ["alice", ""],
    ] as const) {
      const failed = await submitLogin(jar, page, login, password);
      expect(failed.status).toBe(401);
      expect(failed.location).toBeUndefined();
      expect(failed.text).toContain("Invalid username or password.");
      expect(failed.text).toContain(`value="${login}"`);
      expect(labelledControls(failed.text)).toEqual({ login: "Username or email", password: "Password" });
    }
    expect(jar.names()).not.toContain("tether_idp_session");
    const ok = await submitLogin(jar, page, "alice", "tether-demo");
    expect(ok.status).toBe(303);
    expect(ok.location).toMatch(new RegExp(`^${issuer}/auth/`));
  });

  it("answers 400 when the interaction cookie is missing (expired or another browser)", async () => {
    const page = await openSignIn(new CookieJar(), { ...pkce(), state: "s3" });
    const res = await request(page.url, { jar: new CookieJar() });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Sign-in session not found");
    const post = await submitLogin(new CookieJar(), page, "alice", "tether-demo");
    expect(post.status).toBe(400);
  });
});

describe("authorization code flow with PKCE", () => {
  it("signs alice in by username: code → tokens → ID token and userinfo with name, email, groups", async () => {
    const { verifier, challenge } = pkce();
    const callback = await signIn("alice", "tether-demo", { challenge, state: "state-alice", nonce: "n-alice" });
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe("state-alice");
    expect(callback.searchParams.get("iss")).toBe(issuer);
    const code = callback.searchParams.get("code") ?? "";
    expect(code).not.toBe("");

    const tokens = await exchange(code, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.json).toMatchObject({ token_type: "Bearer", scope: "openid profile email groups" });
    const idToken = String(tokens.json.id_token);
    expect(jwtPart(idToken, 0)).toMatchObject({ alg: "RS256", kid: expect.any(String) });
    expect(jwtPart(idToken, 1)).toMatchObject({
      iss: issuer,
      aud: CLIENT_ID,
      sub: "alice",
      nonce: "n-alice",
      name: "Alice",
      email: "alice@example.com",
      email_verified: true,
      groups: ["platform-admins"],
    });

    const userinfo = await fetch((await discovery()).userinfo_endpoint, {
      headers: { authorization: `Bearer ${String(tokens.json.access_token)}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({
      sub: "alice",
      name: "Alice",
      email: "alice@example.com",
      email_verified: true,
      groups: ["platform-admins"],
    });

    // A code is good once.
    expect((await exchange(code, verifier)).json.error).toBe("invalid_grant");
  });

  it("signs bob in by email (any case), client_secret_post, groups even without the groups scope", async () => {
    const { verifier, challenge } = pkce();
    const callback = await signIn("Bob@Example.com", "tether-demo", { challenge, state: "state-bob", scope: "openid profile email" });
    const tokens = await exchange(callback.searchParams.get("code") ?? "", verifier, "client_secret_post");
    expect(tokens.status).toBe(200);
    expect(jwtPart(String(tokens.json.id_token), 1)).toMatchObject({
      sub: "bob",
      name: "Bob",
      email: "bob@example.com",
      email_verified: true,
      groups: ["developers"],
    });
  });

  it("checks the PKCE verifier and the client secret", async () => {
    const { challenge } = pkce();
    const callback = await signIn("alice", "tether-demo", { challenge, state: "s-pkce" });
    const code = callback.searchParams.get("code") ?? "";
    const wrongVerifier = await exchange(code, pkce().verifier);
    expect(wrongVerifier.status).toBe(400);
    expect(wrongVerifier.json.error).toBe("invalid_grant");

    const { verifier: v2, challenge: c2 } = pkce();
    const code2 = (await signIn("alice", "tether-demo", { challenge: c2, state: "s-secret" })).searchParams.get("code") ?? "";
    const res = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:not-the-secret`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code: code2, redirect_uri: REDIRECT_URI, code_verifier: v2 }).toString(),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_client");
  });

  it("rejects a redirect_uri that is not registered (no redirect, no code)", async () => {
    for (const redirectUri of ["http://localhost:3000/api/auth/callback/oidc", "http://evil.example/api/auth/callback/oidc"]) {
      const res = await request(authorizeUrl({ ...pkce(), state: "s-bad", redirectUri }), { jar: new CookieJar() });
      expect(res.status).toBe(400);
      expect(res.location).toBeUndefined();
      expect(res.text).toContain("invalid_redirect_uri");
    }
  });

  it("signs out through RP-initiated logout to a registered post-logout URI", async () => {
    const jar = new CookieJar();
    const page = await openSignIn(jar, { ...pkce(), state: "s-logout" });
    await follow(jar, await submitLogin(jar, page, "alice", "tether-demo"));
    const params = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: `${APP}/login` });
    const confirm = await request(`${issuer}/session/end?${params}`, { jar });
    expect(confirm.status).toBe(200);
    expect(buttons(confirm.text)).toEqual(["Sign out", "Stay signed in"]);
    const done = await request(formAction(confirm.text, confirm.url, "op.logoutForm"), {
      jar,
      form: { ...hiddenFields(confirm.text, "op.logoutForm"), logout: "yes" },
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${APP}/login`);
  });

  it("does not count identity-provider requests as AWS calls", async () => {
    await control(emulator, "POST", "/_emulator/stats/reset");
    await signIn("alice", "tether-demo", { ...pkce(), state: "s-stats" });
    expect((await control(emulator, "GET", "/_emulator/stats")).json).toEqual({ calls: {}, byScope: {} });
  });
});
