import { DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { LatencyPage, type LatencyRow } from "./pages/latency";
import { PipelinePage } from "./pages/pipeline";
import { PipelinesPage } from "./pages/pipelines";

test.use({ user: "alice" });
test.describe.configure({ timeout: 180_000 });

const MINUTE = 60_000;

test("a push simulated now shows as the pipeline's last push, and its sample in the latency chart", async ({ page, emulator }) => {
  const c = DEMO_PIPELINE_CASES.healthyV2;
  const detail = new PipelinePage(page);
  // This file's app has just started: the push is joined once Tether has mapped the pipeline, as
  // any running deployment has; wait for that first, so the timeouts below measure the push alone.
  await detail.waitUntilMapped(c);
  const push = await emulator.push(c, "start", 3000);
  expect(push.delivered).toBe(202);

  await expect(async () => {
    await detail.goto(c, "lrange=1h");
    await expect(detail.lastPush).toContainText(push.sha.slice(0, 10), { timeout: 1000 });
  }).toPass({ timeout: 30_000 });

  // The sample is the execution's start minus the push's time at Tether (a Bitbucket push carries
  // no time: Tether takes the moment it received it, between the emulator's push and its answer).
  const startMs = Date.parse(push.startTime ?? "");
  const latency = { min: startMs - push.answeredAtMs, max: startMs - Date.parse(push.pushedAt) };
  expect(latency.max).toBe(3000);
  // It reaches CloudWatch and comes back in the chart's series: the CSV is what the chart shows,
  // one row per 1-minute period with values. The fixture has no sample of this pipeline in the
  // last hour, so the only row is the period the execution started in.
  let rows: LatencyRow[] = [];
  // Each attempt waits for the chart or the panel's empty state (the sample not yet in CloudWatch),
  // and reloads after the latter.
  await expect(async () => {
    await detail.goto(c, "lrange=1h");
    await detail.latency.expectDrawn();
    rows = await detail.latency.csv(2000);
    expect(rows.filter((r) => r.samples > 0)).toHaveLength(1);
  }).toPass({ timeout: 120_000 });
  const [row] = rows.filter((r) => r.samples > 0);
  expect(row?.time).toBe(Math.floor(startMs / MINUTE) * MINUTE);
  expect(row?.samples).toBe(1);
  // No missed trigger in that period (CloudWatch has no MissedTrigger value there: empty).
  expect(row?.missed ?? 0).toBe(0);
  // One sample: its p50, p90, p99 and max are all its latency.
  const value = row?.p50 ?? Number.NaN;
  expect([row?.p50, row?.p90, row?.p99, row?.max]).toEqual([value, value, value, value]);
  expect(value).toBeGreaterThanOrEqual(latency.min);
  expect(value).toBeLessThanOrEqual(latency.max);

  // A lone sample has no neighbour to draw a line to: each of the four series shows it as a dot
  // (radius 3), at one height, and nothing is joined across empty periods.
  await expect(detail.latency.chart).toHaveAttribute("data-sparse", "false");
  await expect(detail.latency.joins).toHaveCount(0);
  await expect(detail.latency.dots).toHaveCount(4);
  const dots = await detail.latency.dots.evaluateAll((els) => els.map((e) => ({ r: e.getAttribute("r"), cx: e.getAttribute("cx"), cy: e.getAttribute("cy") })));
  expect(dots).toEqual(dots.map(() => ({ r: "3", cx: dots[0]?.cx, cy: dots[0]?.cy })));
  for (const dot of await detail.latency.dots.all()) await expect(dot).toBeVisible();
});

test("a dropped push shows as a missed trigger with the push and the pipeline", async ({ page, emulator }) => {
  const c = DEMO_PIPELINE_CASES.healthyV1;
  await new PipelinePage(page).waitUntilMapped(c);
  const push = await emulator.push(c, "drop");
  expect(push.delivered).toBe(202);
  const latency = new LatencyPage(page);
  await expect(async () => {
    await latency.goto();
    await expect(latency.missed(push.sha)).toContainText(c.name, { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(latency.missed(push.sha)).toContainText("missed");
  const detail = new PipelinePage(page);
  await detail.goto(c);
  await expect(detail.missed(push.sha)).toBeVisible();
  const pipelines = new PipelinesPage(page);
  await pipelines.goto();
  await expect(pipelines.missed(push.sha)).toBeVisible();
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
