import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { AuditPage } from "./pages/audit";
import { ConnectionsPage } from "./pages/connections";
import { LatencyPage } from "./pages/latency";
import { OverviewPage } from "./pages/overview";
import { PendingPage } from "./pages/pending";
import { PipelinePage } from "./pages/pipeline";

/**
 * Tether under AWS faults, as a user sees it: a throttling storm on the connections service and a
 * CloudWatch outage. Pages keep answering with the last good data and say why; no push, audit
 * record or metric value is lost; publishing catches up when CloudWatch is back. (The emulator
 * fixture clears the faults after each test.)
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

test("a CloudWatch outage: values wait, with a banner; nothing is lost; publishing catches up", async ({ page, emulator }) => {
  const latency = new LatencyPage(page);
  // A fresh app publishes what it enqueued at start-up: let that finish, so the outage starts
  // with nothing in flight, then count from the moment CloudWatch is down.
  await expect(async () => expect((await latency.outbox()).pending).toBe(0)).toPass({ timeout: 60_000 });
  await emulator.fault({ service: "monitoring", operation: "PutMetricData", error: "ServiceUnavailable" });
  const before = await latency.outbox();
  const c = DEMO_PIPELINE_CASES.healthyV1;
  const push = await emulator.push(c, "start", 1000);
  expect(push.delivered).toBe(202);

  // The push's values cannot be published: they wait, and the page says so. They are three: its
  // delivery fleet-wide and for the one pipeline it starts, and its latency sample once joined.
  await expect(async () => {
    await latency.goto();
    await expect(latency.publishRetrying).toContainText("waiting for CloudWatch", { timeout: 1000 });
    expect((await latency.outbox()).pending - before.pending).toBe(3);
  }).toPass({ timeout: 60_000 });
  const during = await latency.outbox();
  expect(during.published).toBe(before.published);
  expect(during.dropped).toBe(before.dropped);

  // CloudWatch is back: everything that waited is published, nothing dropped. The app keeps
  // working meanwhile (a fresh app may still join an older execution and add a value), so the
  // check is a balance: every value enqueued since `before` is published, none dropped.
  await emulator.clearFaults();
  await expect(async () => {
    const after = await latency.outbox();
    const enqueued = after.pending + after.published + after.dropped - (before.pending + before.published + before.dropped);
    expect(after.pending).toBe(0);
    expect(after.dropped).toBe(before.dropped);
    expect(after.published - before.published).toBe(enqueued);
    expect(enqueued).toBeGreaterThanOrEqual(during.pending - before.pending);
  }).toPass({ timeout: 180_000, intervals: [2_000] });
  await latency.goto();
  await expect(latency.publishRetrying).toHaveCount(0);
});
