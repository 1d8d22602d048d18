import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { AuditPage } from "./pages/audit";
import { ConnectionsPage } from "./pages/connections";
import { OverviewPage } from "./pages/overview";
import { PendingPage } from "./pages/pending";
import { PipelinePage } from "./pages/pipeline";

/**
 * Tether under AWS faults, as a user sees it: a throttling storm on the connections service. Pages
 * keep answering with the last good data and say why; no push or audit record is lost. (The
 * CloudWatch outage has its own file, faults-cloudwatch.spec.ts: it counts the app's metric
 * values, which a push of another test would change. The emulator fixture clears the faults after
 * each test.)
 */
test.use({ user: "alice" });
test.describe.configure({ timeout: 240_000 });

test("a throttling storm: pages show the last good data with a banner; pushes and audit records are kept", async ({ page, app, emulator }) => {
  const { distinct } = await emulator.demoConnections();
  const overview = new OverviewPage(page);
  await overview.goto({ refresh: true });
  await expect(overview.total("connections")).toHaveText(String(distinct.length));

  // Every call to the connections service, in every Region and account, is throttled.
  await emulator.fault({ service: "codestar-connections", error: "ThrottlingException" });
  await overview.goto({ refresh: true });
  await expect(overview.scopeErrors.of("111111111111")).toContainText("AWS is throttling requests");
  await expect(overview.scopeErrors.of("111111111111")).toContainText("failed in every configured Region");
  await expect(overview.scopeErrors.banner).toContainText("showing its last complete listing");
  await expect(overview.total("connections")).toHaveText(String(distinct.length));
  await expect(overview.account("111111111111")).toContainText("(stale)");

  const list = new ConnectionsPage(page);
  await list.goto("refresh=1");
  await expect(list.scopeErrors.banner).toBeVisible();
  await expect(list.rows).toHaveCount(50);
  const pending = new PendingPage(page);
  await pending.goto({ refresh: true });
  await expect(pending.row(DEMO_CASES.legacyPending.uuid)).toContainText("PENDING");

  // A push during the storm is acknowledged and stored.
  const c = DEMO_PIPELINE_CASES.healthyV2;
  const push = await emulator.push(c, "start", 1000);
  expect(push.delivered).toBe(202);
  const detail = new PipelinePage(page);
  await expect(async () => {
    await detail.goto(c);
    await expect(detail.lastPush).toContainText(push.sha.slice(0, 10), { timeout: 1000 });
  }).toPass({ timeout: 30_000 });

  // An admin action that cannot reach AWS says why and is audited.
  const target = DEMO_CASES.legacyPending;
  const res = await page.request.post(`/api/connections/${target.uuid}/resume`, { headers: { origin: app.origin } });
  expect(res.status()).toBe(429);
  expect((await res.json()).error).toContain("AWS is throttling requests");
  const audit = new AuditPage(page);
  await audit.goto({ action: "connection.resume", outcome: "error", target: target.name });
  await expect(audit.table).toContainText("AWS is throttling requests");

  // The storm passes: the next refresh is complete again.
  await emulator.clearFaults();
  await overview.goto({ refresh: true });
  // Only the e2e configuration's unknown account (333333333333) is still in the banner.
  await expect(overview.scopeErrors.items).toHaveText([/^connections of 333333333333/, /^hosts of 333333333333\/us-east-1/]);
  await expect(overview.account("111111111111")).not.toContainText("(stale)");
});
