import { DEMO_EVENT_BUS } from "../scripts/demo-env.mjs";
import { DEMO_CASES } from "../emulator/fixtures/demo";
import { expect, test, type App } from "./fixtures";
import { AlertRulesPage } from "./pages/alerts";
import type { BusEvent, EmulatorControl } from "./support/emulator";

/**
 * Tether's events on the customer's EventBridge bus (docs/events.md), end to end: this file's app
 * puts them on the emulator's bus `tether-demo` (e2e/support/app-env.ts) and polls every 5 s. AWS
 * (the emulator) turns a connection ERROR, then AVAILABLE: the bus gets exactly one "Tether
 * Connection Status Change" for each, with the documented detail, and none again after a restart.
 */
test.describe.configure({ timeout: 150_000 });

const BUS = "tether-demo";
const target = DEMO_CASES.flipTarget;
const statusChanges = async (emulator: EmulatorControl) => (await emulator.busEvents(BUS)).filter((e) => e["detail-type"] === "Tether Connection Status Change" && e.detail.id === target.uuid);
const alertChanges = async (emulator: EmulatorControl) => (await emulator.busEvents(BUS)).filter((e) => e["detail-type"] === "Tether Alert State Change" && (e.detail.alert as { subject?: { id?: string } } | null)?.subject?.id === target.uuid);
const transitions = (events: BusEvent[]) => events.map((e) => [e.detail.from, e.detail.to]);

/**
 * Restarts the app (SIGTERM, as a deployment does) and waits for the new process's first poll to
 * list the connections: within seconds, because the stopped process handed its poll lease over
 * (lib/background.ts); one left to expire would hold every job back for TETHER_LEASE_SECONDS (30 s).
 */
async function restartAndPoll(app: App, emulator: EmulatorControl): Promise<void> {
  const listed = await listings(emulator);
  await app.restart();
  await expect.poll(() => listings(emulator), { timeout: 10_000 }).toBeGreaterThan(listed);
}

const listings = (emulator: EmulatorControl) => emulator.calls("codestar-connections", "ListConnections");

/**
 * Until `n` more polls of the app have started, told apart by the emulator's ListConnections count:
 * a poll lists every account within a moment, and the next starts 5 s after it ended. When the
 * second has started, the first has ended and its evaluation and delivery passes (a second each at
 * most) are done.
 */
async function pollsStarted(emulator: EmulatorControl, n: number): Promise<void> {
  let last = await listings(emulator);
  let changedAt = Date.now();
  let started = 0;
  await expect
    .poll(
      async () => {
        const now = await listings(emulator);
        if (now !== last) {
          if (Date.now() - changedAt > 2_000) started += 1;
          last = now;
          changedAt = Date.now();
        }
        return started;
      },
      { intervals: [250], timeout: 30_000 },
    )
    .toBeGreaterThanOrEqual(n);
}

test.describe("as alice (admin)", () => {
  test.use({ user: "alice" });

  test("the bus is a channel: an admin's test notification is one event on it", async ({ page, emulator }) => {
    const rules = new AlertRulesPage(page);
    await rules.goto();
    await expect(rules.channels).toContainText("EventBridge (tether-demo, 111111111111/us-east-1)");
    await expect(await rules.sendTest("EventBridge")).toHaveText("Delivered (HTTP 200).");
    const tests = (await emulator.busEvents(BUS)).filter((e) => e["detail-type"] === "Tether Test Notification");
    expect(tests).toHaveLength(1);
    expect(tests[0]).toMatchObject({ eventBusArn: DEMO_EVENT_BUS, source: "tether", detail: { version: "1", type: "test", alert: null } });
  });

  test("a connection set to ERROR is one Tether Connection Status Change on the bus; back to AVAILABLE, one more; nothing twice across a restart", async ({ page, emulator, app }) => {
    // The app has listed the fleet once at least (its first, initial listing sends nothing).
    await page.goto(`/connections/${target.uuid}`);
    await expect(page.getByRole("heading", { name: target.name })).toBeVisible();
    expect(await statusChanges(emulator)).toEqual([]);

    await emulator.setConnectionStatus(target.uuid, "ERROR");
    await expect.poll(async () => transitions(await statusChanges(emulator)), { timeout: 60_000 }).toEqual([["AVAILABLE", "ERROR"]]);
    const [error] = await statusChanges(emulator);
    expect(error).toMatchObject({ eventBusArn: DEMO_EVENT_BUS, source: "tether", account: target.account, region: target.region, resources: [target.arn] });
    expect(error?.detail).toEqual({
      version: "1",
      eventId: expect.stringMatching(/^tether-status-\d+$/),
      kind: "connection",
      account: target.account,
      region: target.region,
      id: target.uuid,
      arn: target.arn,
      name: target.name,
      provider: "GitHub",
      from: "AVAILABLE",
      to: "ERROR",
      observedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(error?.time).toBe(String(error?.detail.observedAt).replace(/\.\d{3}Z$/, "Z"));
    // The alert it fires is one Tether Alert State Change (two polls confirm it).
    await expect.poll(async () => (await alertChanges(emulator)).map((e) => e.detail.type), { timeout: 60_000 }).toEqual(["alert.fired"]);

    // A restart while it is ERROR: the next polls see the same status; nothing is put again.
    await restartAndPoll(app, emulator);
    await page.goto(`/connections/${target.uuid}?refresh=1`);
    await expect(page.getByRole("heading", { name: target.name })).toBeVisible();
    await pollsStarted(emulator, 2); // the restarted app's first two polls, and their delivery passes, are done
    expect(transitions(await statusChanges(emulator))).toEqual([["AVAILABLE", "ERROR"]]);
    expect((await alertChanges(emulator)).map((e) => e.detail.type)).toEqual(["alert.fired"]);

    await emulator.setConnectionStatus(target.uuid, "AVAILABLE");
    await expect.poll(async () => transitions(await statusChanges(emulator)), { timeout: 60_000 }).toEqual([
      ["AVAILABLE", "ERROR"],
      ["ERROR", "AVAILABLE"],
    ]);
    await expect.poll(async () => (await alertChanges(emulator)).map((e) => e.detail.type), { timeout: 60_000 }).toEqual(["alert.fired", "alert.resolved"]);

    // And once more after another restart: still exactly these.
    await restartAndPoll(app, emulator);
    await page.goto(`/connections/${target.uuid}?refresh=1`);
    await pollsStarted(emulator, 2);
    const events = await statusChanges(emulator);
    expect(transitions(events)).toEqual([
      ["AVAILABLE", "ERROR"],
      ["ERROR", "AVAILABLE"],
    ]);
    expect(new Set(events.map((e) => e.detail.eventId)).size).toBe(2);
    expect((await alertChanges(emulator)).map((e) => e.detail.type)).toEqual(["alert.fired", "alert.resolved"]);
  });
});
