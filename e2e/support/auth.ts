import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { LoginPage } from "../pages/login";
import { AppShell } from "../pages/shell";
import { APP_ORIGIN } from "./ports";

export type User = "alice" | "bob";
export const PASSWORD = "tether-demo";
export const ROLE: Record<User, "admin" | "viewer"> = { alice: "admin", bob: "viewer" };

/** Signs in through the real flow: Tether's /login → the emulator's OIDC login page → back. */
export async function signIn(page: Page, user: User, callbackPath = "/"): Promise<void> {
  const login = new LoginPage(page);
  await login.goto(callbackPath);
  const idp = await login.startSingleSignOn();
  await idp.signIn(user, PASSWORD);
  await expect(page).toHaveURL((url) => url.origin === APP_ORIGIN && url.pathname === callbackPath.split("?")[0]);
  await expect(new AppShell(page).userRole).toHaveText(ROLE[user]);
}

/**
 * Signs `user` in through the same real flow as `signIn`, as HTTP requests instead of rendered
 * pages: Auth.js's sign-in POST (with its CSRF token) → the emulator's authorization endpoint →
 * its login form, posted with the password → Auth.js's callback, which exchanges the code for the
 * ID token, opens the session in the store and sets the session cookie in `request`'s context
 * (a browser context's `request` shares its cookies). Each step's answer is checked, so a broken
 * flow fails here as it would in the browser. What it skips is drawing the pages (Tether's login
 * page, the provider's form, the overview it lands on): about 3 s of a browser sign-in, twice per
 * spec file; `signIn` is still what auth.spec.ts and `app.signInAgain` use.
 */
export async function signInByHttp(request: APIRequestContext, user: User): Promise<void> {
  const csrf = await request.get(`${APP_ORIGIN}/api/auth/csrf`);
  expect(csrf.status(), "GET /api/auth/csrf").toBe(200);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const start = await request.post(`${APP_ORIGIN}/api/auth/signin/oidc`, { form: { csrfToken, callbackUrl: `${APP_ORIGIN}/` }, headers: { origin: APP_ORIGIN }, maxRedirects: 0 });
  expect(start.status(), "POST /api/auth/signin/oidc").toBe(302);
  // The provider's authorization endpoint redirects to its interaction (the login form).
  const form = await request.get(location(start), { maxRedirects: 5 });
  expect(form.status(), `the identity provider's login form (${form.url()})`).toBe(200);
  const action = /<form method="post" action="([^"]+)"/.exec(await form.text())?.[1]?.replaceAll("&amp;", "&");
  if (!action) throw new Error(`no login form at ${form.url()}`);
  const emulatorOrigin = new URL(form.url()).origin;
  let res = await request.post(new URL(action, form.url()).toString(), { form: { login: user, password: PASSWORD }, headers: { origin: emulatorOrigin }, maxRedirects: 0 });
  // The provider's redirects (consent, then the code) until it sends the browser back to Tether's callback.
  for (let hops = 0; new URL(location(res)).origin !== APP_ORIGIN; hops++) {
    if (hops > 5) throw new Error(`the identity provider never redirected back to Tether (last: ${location(res)})`);
    res = await request.get(location(res), { maxRedirects: 0 });
  }
  const callback = location(res);
  expect(new URL(callback).pathname, "the provider redirects to Tether's callback").toBe("/api/auth/callback/oidc");
  const done = await request.get(callback, { maxRedirects: 0 });
  expect(done.status(), `Tether's callback (${done.headers()["location"] ?? "no location"})`).toBe(302);
  expect(location(done)).toBe(`${APP_ORIGIN}/`);
  const session = await request.get(`${APP_ORIGIN}/api/auth/session`);
  expect(((await session.json()) as { user?: { role?: string } } | null)?.user?.role, `${user}'s session`).toBe(ROLE[user]);
}

function location(res: { status(): number; headers(): Record<string, string>; url(): string }): string {
  const to = res.headers()["location"];
  if (res.status() < 300 || res.status() >= 400 || !to) throw new Error(`expected a redirect from ${res.url()}, got HTTP ${res.status()}`);
  return new URL(to, res.url()).toString();
}
