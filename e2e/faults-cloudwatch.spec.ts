import { DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { LatencyPage } from "./pages/latency";
import { PipelinePage } from "./pages/pipeline";

/**
 * A CloudWatch outage as a user sees it: values wait, with a banner; nothing is lost; publishing
 * catches up when CloudWatch is back. Alone in its file, so its app's metric values are this
 * test's only. (The emulator fixture clears the faults after the test.)
 */
test.use({ user: "alice" });
test.describe.configure({ timeout: 240_000 });

test("a CloudWatch outage: values wait, with a banner; nothing is lost; publishing catches up", async ({ page, emulator }) => {
  const latency = new LatencyPage(page);
  const c = DEMO_PIPELINE_CASES.healthyV1;
  // The push's values depend on the pipelines Tether has mapped: a fresh app must have read this
  // one first (its page answers), as any running deployment has.
  await new PipelinePage(page).waitUntilMapped(c);
  // A fresh app publishes what it enqueued at start-up: let that finish, so the outage starts
  // with nothing in flight, then count from the moment CloudWatch is down.
  await expect(async () => expect((await latency.outbox()).pending).toBe(0)).toPass({ timeout: 60_000 });
  await emulator.fault({ service: "monitoring", operation: "PutMetricData", error: "ServiceUnavailable" });
  const before = await latency.outbox();
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

  // CloudWatch is back: the three that waited are published, nothing dropped, nothing else
  // enqueued (no other push reached this file's app).
  await emulator.clearFaults();
  await expect(async () => {
    const after = await latency.outbox();
    expect(after.pending).toBe(0);
    expect(after.dropped).toBe(before.dropped);
    expect(after.published - before.published).toBe(during.pending - before.pending);
  }).toPass({ timeout: 180_000, intervals: [2_000] });
  await latency.goto();
  await expect(latency.publishRetrying).toHaveCount(0);
});
