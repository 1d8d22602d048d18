import { DEMO_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { AUDIT_CSV_HEADER, AuditPage } from "./pages/audit";
import { ConnectionPage } from "./pages/connection";
import { PendingPage } from "./pages/pending";
import { AppShell } from "./pages/shell";
import { TokensPage } from "./pages/settings";

// A watch checks after 2, 3, 5, 8 … seconds: give the live flip room on a busy machine.
test.describe.configure({ timeout: 75_000 });

test.describe("as alice (admin)", () => {
  test.use({ user: "alice" });

  test("resume a PENDING connection, complete it in the console, see it turn AVAILABLE live, audited", async ({ page, emulator }) => {
    const target = DEMO_CASES.resumeTarget;
    const pending = new PendingPage(page);
    await pending.goto({ refresh: true });
    await expect(pending.row(target.uuid)).toContainText("PENDING");
    await expect(pending.row(target.uuid)).toContainText("An owner of the GitHub organization");

    const console_ = await pending.resume(target.name);
    await expect(console_.page).toHaveURL(new RegExp(`/console/us-east-1/codesuite/settings/111111111111/us-east-1/codeconnections/connections/${target.uuid}$`));
    await expect(pending.watch(target.uuid)).toHaveAttribute("data-watch-state", "watching");

    await console_.completeHandshake();
    await expect(console_.available).toBeVisible();
    await page.bringToFront();

    // No reload: the watch flips the row.
    await expect(pending.status(target.uuid)).toHaveAttribute("data-status", "AVAILABLE", { timeout: 45_000 });
    await expect(pending.row(target.uuid).first()).toContainText("Completed");
    expect(await emulator.connectionStatus(target.arn)).toBe("AVAILABLE");

    const audit = new AuditPage(page);
    await audit.goto({ target: target.name });
    const resume = audit.rowsOf("connection.resume", "alice@example.com").first();
    await expect(resume).toContainText("PENDING");
    await expect(audit.outcomeOf(resume)).toContainText("allowed");
    await expect(audit.outcomeOf(resume)).toContainText("completed");

    // The connection page shows the change in its timeline.
    const detail = new ConnectionPage(page);
    await detail.goto(target.uuid);
    await expect(detail.timeline).toContainText("PENDING");
    await expect(detail.timeline).toContainText("AVAILABLE");
  });

  test("the queue has one row per PENDING or ERROR connection, however many Regions list it", async ({ page, emulator }) => {
    const { distinct } = await emulator.demoConnections();
    const waiting = distinct.filter((c) => c.ConnectionStatus === "PENDING" || c.ConnectionStatus === "ERROR").map((c) => c.ConnectionArn?.split("/").pop() ?? "");
    expect(waiting.length).toBeGreaterThan(1);
    const pending = new PendingPage(page);
    await pending.goto({ refresh: true });
    const ids = await pending.connectionIds();
    expect(ids.length).toBe(waiting.length);
    expect(new Set(ids)).toEqual(new Set(waiting));
    // One Resume button per connection.
    await expect(pending.resumeButton(DEMO_CASES.resumeElsewhere.name)).toHaveCount(1);
  });

  test("resume a connection whose home Region is not its account's first configured Region (assumed role)", async ({ page }) => {
    const target = DEMO_CASES.resumeElsewhere;
    const pending = new PendingPage(page);
    await pending.goto({ refresh: true });
    const r = pending.row(target.uuid);
    await expect(r).toContainText("PENDING");
    await expect(r).toContainText(`${target.account}`);
    await expect(r).toContainText("ap-southeast-2");
    const console_ = await pending.resume(target.name);
    // The console page is the connection's home Region's.
    await expect(console_.page).toHaveURL(new RegExp(`/console/ap-southeast-2/codesuite/settings/222222222222/ap-southeast-2/codeconnections/connections/${target.uuid}$`));
    await console_.completeHandshake();
    await expect(console_.available).toBeVisible();
    await page.bringToFront();
    // The watch reads the connection through the account's first Region (us-east-1, via the role) and sees it.
    await expect(pending.status(target.uuid)).toHaveAttribute("data-status", "AVAILABLE", { timeout: 45_000 });
    const audit = new AuditPage(page);
    await audit.goto({ target: target.name, outcome: "allowed" });
    await expect(audit.outcomes.first()).toContainText("completed");
  });

  test("a denied handshake ends in ERROR with the outcome recorded", async ({ page }) => {
    const target = DEMO_CASES.denyTarget;
    const pending = new PendingPage(page);
    await pending.goto({ refresh: true });
    const console_ = await pending.resume(target.name);
    await console_.denyHandshake();
    await page.bringToFront();
    await expect(pending.status(target.uuid)).toHaveAttribute("data-status", "ERROR", { timeout: 45_000 });
    await expect(pending.row(target.uuid)).toContainText("Failed");

    const audit = new AuditPage(page);
    await audit.goto({ target: target.name, outcome: "allowed" });
    await expect(audit.outcomes.first()).toContainText("failed");
    const csv = await (await page.request.get(`/api/audit?target=${target.name}`)).text();
    expect(csv.split("\r\n")[0]).toBe(AUDIT_CSV_HEADER);
    expect(csv).toContain("connection.resume.outcome");
    expect(csv).toContain(",failed,");
  });

  test("set up a PENDING host from the queue: completed in the console, seen AVAILABLE", async ({ page }) => {
    const host = DEMO_CASES.pendingHost;
    const pending = new PendingPage(page);
    await pending.goto({ refresh: true });
    await expect(pending.row(host.id)).toContainText("An admin of the GitHub Enterprise Server");
    const console_ = await pending.setUpHost(host.name);
    await console_.completeHostSetup();
    await expect(console_.available).toBeVisible();
    await page.bringToFront();
    await expect(pending.status(host.id)).toHaveAttribute("data-status", "AVAILABLE", { timeout: 45_000 });
  });

  test("a viewer token cannot resume (403, audited), can read; a revoked token is 401", async ({ page, request, emulator }) => {
    const token = await new TokensPage(page).createToken("e2e-viewer", "viewer", "90");
    // `request` also carries alice's (admin) session cookie: the token, not the cookie, decides.
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
    expect(await emulator.connectionStatus(target.arn)).toBe("PENDING");

    const audit = new AuditPage(page);
    await audit.goto({ actor: "token:e2e-viewer" });
    await expect(audit.table).toContainText("refused");

    const tokens = new TokensPage(page);
    await tokens.goto();
    await expect(tokens.state("e2e-viewer")).toHaveText("active");
    await tokens.revoke("e2e-viewer");
    await expect(tokens.state("e2e-viewer")).toContainText("revoked");
    expect((await request.get("/api/connections", { headers: auth })).status()).toBe(401);
  });
});

test.describe("as bob (viewer)", () => {
  test.use({ user: "bob" });

  test("sees the queue with who must act, and no actions", async ({ page }) => {
    const pending = new PendingPage(page);
    await pending.goto();
    await expect(pending.table).toBeVisible();
    await expect(pending.row(DEMO_CASES.legacyPending.uuid)).toContainText("An owner of the GitHub organization");
    await expect(pending.resumeButtons).toHaveCount(0);
    await expect(pending.actionsColumn).toHaveCount(0);
  });

  test("POST resume with bob's session is 403, changes nothing, and is audited as refused", async ({ page, app, emulator }) => {
    const target = DEMO_CASES.legacyPending;
    // With the Origin a browser sends from Tether's own page (without it: refused as cross-site).
    const res = await page.request.post(`/api/connections/${target.uuid}/resume`, { headers: { origin: app.origin } });
    expect(res.status()).toBe(403);
    expect(await emulator.connectionStatus(target.arn)).toBe("PENDING");

    const audit = new AuditPage(await app.page("alice"));
    await audit.goto({ actor: "bob@example.com", outcome: "refused" });
    await expect(audit.table).toContainText("connection.resume");
    await expect(audit.table).toContainText(target.uuid);
  });

  test("admin pages answer 403 with an admins-only page", async ({ page }) => {
    for (const path of ["/audit", "/settings/tokens"]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(403);
      await expect(new AppShell(page).adminsOnly).toBeVisible();
    }
    expect((await page.request.get("/api/audit")).status()).toBe(403);
  });
});
