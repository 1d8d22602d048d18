import { expect, test } from "@playwright/test";
import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { ALICE } from "./support/auth";
import { EMULATOR_URL, seed } from "./support/emulator";

/**
 * Tether under AWS faults, as a user sees it: a throttling storm on the connections service and a
 * CloudWatch outage. Pages keep answering with the last good data and say why; no push, audit
 * record or metric value is lost; publishing catches up when CloudWatch is back.
 */
test.use({ storageState: ALICE });
test.describe.configure({ timeout: 240_000 });

const faults = (rule: object) => fetch(`${EMULATOR_URL}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
const clearFaults = () => fetch(`${EMULATOR_URL}/_emulator/faults`, { method: "DELETE" });

async function simulatePush(body: object): Promise<{ sha: string; delivered: number | null }> {
  const res = await fetch(`${EMULATOR_URL}/_emulator/pushes`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json() as Promise<{ sha: string; delivered: number | null }>;
}

test.beforeAll(async () => {
  await seed("demo");
});
test.afterEach(async () => {
  await clearFaults();
});

test("a throttling storm: pages show the last good data with a banner; pushes and audit records are kept", async ({ page }) => {
  await page.goto("/?refresh=1");
  const total = (await page.getByTestId("total-connections").locator("[data-value]").textContent())?.trim();
  expect(Number(total)).toBeGreaterThan(0);

  // Every call to the connections service, in every Region and account, is throttled.
  await faults({ service: "codestar-connections", error: "ThrottlingException" });
  await page.goto("/?refresh=1");
  const banner = page.getByTestId("scope-errors");
  await expect(banner.locator('[data-scope="111111111111"]')).toContainText("AWS is throttling requests");
  await expect(banner.locator('[data-scope="111111111111"]')).toContainText("failed in every configured Region");
  await expect(banner).toContainText("showing its last complete listing");
  await expect(page.getByTestId("total-connections").locator("[data-value]")).toHaveText(total ?? "");
  await expect(page.getByTestId("account-health").locator('tr[data-account="111111111111"]')).toContainText("(stale)");

  await page.goto("/connections?refresh=1");
  await expect(page.getByTestId("scope-errors")).toBeVisible();
  await expect(page.getByTestId("connections-table").locator("tbody tr")).toHaveCount(50);
  await page.goto("/pending?refresh=1");
  await expect(page.getByTestId("pending-table").locator(`tr[data-pending-id="${DEMO_CASES.legacyPending.uuid}"]`)).toContainText("PENDING");

  // A push during the storm is acknowledged and stored.
  const c = DEMO_PIPELINE_CASES.healthyV2;
  const push = await simulatePush({ account: c.account, region: c.region, pipeline: c.name, outcome: "start", delayMs: 1000 });
  expect(push.delivered).toBe(202);
  await expect(async () => {
    await page.goto(`/pipelines/${c.account}/${c.region}/${c.name}`);
    await expect(page.getByTestId("last-push")).toContainText(push.sha.slice(0, 10), { timeout: 1000 });
  }).toPass({ timeout: 30_000 });

  // An admin action that cannot reach AWS says why and is audited.
  const target = DEMO_CASES.legacyPending;
  const res = await page.request.post(`/api/connections/${target.uuid}/resume`, { headers: { origin: new URL(page.url()).origin } });
  expect(res.status()).toBe(429);
  expect((await res.json()).error).toContain("AWS is throttling requests");
  await page.goto(`/audit?action=connection.resume&outcome=error&target=${target.name}`);
  await expect(page.getByTestId("audit-table")).toContainText("AWS is throttling requests");

  // The storm passes: the next refresh is complete again.
  await clearFaults();
  await page.goto("/?refresh=1");
  // Only the e2e configuration's unknown account (333333333333) is still in the banner.
  await expect(page.getByTestId("scope-errors").locator("[data-scope]")).toHaveText([/^connections of 333333333333/, /^hosts of 333333333333\/us-east-1/]);
  await expect(page.getByTestId("account-health").locator('tr[data-account="111111111111"]')).not.toContainText("(stale)");
});

test("a CloudWatch outage: values wait, with a banner; nothing is lost; publishing catches up", async ({ page }) => {
  const outbox = async () => {
    await page.goto("/latency");
    const text = (await page.getByTestId("latency-health").textContent()) ?? "";
    const m = /Metric values waiting \/ published \/ dropped\s*(\d+) \/ (\d+) \/ (\d+)/.exec(text);
    if (!m) throw new Error(`no outbox counts in: ${text}`);
    return { pending: Number(m[1]), published: Number(m[2]), dropped: Number(m[3]) };
  };
  const before = await outbox();
  await faults({ service: "monitoring", operation: "PutMetricData", error: "ServiceUnavailable" });
  const c = DEMO_PIPELINE_CASES.healthyV1;
  const push = await simulatePush({ account: c.account, region: c.region, pipeline: c.name, outcome: "start", delayMs: 1000 });
  expect(push.delivered).toBe(202);

  // The sample is joined, its values cannot be published: they wait, and the page says so.
  await expect(async () => {
    await page.goto("/latency");
    await expect(page.getByTestId("publish-retrying")).toContainText("waiting for CloudWatch", { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  const during = await outbox();
  expect(during.pending).toBeGreaterThan(0);
  expect(during.published).toBe(before.published);
  expect(during.dropped).toBe(before.dropped);

  // CloudWatch is back: everything that waited is published, nothing dropped.
  await clearFaults();
  await expect(async () => {
    const after = await outbox();
    expect(after.pending).toBe(0);
    expect(after.published).toBe(before.published + during.pending);
    expect(after.dropped).toBe(before.dropped);
  }).toPass({ timeout: 180_000, intervals: [2_000] });
  await page.goto("/latency");
  await expect(page.getByTestId("publish-retrying")).toHaveCount(0);
});
