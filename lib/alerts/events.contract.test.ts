import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { DEMO_CASES } from "../../emulator/fixtures/demo";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * The event bus channel against the emulator's EventBridge: a status change the poll observes is
 * put on the bus once ("Tether Connection Status Change", the documented detail), however many
 * delivery passes run and across a reopened store; an alert transition is a "Tether Alert State
 * Change" with the webhook body as detail; per-entry failures are retried with backoff, a failed
 * call retries the whole batch; batches stay within 10 entries and 256 KB.
 */

let emulator: RunningEmulator;
const target = DEMO_CASES.flipTarget;
const BUS = "arn:aws:events:us-east-1:111111111111:event-bus/tether-contract";
let dbPath = "";

type Received = { events: { eventBusArn: string; event: { source: string; "detail-type": string; resources: string[]; detail: Record<string, unknown>; time: string } }[] };
const received = async () => (await (await fetch(`${emulator.url}/_emulator/event-buses/tether-contract/events`)).json()) as Received;
const control = (p: string, body: unknown) => fetch(`${emulator.url}/_emulator/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixture: "demo" });
});
afterAll(async () => {
  await emulator.close();
});

function configure(extra: Record<string, string> = {}) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TETHER_SCOPES: JSON.stringify([{ account: "111111111111", regions: ["us-east-1"] }]),
    TETHER_DATABASE_PATH: dbPath,
    TETHER_BACKGROUND: "off",
    TETHER_MIN_REFRESH_SECONDS: "0",
    TETHER_NOTIFY_SLACK_URLS: "",
    TETHER_NOTIFY_WEBHOOK_URLS: "",
    TETHER_NOTIFY_EVENT_BUS: BUS,
    ...extra,
  });
  resetEnvForTests();
  resetSingleton();
}

beforeEach(async () => {
  await control("seed", { fixture: "demo" });
  dbPath = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-events-contract-")), "t.db");
  configure();
});

async function poll() {
  const { getInventory } = await import("@/lib/fleet/inventory");
  await getInventory({ refresh: true });
}

const statusEvents = async () => (await received()).events.filter((e) => e.event["detail-type"] === "Tether Connection Status Change" && e.event.detail.id === target.uuid);

describe("connection status changes on the bus", () => {
  test("ERROR then AVAILABLE: one event each, with the documented detail, never twice", async () => {
    const { deliverNotifications } = await import("./deliver");
    await poll();
    await deliverNotifications();
    expect((await received()).events).toHaveLength(0); // the first listing is the initial state: no transitions

    await control(`connections/${target.uuid}/status`, { status: "ERROR" });
    await poll();
    await poll(); // the same status seen again: nothing new
    expect(await deliverNotifications()).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    await deliverNotifications();
    const [first, ...rest] = await statusEvents();
    expect(rest).toHaveLength(0);
    expect(first?.eventBusArn).toBe(BUS);
    expect(first?.event).toMatchObject({ source: "tether", "detail-type": "Tether Connection Status Change", resources: [target.arn] });
    expect(first?.event.detail).toEqual({
      version: "1",
      eventId: expect.stringMatching(/^tether-status-\d+$/),
      kind: "connection",
      account: "111111111111",
      region: "us-east-1",
      id: target.uuid,
      arn: target.arn,
      name: target.name,
      provider: "GitHub",
      from: "AVAILABLE",
      to: "ERROR",
      observedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(first?.event.time).toBe(String(first?.event.detail.observedAt).replace(/\.\d{3}Z$/, "Z"));

    // A restart: the same database reopened, the sender run again: nothing is sent twice.
    const { getStore } = await import("@/lib/store");
    await getStore().close();
    configure();
    await deliverNotifications();
    expect(await statusEvents()).toHaveLength(1);

    await control(`connections/${target.uuid}/status`, { status: "AVAILABLE" });
    await poll();
    await deliverNotifications();
    expect((await statusEvents()).map((e) => [e.event.detail.from, e.event.detail.to])).toEqual([
      ["AVAILABLE", "ERROR"],
      ["ERROR", "AVAILABLE"],
    ]);
  });

  test("a per-entry failure is retried after backoff; a failed call retries the batch; given up after MAX_ATTEMPTS", async () => {
    const { deliverNotifications, backoffMs, MAX_ATTEMPTS } = await import("./deliver");
    const { getStore } = await import("@/lib/store");
    await poll();
    await control(`connections/${target.uuid}/status`, { status: "ERROR" });
    await poll();
    await control("event-buses/tether-contract/fail", { errorCode: "ThrottlingException", count: 1 });
    let t = Date.now();
    const now = () => t;
    expect(await deliverNotifications(now)).toEqual({ sent: 0, retried: 1, failed: 0 });
    const [row] = await getStore().alerts.outboxEvents(1);
    expect(row).toMatchObject({ state: "pending", attempts: 1, lastError: "ThrottlingException: Rate exceeded." });
    expect(await deliverNotifications(now)).toEqual({ sent: 0, retried: 0, failed: 0 }); // not due before its backoff
    t += backoffMs(1);
    // The whole call failing now (an injected fault, on each of the SDK's 3 attempts): retried again.
    await control("faults", { service: "events", operation: "PutEvents", error: "InternalFailure", count: 3 });
    expect(await deliverNotifications(now)).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await getStore().alerts.outboxEvents(1))[0]?.lastError).toMatch(/PutEvents: AWS reported an internal error \(InternalFailure\)/);
    t += backoffMs(2);
    expect(await deliverNotifications(now)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await statusEvents()).toHaveLength(1);

    // Always failing: given up after MAX_ATTEMPTS, shown failed.
    await control(`connections/${target.uuid}/status`, { status: "AVAILABLE" });
    await poll();
    await control("event-buses/tether-contract/fail", { errorCode: "InternalFailure", count: 1000 });
    const outcomes = [];
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      outcomes.push(await deliverNotifications(now));
      t += backoffMs(i);
    }
    expect(outcomes.at(-1)).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect((await getStore().alerts.outboxEvents(1))[0]).toMatchObject({ state: "failed", attempts: MAX_ATTEMPTS, lastError: `gave up after ${MAX_ATTEMPTS} attempts: InternalFailure: Internal failure.` });
  });
});

describe("alert transitions on the bus", () => {
  test("a fired alert is one Tether Alert State Change with the webhook body as detail; the bus is a channel", async () => {
    const { configuredChannels } = await import("./channels");
    const { getStore } = await import("@/lib/store");
    const { deliverNotifications } = await import("./deliver");
    const channels = configuredChannels();
    expect(channels.map((c) => [c.kind, c.label])).toEqual([["eventbridge", "EventBridge (tether-contract, 111111111111/us-east-1)"]]);
    const subject = { kind: "connection" as const, id: target.uuid, name: target.name, account: "111111111111", region: "us-east-1", arn: target.arn, provider: "GitHub" };
    const at = new Date().toISOString();
    const event = { rule: "connection-error" as const, ruleTitle: "Connection in ERROR", state: "firing" as const, since: at, firedAt: at, resolvedAt: null, summary: "s", detail: "d", subject, guidance: null };
    const { transitions } = await getStore().alerts.apply({ at, track: [], untrack: [], renotify: [], resolve: [], refresh: [], fire: [{ ruleId: "connection-error", subjectKey: "k", subject, since: at, summary: "s", detail: "d", event, notified: true, note: null, channels: channels.map((c) => c.id) }] });
    expect(await deliverNotifications()).toEqual({ sent: 1, retried: 0, failed: 0 });
    await deliverNotifications();
    const alerts = (await received()).events.filter((e) => e.event["detail-type"] === "Tether Alert State Change");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.event).toMatchObject({ source: "tether", resources: [target.arn], detail: { version: "1", id: `tether-transition-${transitions[0]}`, type: "alert.fired", alert: { rule: "connection-error", state: "firing", subject: { id: target.uuid } } } });
    expect((await getStore().alerts.deliveries(transitions)).map((d) => d.state)).toEqual(["sent"]);
  });
});

describe("start-up checks and batching", () => {
  test("a bus whose account and Region is not a configured scope stops start-up, naming the variable", async () => {
    const { checkConfig } = await import("@/lib/startup");
    const { env } = await import("@/lib/env");
    configure({ TETHER_NOTIFY_EVENT_BUS: "arn:aws:events:eu-west-1:111111111111:event-bus/x" });
    expect(() => checkConfig(env())).toThrow(/TETHER_NOTIFY_EVENT_BUS \(account 111111111111, Region eu-west-1\) is not a configured scope/);
    configure({ TETHER_NOTIFY_EVENT_BUS: "arn:aws:events:us-east-1:222222222222:event-bus/x" });
    expect(() => checkConfig(env())).toThrow(/TETHER_NOTIFY_EVENT_BUS \(account 222222222222/);
    configure({ TETHER_NOTIFY_EVENT_BUS: "arn:aws:sns:us-east-1:111111111111:topic" });
    expect(() => env()).toThrow(/TETHER_NOTIFY_EVENT_BUS: must be an event bus ARN/);
    configure({ TETHER_SCOPES: "", TETHER_NOTIFY_EVENT_BUS: "arn:aws:events:eu-west-1:111111111111:event-bus/x" });
    expect(() => checkConfig(env())).toThrow(/TETHER_NOTIFY_EVENT_BUS \(Region eu-west-1\) is not a configured scope/);
    configure();
    expect(() => checkConfig(env())).not.toThrow();
  });

  test("batches hold at most 10 entries and 256 KB by AWS's entry size, and the emulator takes each", async () => {
    const { batches, entrySize, putEvents } = await import("@/lib/aws/eventbridge");
    const entry = (bytes: number) => ({ busArn: BUS, source: "tether", detailType: "Size", detail: JSON.stringify({ p: "x".repeat(bytes) }), resources: ["r"], time: new Date().toISOString() });
    expect(entrySize(entry(0))).toBe(14 + 6 + 4 + JSON.stringify({ p: "" }).length + 1);
    expect(batches(Array.from({ length: 23 }, () => entry(10)), (e) => e).map((b) => b.length)).toEqual([10, 10, 3]);
    const big = Array.from({ length: 5 }, () => entry(100_000));
    const packed = batches(big, (e) => e);
    expect(packed.map((b) => b.length)).toEqual([2, 2, 1]);
    const scope = { account: "111111111111", region: "us-east-1" };
    for (const b of packed) expect(b.reduce((n, e) => n + entrySize(e), 0)).toBeLessThanOrEqual(256 * 1024);
    for (const b of packed) expect(await putEvents(scope, b)).toEqual(b.map(() => ({ ok: true })));
    // Three would have been over: the emulator refuses such a call as a whole.
    expect((await putEvents(scope, big.slice(0, 3)))[0]).toMatchObject({ ok: false });
  });
});
