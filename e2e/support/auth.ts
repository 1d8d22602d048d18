import { expect, type Page } from "@playwright/test";
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
