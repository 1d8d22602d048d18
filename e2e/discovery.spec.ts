import { ORG_CASES } from "../emulator/fixtures/org";
import { expect, test } from "./fixtures";
import { auditRecords } from "./pages/audit";
import { DiscoveryPage } from "./pages/discovery";
import { Layout } from "./pages/layout";
import { OverviewPage } from "./pages/overview";
import { AppShell } from "./pages/shell";
import { APP_ORIGIN } from "./support/ports";

/**
 * Organization discovery against the emulator's `org` fixture, the app configured with
 * TETHER_ORGANIZATION = the Platform OU, the first account the control API adds excluded, and no
 * TETHER_SCOPES (e2e/support/app-env.ts): what is watched, Discover now, an account added at run
 * time, one without the role, one excluded; then the route's attacks.
 */

test.describe.configure({ timeout: 120_000 });

const RUN = "/api/discovery/run";
const sameOrigin = { origin: APP_ORIGIN, "content-type": "application/json" };

test.describe("as alice (admin)", () => {
  test.use({ user: "alice" });

  test("the three Platform accounts are discovered and shown; accounts added later appear after Discover now, one without the role with its banner, the excluded one nowhere", async ({ page, emulator }) => {
    const discovery = new DiscoveryPage(page);
    await discovery.goto();
    await expect(page.getByRole("heading", { name: "Organization discovery" })).toBeVisible();
    await expect(discovery.watched.locator("tbody tr")).toHaveCount(3);
    for (const id of ORG_CASES.platform) {
      await expect(discovery.watchedAccount(id)).toContainText("Platform");
      await expect(discovery.watchedAccount(id)).toContainText("eu-central-2, eu-west-1, us-east-1");
      await expect(discovery.watchedAccount(id).getByTestId("role-status")).toHaveText("role assumed");
    }
    await expect(discovery.skippedAccount(ORG_CASES.workloads[0] as string)).toHaveAttribute("data-reason", "not in includeOus");
    await expect(discovery.skippedAccount(ORG_CASES.suspended)).toHaveAttribute("data-reason", "not in includeOus");
    await expect(discovery.lastRun).toContainText(/start-up|the schedule/);

    // The inventory lists exactly the discovered accounts (no TETHER_SCOPES here).
    const overview = new OverviewPage(page);
    await overview.goto();
    for (const id of ORG_CASES.platform) await expect(overview.account(id)).toBeVisible();
    await expect(overview.accounts.locator("tbody tr")).toHaveCount(3);

    // Three accounts join the Platform OU: the first is excluded by the configuration, the third has no read role.
    const excluded = await emulator.addOrganizationAccount({ name: "excluded-sandbox", ou: "Platform" });
    expect(excluded.id).toBe(ORG_CASES.firstAddedAccount);
    const added = await emulator.addOrganizationAccount({ name: "payments-new", ou: "Platform" });
    const roleless = await emulator.addOrganizationAccount({ name: "no-role-yet", ou: "Platform", withRole: false });

    await discovery.goto();
    await expect(discovery.watchedAccount(added.id)).toHaveCount(0);
    await discovery.discoverNow.click();
    await expect(discovery.result).toContainText("Discovered 5 account(s) to watch, 99 skipped, 1 whose role cannot be assumed", { timeout: 60_000 });
    await expect(discovery.discoverNow).toHaveText("Discover now");
    await expect(discovery.watched.locator("tbody tr")).toHaveCount(5);
    await expect(discovery.watchedAccount(added.id)).toContainText("payments-new");
    await expect(discovery.watchedAccount(roleless.id).getByTestId("role-status")).toContainText("role not assumable");
    await expect(discovery.skippedAccount(excluded.id)).toHaveAttribute("data-reason", "excluded");
    await expect(discovery.lastRun).toContainText("alice@example.com");

    // No restart: the inventory lists the new account, shows the roleless one's banner, and not the excluded one.
    await overview.goto();
    await expect(overview.account(added.id)).toBeVisible();
    await expect(overview.accountCount(added.id, "AVAILABLE")).toHaveText("1");
    await expect(overview.scopeErrors.of(roleless.id)).toContainText(/assuming role arn:aws:iam::\d{12}:role\/TetherReadOnly/);
    await expect(overview.account(excluded.id)).toHaveCount(0);
    await expect(overview.scopeErrors.of(excluded.id)).toHaveCount(0);

    // Audited: the intent, then its outcome pointing at it.
    const records = await auditRecords(page.request, { actor: "alice@example.com", action: "discovery.run" });
    expect(records.map((r) => r.outcome)).toEqual(["allowed"]);
    const outcomes = await auditRecords(page.request, { actor: "alice@example.com", action: "discovery.run.outcome" });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ outcome: "completed", relatedId: records[0]?.id, detail: "5 account(s) watched, 99 skipped, 1 whose role cannot be assumed" });
  });

  test("POST /api/discovery/run answers the run; a cross-site Origin, a body with options and another method are refused, and nothing runs", async ({ app, page }) => {
    const alice = await app.context("alice");
    const ok = await alice.request.post(RUN, { headers: sameOrigin, data: {} });
    expect(ok.status()).toBe(200);
    const body = (await ok.json()) as { run: { outcome: string; trigger: string; result: { accounts: { id: string }[] } }; auditId: number };
    expect(body.run).toMatchObject({ outcome: "ok", trigger: "alice@example.com" });
    expect(body.run.result.accounts.map((a) => a.id)).toEqual(expect.arrayContaining([...ORG_CASES.platform]));
    expect(typeof body.auditId).toBe("number");
    const runs = async () => (await page.request.get("/settings/discovery")).text();
    const before = (await runs()).match(/data-run="/g)?.length ?? 0;

    const crossSite = await alice.request.post(RUN, { headers: { origin: "http://evil.example", "content-type": "application/json" }, data: {} });
    expect(crossSite.status()).toBe(403);
    const options = await alice.request.post(RUN, { headers: sameOrigin, data: { includeOus: ["Workloads"] } });
    expect(options.status()).toBe(400);
    expect(((await options.json()) as { error: string }).error).toContain('unknown field "includeOus"');
    const notJson = await alice.request.post(RUN, { headers: sameOrigin, data: Buffer.from("run it") });
    expect(notJson.status()).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/^body: not JSON/);
    const list = await alice.request.post(RUN, { headers: sameOrigin, data: [] });
    expect(list.status()).toBe(400);
    // Oversized: refused on its declared length, before anything is read or run.
    const oversized = await alice.request.post(RUN, { headers: sameOrigin, data: { pad: "x".repeat(20_000) } });
    expect([oversized.status(), ((await oversized.json()) as { error: string }).error]).toEqual([400, "body: at most 10000 bytes of JSON"]);
    expect((await alice.request.get(RUN)).status()).toBe(405);
    expect((await alice.request.put(RUN, { headers: sameOrigin, data: {} })).status()).toBe(405);
    expect((await runs()).match(/data-run="/g)?.length ?? 0).toBe(before);
    const refused = await auditRecords(page.request, { actor: "alice@example.com", action: "discovery.run", outcome: "error" });
    expect(refused.map((r) => r.detail)).toEqual(expect.arrayContaining([expect.stringContaining('unknown field "includeOus"')]));
  });

  test("the page at 390 px: nothing wider than the screen, Discover now in view; reachable from the Menu", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const discovery = new DiscoveryPage(page);
    await page.goto("/");
    const shell = new AppShell(page);
    await shell.openNavigation();
    await shell.navLink("Discovery").click();
    await expect(page).toHaveURL(/\/settings\/discovery$/);
    await expect(discovery.discoverNow).toBeVisible();
    const layout = new Layout(page);
    const widths = await layout.widths();
    expect(widths.document).toBeLessThanOrEqual(widths.window);
    expect(await layout.overhangs()).toEqual([]);
    const span = await layout.horizontalSpan(discovery.discoverNow);
    expect(span.left).toBeGreaterThanOrEqual(0);
    expect(span.right).toBeLessThanOrEqual(span.window);
    // Keyboard: the button takes focus and Enter runs a discovery.
    await discovery.discoverNow.focus();
    await page.keyboard.press("Enter");
    await expect(discovery.result).toContainText("Discovered", { timeout: 60_000 });
  });
});

test.describe("signed out, and as bob (viewer)", () => {
  test("signed out: 401 from the route, the sign-in page for the page; bob: 403 from both, refused runs audited, nothing runs", async ({ app }) => {
    const anon = await app.context(null);
    const signedOut = await anon.request.post(`${APP_ORIGIN}${RUN}`, { headers: sameOrigin, data: {} });
    expect(signedOut.status()).toBe(401);
    expect(((await signedOut.json()) as { error: string }).error).toBeTruthy();
    const loginRedirect = await anon.request.get(`${APP_ORIGIN}/settings/discovery`, { maxRedirects: 0 });
    expect(loginRedirect.status()).toBe(307);
    expect(loginRedirect.headers().location).toContain("/login?callbackUrl=%2Fsettings%2Fdiscovery");

    const bob = await app.context("bob");
    const refused = await bob.request.post(RUN, { headers: sameOrigin, data: {} });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe("admins only");
    // The role is checked before the body is read.
    expect((await bob.request.post(RUN, { headers: sameOrigin, data: Buffer.from("not json") })).status()).toBe(403);
    const page = await bob.newPage();
    const res = await page.goto("/settings/discovery");
    expect(res?.status()).toBe(403);
    const shell = new AppShell(page);
    await expect(shell.adminsOnly).toBeVisible();
    await expect(shell.navLink("Discovery")).toHaveCount(0);

    const alice = await app.context("alice");
    const records = await auditRecords(alice.request, { actor: "bob@example.com", action: "discovery.run", outcome: "refused" });
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records[0]?.detail).toBe("role viewer");
  });
});
