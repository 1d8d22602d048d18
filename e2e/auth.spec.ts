import { expect, test } from "@playwright/test";
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

test("a bad bearer token is 401, not a session", async ({ request }) => {
  const res = await request.get("/api/connections", { headers: { authorization: "Bearer tthr_not-a-real-token" } });
  expect(res.status()).toBe(401);
});

test("the sign-in page shows the notice; a wrong password at the identity provider fails", async ({ page }) => {
  await page.goto("/pending");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fpending/);
  await expect(page.getByTestId("signin-notice")).toContainText("alice (admin) or bob (viewer)");
  await page.getByRole("button", { name: "Sign in with Single sign-on" }).click();
  await page.getByLabel("Username or email").fill("alice");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Invalid username or password.")).toBeVisible();
  expect(new URL(page.url()).port).toBe(String(E2E_EMULATOR_PORT));
  // The right password then signs in and lands on the page first asked for.
  await page.getByLabel("Username or email").fill("alice@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${APP_ORIGIN}/pending`);
  await expect(page.getByTestId("user-name")).toContainText("Alice");
  await expect(page.getByTestId("user-role")).toHaveText("admin");

  // Sign-out ends the session.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
  await page.goto("/connections");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fconnections/);
});

test("after sign-in, a foreign callbackUrl is not followed", async ({ page }) => {
  await page.goto("/login?callbackUrl=https%3A%2F%2Fevil.example%2Fsteal");
  await page.getByRole("button", { name: "Sign in with Single sign-on" }).click();
  await page.getByLabel("Username or email").fill("bob");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${APP_ORIGIN}/`);
});
