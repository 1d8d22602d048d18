import { expect, test } from "@playwright/test";
import { DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { ALICE } from "./support/auth";
import { EMULATOR_URL } from "./support/emulator";

test.use({ storageState: ALICE });
test.describe.configure({ timeout: 120_000 });

async function simulatePush(body: object): Promise<{ sha: string; deliveryId: string; delivered: number | null }> {
  const res = await fetch(`${EMULATOR_URL}/_emulator/pushes`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json() as Promise<{ sha: string; deliveryId: string; delivered: number | null }>;
}

test("a push simulated now shows as the pipeline's last push and in its latency chart", async ({ page }) => {
  const c = DEMO_PIPELINE_CASES.healthyV2;
  const push = await simulatePush({ account: c.account, region: c.region, pipeline: c.name, outcome: "start", delayMs: 3000 });
  expect(push.delivered).toBe(202);
  const path = `/pipelines/${c.account}/${c.region}/${c.name}?lrange=1h`;

  await expect(async () => {
    await page.goto(path);
    await expect(page.getByTestId("last-push")).toContainText(push.sha.slice(0, 10), { timeout: 1000 });
  }).toPass({ timeout: 30_000 });

  // The sample reaches CloudWatch and comes back in the chart's series (its CSV is what is shown).
  await expect(async () => {
    await page.goto(path);
    await expect(page.getByTestId("latency-chart")).toBeVisible({ timeout: 2000 });
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 2000 }), page.getByTestId("latency-csv").click()]);
    const csv = (await (await download.createReadStream()).toArray()).join("");
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const rows = csv.trim().split("\r\n").slice(1).map((l) => l.split(","));
    const recent = rows.filter((r) => Date.parse(r[0] ?? "") >= minute.getTime() - 3 * 60_000);
    expect(recent.some((r) => Number(r[5]) >= 1 && Number(r[4]) >= 2500)).toBe(true);
  }).toPass({ timeout: 60_000 });
  // A single fresh sample has no line to draw; it shows as a dot.
  await expect(page.locator(".recharts-line-dot, .recharts-line-curve").filter({ visible: true }).first()).toBeVisible();
});

test("a dropped push shows as a missed trigger with the push and the pipeline", async ({ page }) => {
  const c = DEMO_PIPELINE_CASES.healthyV1;
  const push = await simulatePush({ account: c.account, region: c.region, pipeline: c.name, outcome: "drop" });
  expect(push.delivered).toBe(202);
  await expect(async () => {
    await page.goto("/latency");
    await expect(page.locator(`[data-missed-sha="${push.sha}"]`)).toContainText(c.name, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.locator(`[data-missed-sha="${push.sha}"]`)).toContainText("missed");
  await page.goto(`/pipelines/${c.account}/${c.region}/${c.name}`);
  await expect(page.locator(`[data-missed-sha="${push.sha}"]`)).toBeVisible();
  await page.goto("/pipelines");
  await expect(page.locator(`[data-missed-sha="${push.sha}"]`)).toBeVisible();
});

test("the receivers answer as the webhook answers table says", async ({ request }) => {
  const body = JSON.stringify({ ref: "refs/heads/main", after: "a".repeat(40), repository: { full_name: "acme/x" } });
  const unsigned = await request.post("/api/webhooks/github", { headers: { "x-github-event": "push", "x-github-delivery": "e2e-1", "content-type": "application/json" }, data: body });
  expect(unsigned.status()).toBe(401);
  const unknown = await request.post("/api/webhooks/azuredevops", { data: "{}" });
  expect(unknown.status()).toBe(404);
  const event = await request.post("/api/events/codepipeline", { headers: { "x-tether-api-key": "wrong" }, data: "{}" });
  expect(event.status()).toBe(401);
  const malformed = await request.post("/api/events/codepipeline", { headers: { "x-tether-api-key": "tether-demo-events-key", "content-type": "application/json" }, data: "{not json" });
  expect(malformed.status()).toBe(400);
});
