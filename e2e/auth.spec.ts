import { expect, test } from "./fixtures";
import { LoginPage } from "./pages/login";
import { AppShell } from "./pages/shell";
import { PASSWORD } from "./support/auth";
import { APP_ORIGIN, E2E_EMULATOR_PORT } from "./support/ports";

test("signed out: pages redirect to the sign-in page, API routes answer 401", async ({ request }) => {
  const page = await request.get("/connections?status=PENDING", { maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers().location).toMatch(/\/login\?callbackUrl=%2Fconnections%3Fstatus%3DPENDING$/);
  for (const path of ["/api/connections", "/api/audit", "/api/connections/5744561b-3143-478f-a241-0ffa1a109371/watch"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(401);
    expect(await res.json()).toEqual({ error: "sign-in required" });
  }
  const resume = await request.post("/api/connections/5744561b-3143-478f-a241-0ffa1a109371/resume");
  expect(resume.status()).toBe(401);
  expect((await request.get("/api/health")).status()).toBe(200);
});

test("a bad bearer token is 401, not a session: alice's cookie sent with it does not stand in", async ({ app }) => {
  const alice = await app.context("alice");
  // The cookie alone is a session…
  expect((await alice.request.get("/api/connections")).status()).toBe(200);
  // …but a request that names a token is judged by the token only.
  const res = await alice.request.get("/api/connections", { headers: { authorization: "Bearer tthr_not-a-real-token" } });
  expect(res.status()).toBe(401);
});

test("the sign-in page shows the notice; a wrong password at the identity provider fails", async ({ page }) => {
  await page.goto("/pending");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fpending/);
  const login = new LoginPage(page);
  await expect(login.notice).toContainText("alice (admin) or bob (viewer)");
  const idp = await login.startSingleSignOn();
  await idp.signIn("alice", "wrong-password");
  await expect(idp.invalidLogin).toBeVisible();
  expect(new URL(page.url()).port).toBe(String(E2E_EMULATOR_PORT));
  // The right password then signs in and lands on the page first asked for.
  await idp.signIn("alice@example.com", PASSWORD);
  await expect(page).toHaveURL(`${APP_ORIGIN}/pending`);
  const shell = new AppShell(page);
  await expect(shell.userName).toContainText("Alice");
  await expect(shell.userRole).toHaveText("admin");

  // Sign-out ends the session.
  await shell.signOut();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/connections");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fconnections/);
});

test("after sign-in, a foreign callbackUrl is not followed", async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto("https://evil.example/steal");
  const idp = await login.startSingleSignOn();
  await idp.signIn("bob", PASSWORD);
  // Signed in, on Tether's own overview.
  await expect(page).toHaveURL(`${APP_ORIGIN}/`);
  await expect(new AppShell(page).userRole).toHaveText("viewer");
});
