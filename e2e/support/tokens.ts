import { expect, type Page } from "@playwright/test";

/** Creates an API token through /settings/tokens (as the signed-in admin of `page`) and returns it. */
export async function createToken(page: Page, name: string, role: "viewer" | "admin", expiresInDays = "30"): Promise<string> {
  await page.goto("/settings/tokens");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Role").selectOption(role);
  await page.getByLabel("Expires").selectOption(expiresInDays);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^tthr_/);
  return token;
}
