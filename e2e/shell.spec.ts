import { expect, test } from "./fixtures";
import { AppShell } from "./pages/shell";

test("health answers ok without any account data", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
});

test.describe("as alice", () => {
  test.use({ user: "alice" });

  test("the shell renders with navigation and styles", async ({ page }) => {
    await page.goto("/");
    const shell = new AppShell(page);
    await expect(shell.nav).toBeVisible();
    await expect(shell.navLink("Overview")).toHaveAttribute("aria-current", "page");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).not.toBe("rgba(0, 0, 0, 0)");
  });
});
