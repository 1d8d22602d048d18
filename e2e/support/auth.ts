import { expect, type Page } from "@playwright/test";
import { APP_ORIGIN } from "./ports";

export const ALICE = ".test-results/auth/alice.json";
export const BOB = ".test-results/auth/bob.json";
export const PASSWORD = "tether-demo";

/** Signs in through the real flow: Tether's /login → the emulator's OIDC login page → back. */
export async function signIn(page: Page, user: "alice" | "bob", callbackPath = "/"): Promise<void> {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  await page.getByRole("button", { name: "Sign in with Single sign-on" }).click();
  await page.getByLabel("Username or email").fill(user);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.origin === APP_ORIGIN && url.pathname === callbackPath.split("?")[0]);
  await expect(page.getByTestId("user-role")).toHaveText(user === "alice" ? "admin" : "viewer");
}
