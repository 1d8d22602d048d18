import { GetConnectionCommand, CodeStarConnectionsClient } from "@aws-sdk/client-codestar-connections";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_CASES } from "../emulator/fixtures/demo";
import { ALICE, BOB } from "./support/auth";
import { APP_ORIGIN } from "./support/ports";
import { EMULATOR_URL, listDemoConnections, seed } from "./support/emulator";

// A watch checks after 2, 3, 5, 8 … seconds: give the live flip room on a busy machine.
test.describe.configure({ timeout: 75_000 });

test.beforeAll(async () => {
  await seed("demo");
});

async function emulatorStatus(arn: string): Promise<string | undefined> {
  const client = new CodeStarConnectionsClient({ region: "us-east-1", endpoint: EMULATOR_URL, credentials: { accessKeyId: "e2e", secretAccessKey: "e2e" } });
  return (await client.send(new GetConnectionCommand({ ConnectionArn: arn }))).Connection?.ConnectionStatus;
}

// After a console step the test returns to Tether's tab with bringToFront() and leaves the console
// popup to the context's teardown: closing it once hung Chromium for over a minute (a CI run's
// trace showed "Close page" still pending when the test timed out, the row long since updated).
const row = (page: Page, uuid: string) => page.locator(`tr[data-pending-id="${uuid}"]`);

test.describe("as alice (admin)", () => {
  test.use({ storageState: ALICE });

  test("resume a PENDING connection, complete it in the console, see it turn AVAILABLE live, audited", async ({ page }) => {
    const target = DEMO_CASES.resumeTarget;
    await page.goto("/pending?refresh=1");
    const r = row(page, target.uuid);
    await expect(r).toContainText("PENDING");
    await expect(r).toContainText("An owner of the GitHub organization");

    const [console_] = await Promise.all([page.waitForEvent("popup"), r.getByRole("button", { name: `Resume ${target.name}` }).click()]);
    await console_.waitForURL(new RegExp(`/console/us-east-1/codesuite/settings/111111111111/us-east-1/codeconnections/connections/${target.uuid}$`));
    await expect(r.getByTestId("watch-status")).toHaveAttribute("data-watch-state", "watching");

    await console_.getByRole("button", { name: "Update pending connection" }).click();
    await console_.getByRole("button", { name: "Connect" }).click();
    await expect(console_.getByText(/is now Available/)).toBeVisible();
    await page.bringToFront();

    // No reload: the watch flips the row.
    await expect(page.locator(`[data-pending-id="${target.uuid}"] [data-status]`).first()).toHaveAttribute("data-status", "AVAILABLE", { timeout: 45_000 });
    await expect(page.locator(`[data-pending-id="${target.uuid}"]`).first()).toContainText("Completed");
    expect(await emulatorStatus(target.arn)).toBe("AVAILABLE");

    await page.goto(`/audit?target=${target.name}`);
    const audit = page.getByTestId("audit-table");
    const resume = audit.locator("tr", { has: page.getByText("connection.resume", { exact: true }) }).filter({ hasText: "alice@example.com" }).first();
    await expect(resume).toContainText("PENDING");
    await expect(resume.getByTestId("audit-outcome")).toContainText("allowed");
    await expect(resume.getByTestId("audit-outcome")).toContainText("completed");

    // The connection page shows the change in its timeline.
    await page.goto(`/connections/${target.uuid}`);
    await expect(page.getByTestId("timeline")).toContainText("PENDING");
    await expect(page.getByTestId("timeline")).toContainText("AVAILABLE");
  });

  test("the queue has one row per PENDING or ERROR connection, however many Regions list it", async ({ page }) => {
    const { distinct } = await listDemoConnections();
    const waiting = distinct.filter((c) => c.ConnectionStatus === "PENDING" || c.ConnectionStatus === "ERROR").map((c) => c.ConnectionArn?.split("/").pop() ?? "");
    await page.goto("/pending?refresh=1");
    const ids = await page.getByTestId("pending-table").locator("tbody tr[data-pending-kind=connection]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-pending-id") ?? ""));
    expect(ids.length).toBe(waiting.length);
    expect(new Set(ids)).toEqual(new Set(waiting));
    // One Resume button per connection.
    await expect(page.getByRole("button", { name: `Resume ${DEMO_CASES.resumeElsewhere.name}` })).toHaveCount(1);
  });

  test("resume a connection whose home Region is not its account's first configured Region (assumed role)", async ({ page }) => {
    const target = DEMO_CASES.resumeElsewhere;
    await page.goto("/pending?refresh=1");
    const r = row(page, target.uuid);
    await expect(r).toContainText("PENDING");
    await expect(r).toContainText(`${target.account}`);
    await expect(r).toContainText("ap-southeast-2");
    const [console_] = await Promise.all([page.waitForEvent("popup"), r.getByRole("button", { name: `Resume ${target.name}` }).click()]);
    // The console page is the connection's home Region's.
    await console_.waitForURL(new RegExp(`/console/ap-southeast-2/codesuite/settings/222222222222/ap-southeast-2/codeconnections/connections/${target.uuid}$`));
    await console_.getByRole("button", { name: "Update pending connection" }).click();
    await console_.getByRole("button", { name: "Connect" }).click();
    await expect(console_.getByText(/is now Available/)).toBeVisible();
    await page.bringToFront();
    // The watch reads the connection through the account's first Region (us-east-1, via the role) and sees it.
    await expect(page.locator(`[data-pending-id="${target.uuid}"] [data-status]`).first()).toHaveAttribute("data-status", "AVAILABLE", { timeout: 45_000 });
    await page.goto(`/audit?target=${target.name}&outcome=allowed`);
    await expect(page.getByTestId("audit-table").getByTestId("audit-outcome").first()).toContainText("completed");
  });

  test("a denied handshake ends in ERROR with the outcome recorded", async ({ page }) => {
    const target = DEMO_CASES.denyTarget;
    await page.goto("/pending?refresh=1");
    const r = row(page, target.uuid);
    const [console_] = await Promise.all([page.waitForEvent("popup"), r.getByRole("button", { name: `Resume ${target.name}` }).click()]);
    await console_.getByRole("button", { name: "Update pending connection" }).click();
    await console_.getByRole("button", { name: "Deny" }).click();
    await page.bringToFront();
    await expect(r.locator("[data-status]").first()).toHaveAttribute("data-status", "ERROR", { timeout: 45_000 });
    await expect(r).toContainText("Failed");

    await page.goto(`/audit?target=${target.name}&outcome=allowed`);
    await expect(page.getByTestId("audit-table").getByTestId("audit-outcome").first()).toContainText("failed");
    const csv = await (await page.request.get(`/api/audit?target=${target.name}`)).text();
    expect(csv.split("\r\n")[0]).toBe("id,at,actor,actorRole,via,action,targetKind,target,targetName,outcome,statusBefore,detail,relatedId");
    expect(csv).toContain("connection.resume.outcome");
    expect(csv).toContain(",failed,");
  });

  test("set up a PENDING host from the queue: completed in the console, seen AVAILABLE", async ({ page }) => {
    const host = DEMO_CASES.pendingHost;
    await page.goto("/pending?refresh=1");
    const r = row(page, host.id);
    await expect(r).toContainText("An admin of the GitHub Enterprise Server");
    const [console_] = await Promise.all([page.waitForEvent("popup"), r.getByRole("button", { name: `Set up host ${host.name}` }).click()]);
    await console_.getByRole("button", { name: "Set up host" }).click();
    await console_.getByRole("button", { name: "Complete setup" }).click();
    await expect(console_.getByText(/is now Available/)).toBeVisible();
    await page.bringToFront();
    await expect(page.locator(`[data-pending-id="${host.id}"] [data-status]`).first()).toHaveAttribute("data-status", "AVAILABLE", { timeout: 45_000 });
  });

  test("a viewer token cannot resume (403, audited), can read; a revoked token is 401", async ({ page, request }) => {
    await page.goto("/settings/tokens");
    await page.getByLabel("Name").fill("e2e-viewer");
    await page.getByLabel("Role").selectOption("viewer");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
    expect(token).toMatch(/^tthr_/);
    const auth = { authorization: `Bearer ${token}` };

    expect((await request.get("/api/connections?status=PENDING", { headers: auth })).status()).toBe(200);
    // Pages take the token too.
    const pageRes = await request.get("/pending", { headers: auth, maxRedirects: 0 });
    expect(pageRes.status()).toBe(200);
    expect(await pageRes.text()).toContain("Pending handshakes");
    const target = DEMO_CASES.legacyPending;
    const res = await request.post(`/api/connections/${target.uuid}/resume`, { headers: auth });
    expect(res.status()).toBe(403);
    expect(await res.json()).toEqual({ error: "admins only" });
    expect(await emulatorStatus(target.arn)).toBe("PENDING");

    await page.goto("/audit?actor=token%3Ae2e-viewer");
    await expect(page.getByTestId("audit-table")).toContainText("refused");

    await page.goto("/settings/tokens");
    await expect(page.locator('tr[data-token-name="e2e-viewer"]').getByTestId("token-state")).toHaveText("active");
    await page.getByRole("button", { name: "Revoke e2e-viewer" }).click();
    await expect(page.locator('tr[data-token-name="e2e-viewer"]').getByTestId("token-state")).toContainText("revoked");
    expect((await request.get("/api/connections", { headers: auth })).status()).toBe(401);
  });
});

test.describe("as bob (viewer)", () => {
  test.use({ storageState: BOB });

  test("sees the queue with who must act, and no actions", async ({ page }) => {
    await page.goto("/pending");
    await expect(page.getByTestId("pending-table")).toBeVisible();
    await expect(row(page, DEMO_CASES.legacyPending.uuid)).toContainText("An owner of the GitHub organization");
    await expect(page.getByRole("button", { name: /^Resume / })).toHaveCount(0);
    await expect(page.getByRole("columnheader", { name: "Actions" })).toHaveCount(0);
  });

  test("POST resume with bob's session is 403, changes nothing, and is audited as refused", async ({ page, browser }) => {
    const target = DEMO_CASES.legacyPending;
    // With the Origin a browser sends from Tether's own page (without it: refused as cross-site).
    const res = await page.request.post(`/api/connections/${target.uuid}/resume`, { headers: { origin: APP_ORIGIN } });
    expect(res.status()).toBe(403);
    expect(await emulatorStatus(target.arn)).toBe("PENDING");

    const admin = await browser.newPage({ storageState: ALICE });
    await admin.goto("/audit?actor=bob%40example.com&outcome=refused");
    await expect(admin.getByTestId("audit-table")).toContainText("connection.resume");
    await expect(admin.getByTestId("audit-table")).toContainText(target.uuid);
    await admin.close();
  });

  test("admin pages answer 403 with an admins-only page", async ({ page }) => {
    for (const path of ["/audit", "/settings/tokens"]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
    }
    expect((await page.request.get("/api/audit")).status()).toBe(403);
  });
});
