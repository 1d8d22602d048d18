import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { request as playwrightRequest } from "@playwright/test";
import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { AuditPage } from "./pages/audit";
import { PendingPage } from "./pages/pending";
import { PipelinePage } from "./pages/pipeline";
import { EMULATOR_URL, type EmulatorControl } from "./support/emulator";

/**
 * Two replicas on one PostgreSQL database behind a round-robin proxy (e2e/support/replicas.ts):
 * replica a starts first and takes every background job's lease, then b starts. Leases last 3 s
 * and the poll runs every 5 s, so a takeover and a few polls fit in a test. The tests run in order:
 * the last one kills replica a.
 */
const POLL_SECONDS = 5;
test.use({ user: "alice", replicas: { count: 2, env: { TETHER_LEASE_SECONDS: "3", TETHER_POLL_INTERVAL_SECONDS: String(POLL_SECONDS) } } });
test.describe.configure({ mode: "serial", timeout: 120_000 });

/**
 * ListConnections calls during `polls` poll intervals, nobody viewing a page. A rate over time:
 * the window itself has to pass.
 */
async function listConnectionsOver(emulator: EmulatorControl, polls: number): Promise<number> {
  const before = await emulator.calls("codestar-connections", "ListConnections");
  await new Promise((r) => setTimeout(r, polls * POLL_SECONDS * 1000));
  return (await emulator.calls("codestar-connections", "ListConnections")) - before;
}
/** The demo scopes' two accounts list their connections once each per poll (one page each; the broken scope fails at AssumeRole). */
const PER_POLL = 2;
let withTwo = -1;

test("a session signed in through the proxy works on both replicas; the background polls AWS as one replica would", async ({ page, replicaStack, emulator }) => {
  const [a, b] = replicaStack.replicas;
  if (!a || !b) throw new Error("two replicas expected");
  // alice signed in through the proxy: the sign-in's requests alternated between a and b.
  for (const r of [a, b]) {
    const res = await page.request.get(`${r.origin}/api/connections?format=json`);
    expect(res.status(), `alice's session on ${r.name}`).toBe(200);
    const anonymous = await playwrightRequest.newContext({ storageState: { cookies: [], origins: [] } });
    // Without the session: sent to sign in (or refused), never the data.
    expect([401, 302, 303, 307], `nobody on ${r.name}`).toContain((await anonymous.get(`${r.origin}/api/connections?format=json`, { maxRedirects: 0 })).status());
    await anonymous.dispose();
  }
  // a runs every background job; b waits.
  expect(b.tail(10_000)).not.toMatch(/this replica runs it now/);
  await page.close();
  withTwo = await listConnectionsOver(emulator, 4);
  // Four polls' worth (one more or less at the window's edges), not eight.
  expect(withTwo).toBeGreaterThanOrEqual(3 * PER_POLL);
  expect(withTwo).toBeLessThanOrEqual(5 * PER_POLL);
});

test("pushes received by each replica are joined, and CloudWatch gets each sample once", async ({ page, replicaStack, emulator }) => {
  const c = DEMO_PIPELINE_CASES.healthyV2;
  const detail = new PipelinePage(page);
  await detail.waitUntilMapped(c);
  const [a, b] = replicaStack.replicas;
  if (!a || !b) throw new Error("two replicas expected");
  replicaStack.pin(a.name);
  const first = await emulator.push(c, "start", 3000);
  replicaStack.pin(b.name);
  const second = await emulator.push(c, "start", 3000);
  replicaStack.pin(null);
  expect([first.delivered, second.delivered]).toEqual([202, 202]);

  // The fixture has no value of this pipeline in the last hour: what CloudWatch holds now is Tether's.
  const cloudwatch = new CloudWatchClient({ region: c.region, endpoint: EMULATOR_URL, credentials: { accessKeyId: "e2e", secretAccessKey: "e2e" } });
  const published = async () => {
    const out = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: "Tether",
        MetricName: "PushToPipelineStartLatency",
        Dimensions: [{ Name: "Pipeline", Value: `${c.account}/${c.region}/${c.name}` }],
        StartTime: new Date(Date.now() - 30 * 60_000),
        EndTime: new Date(Date.now() + 10 * 60_000),
        Period: 60,
        Statistics: ["SampleCount", "Minimum", "Maximum"],
      }),
    );
    const points = out.Datapoints ?? [];
    return { count: points.reduce((n, p) => n + (p.SampleCount ?? 0), 0), min: Math.min(...points.map((p) => p.Minimum ?? Infinity)), max: Math.max(...points.map((p) => p.Maximum ?? -Infinity)) };
  };
  await expect(async () => expect((await published()).count).toBe(2)).toPass({ timeout: 60_000 });
  // Each sample is its execution's start minus its push (3 s here), at most.
  const bounds = [first, second].map((p) => ({ min: Date.parse(p.startTime ?? "") - p.answeredAtMs, max: Date.parse(p.startTime ?? "") - Date.parse(p.pushedAt) }));
  const values = await published();
  expect(values.min).toBeGreaterThanOrEqual(Math.min(...bounds.map((x) => x.min)));
  expect(values.max).toBeLessThanOrEqual(Math.max(...bounds.map((x) => x.max)));
  // Three more latency cycles (5 s each) publish nothing again.
  await new Promise((r) => setTimeout(r, 15_000));
  expect((await published()).count).toBe(2);
});

test("alice resumes through replica a, a is killed, b finishes the watch: the row turns AVAILABLE and the audit has the outcome", async ({ page, replicaStack, emulator }) => {
  const [a, b] = replicaStack.replicas;
  if (!a || !b) throw new Error("two replicas expected");
  const target = DEMO_CASES.resumeTarget;
  const pending = new PendingPage(page);
  replicaStack.pin(a.name);
  await pending.goto({ refresh: true });
  await expect(pending.row(target.uuid)).toContainText("PENDING");
  const console_ = await pending.resume(target.name);
  await expect(pending.watch(target.uuid)).toHaveAttribute("data-watch-state", "watching");

  // a dies with the watch running on it; from now on the proxy can only reach b.
  await a.kill();
  replicaStack.pin(null);
  await console_.completeHandshake();
  await expect(console_.available).toBeVisible();
  await page.bringToFront();

  await expect(pending.status(target.uuid)).toHaveAttribute("data-status", "AVAILABLE", { timeout: 60_000 });
  expect(await emulator.connectionStatus(target.arn)).toBe("AVAILABLE");
  await b.waitForLog(/\[tether\] watches: this replica runs it now/, 1_000);
  const audit = new AuditPage(page);
  await audit.goto({ target: target.name });
  const resume = audit.rowsOf("connection.resume", "alice@example.com").first();
  await expect(audit.outcomeOf(resume)).toContainText("allowed");
  await expect(audit.outcomeOf(resume)).toContainText("completed");

  // b alone polls AWS exactly as much as the two did together.
  await b.waitForLog(/\[tether\] poll: this replica runs it now/, 1_000);
  await page.close();
  const withOne = await listConnectionsOver(emulator, 4);
  expect(withOne).toBeGreaterThanOrEqual(3 * PER_POLL);
  expect(withOne).toBeLessThanOrEqual(5 * PER_POLL);
  expect(Math.abs(withOne - withTwo)).toBeLessThanOrEqual(PER_POLL);
});
