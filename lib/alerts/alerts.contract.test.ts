import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { DEMO_CASES } from "../../emulator/fixtures/demo";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * One pass of the alert job against the emulator, end to end below the pages: the poll lists a
 * connection the emulator turned ERROR, the evaluation (twice: the damping) fires an alert, the
 * outbox delivers it to the emulator's Slack and webhook sinks exactly once each, signed; the
 * connection back to AVAILABLE resolves it, one more message each. Then the sender's answers:
 * retried on 5xx until accepted, failed at once on 4xx, given up after MAX_ATTEMPTS.
 */

let emulator: RunningEmulator;
const SECRET = "contract-test-webhook-secret";
const target = DEMO_CASES.flipTarget;

type Sink = { deliveries: { headers: Record<string, string>; body: string; answered: number }[] };
const sink = async (name: string) => (await (await fetch(`${emulator.url}/_emulator/sinks/${name}`)).json()) as Sink;
const control = (p: string, body: unknown) => fetch(`${emulator.url}/_emulator/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixture: "demo" });
});
afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await control("seed", { fixture: "demo" });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TETHER_SCOPES: JSON.stringify([{ account: "111111111111", regions: ["us-east-1"] }]),
    TETHER_DATABASE_PATH: path.join(mkdtempSync(path.join(os.tmpdir(), "tether-alerts-contract-")), "t.db"),
    TETHER_BACKGROUND: "off",
    TETHER_MIN_REFRESH_SECONDS: "0",
    AUTH_URL: "http://localhost:3999",
    TETHER_CONSOLE_URL: `${emulator.url}/console/{region}`,
    TETHER_NOTIFY_SLACK_URLS: `${emulator.url}/_emulator/sinks/slack`,
    TETHER_NOTIFY_WEBHOOK_URLS: `${emulator.url}/_emulator/sinks/webhook`,
    TETHER_NOTIFY_WEBHOOK_SECRET: SECRET,
  });
  resetEnvForTests();
  resetSingleton();
});

/** A poll: list everything now, then evaluate `minutes` later than the real clock (each poll one step further). */
async function poll(minutes: number) {
  const { getInventory } = await import("@/lib/fleet/inventory");
  const { evaluateAlerts } = await import("./evaluate");
  await getInventory({ refresh: true });
  return evaluateAlerts("poll", Date.now() + minutes * 60_000);
}

/** The signature verifies, and its timestamp is within 5 minutes of the sender's clock (`clockMs`: this test runs it ahead). */
function verified(d: Sink["deliveries"][number], clockMs = Date.now() + 10 * 60_000): boolean {
  const parts = Object.fromEntries((d.headers["x-tether-signature"] ?? "").split(",").map((kv) => kv.split("=") as [string, string]));
  const expected = createHmac("sha256", SECRET).update(`${parts.t}.${d.body}`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected) && Math.abs(clockMs / 1000 - Number(parts.t)) < 300;
}

const about = (uuid: string) => (d: Sink["deliveries"][number]) => d.body.includes(`/connections/${uuid}`);

describe("a connection turned ERROR in AWS: fired, delivered once per channel, resolved", () => {
  test("end to end through the store, the outbox and the emulator's sinks", async () => {
    const { getStore } = await import("@/lib/store");
    const { deliverNotifications } = await import("./deliver");
    await poll(0);
    expect(await getStore().alerts.countFiring()).toBe(0); // seen once: nothing fires yet

    expect((await control(`connections/${target.uuid}/status`, { status: "ERROR" })).status).toBe(200);
    const first = await poll(1);
    // The demo's own ERROR connections are confirmed now; the target is seen once: not yet.
    expect(first?.fire.filter((f) => f.ruleId === "connection-error").map((f) => f.subject.name).sort()).toEqual(["partner-api-bitbucket", "reporting-ado", "search-svc-gitlab", "kiosk-bitbucket"].sort());
    const before = (await getStore().alerts.firing()).length;
    const second = await poll(2);
    const fired = second?.fire.find((f) => f.ruleId === "connection-error" && f.subject.id === target.uuid);
    expect(fired).toMatchObject({ subject: { kind: "connection", id: target.uuid, name: target.name, account: "111111111111", region: "us-east-1" }, notified: true });
    expect((await getStore().alerts.firing()).length).toBeGreaterThan(before);

    // The outbox rows are due at the evaluation's time (two minutes ahead of the real clock here).
    const later = () => Date.now() + 10 * 60_000;
    await deliverNotifications(later);
    const slack = (await sink("slack")).deliveries.filter(about(target.uuid));
    const webhook = (await sink("webhook")).deliveries.filter(about(target.uuid));
    expect(slack).toHaveLength(1);
    expect(webhook).toHaveLength(1);
    expect(webhook.every((d) => verified(d))).toBe(true);
    const body = JSON.parse(webhook[0]?.body ?? "{}") as { type: string; alert: { rule: string; state: string; subject: { id: string }; url: string } };
    expect(body).toMatchObject({ type: "alert.fired", alert: { rule: "connection-error", state: "firing", subject: { id: target.uuid } } });
    expect(body.alert.url).toMatch(/^http:\/\/localhost:3999\/alerts\/\d+$/);
    expect(slack[0]?.body).toContain(body.alert.url);

    // A second delivery pass, and more polls while it still fires, send nothing more.
    await poll(3);
    await deliverNotifications(later);
    expect((await sink("slack")).deliveries.filter(about(target.uuid))).toHaveLength(1);

    await control(`connections/${target.uuid}/status`, { status: "AVAILABLE" });
    await poll(4);
    const resolved = await poll(5);
    expect(resolved?.resolve).toHaveLength(1);
    await deliverNotifications(later);
    const webhooks = (await sink("webhook")).deliveries.filter(about(target.uuid));
    expect(webhooks.map((d) => (JSON.parse(d.body) as { type: string }).type)).toEqual(["alert.fired", "alert.resolved"]);
    expect(webhooks.every((d) => verified(d))).toBe(true);
    expect((await sink("slack")).deliveries.filter(about(target.uuid))).toHaveLength(2);
  });
});

describe("the sender's answers", () => {
  async function oneFiring() {
    const { getStore } = await import("@/lib/store");
    const subject = { kind: "connection" as const, id: target.uuid, name: target.name, account: "111111111111", region: "us-east-1", arn: target.arn, provider: "GitHub" };
    const { configuredChannels } = await import("./channels");
    const channels = configuredChannels().map((c) => c.id);
    const at = new Date().toISOString();
    const event = { rule: "connection-error" as const, ruleTitle: "Connection in ERROR", state: "firing" as const, since: at, firedAt: at, resolvedAt: null, summary: "s", detail: "d", subject, guidance: null };
    const { transitions } = await getStore().alerts.apply({ at, track: [], untrack: [], renotify: [], resolve: [], refresh: [], fire: [{ ruleId: "connection-error", subjectKey: "k", subject, since: at, summary: "s", detail: "d", event, notified: true, note: null, channels }] });
    return { store: getStore(), transitions };
  }

  test("5xx twice, then 200: delivered on the third attempt, after backoff, and received once", async () => {
    await control("sinks/webhook/fail", { status: 503, count: 2 });
    const { deliverNotifications, backoffMs } = await import("./deliver");
    const { store, transitions } = await oneFiring();
    let t = Date.now();
    const now = () => t;
    expect(await deliverNotifications(now)).toEqual({ sent: 1, retried: 1, failed: 0 });
    // Not due before its backoff.
    t += backoffMs(1) - 1_000;
    expect(await deliverNotifications(now)).toEqual({ sent: 0, retried: 0, failed: 0 });
    t += 1_000;
    expect(await deliverNotifications(now)).toEqual({ sent: 0, retried: 1, failed: 0 });
    t += backoffMs(2);
    expect(await deliverNotifications(now)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect((await sink("webhook")).deliveries.map((d) => d.answered)).toEqual([503, 503, 200]);
    expect((await store.alerts.deliveries(transitions)).map((d) => [d.channel.split("-")[0], d.state, d.attempts, d.lastStatus])).toEqual([
      ["slack", "sent", 1, 200],
      ["webhook", "sent", 3, 200],
    ]);
    // Each attempt was signed afresh over the same body.
    const bodies = new Set((await sink("webhook")).deliveries.map((d) => d.body));
    expect(bodies.size).toBe(1);
  });

  test("a 4xx fails at once (a wrong URL is not retried); 5xx forever is given up after MAX_ATTEMPTS", async () => {
    await control("sinks/slack/fail", { status: 404, count: 1 });
    await control("sinks/webhook/fail", { status: 500, count: 1000 });
    const { deliverNotifications, MAX_ATTEMPTS } = await import("./deliver");
    const { store, transitions } = await oneFiring();
    let t = Date.now();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await deliverNotifications(() => t);
      t += 11 * 60_000; // past the longest backoff
    }
    expect((await store.alerts.deliveries(transitions)).map((d) => [d.channel.split("-")[0], d.state, d.attempts, d.lastStatus, d.lastError])).toEqual([
      ["slack", "failed", 1, 404, "HTTP 404: not retried (check the channel's URL)"],
      ["webhook", "failed", MAX_ATTEMPTS, 500, `gave up after ${MAX_ATTEMPTS} attempts: HTTP 500`],
    ]);
    expect((await sink("webhook")).deliveries).toHaveLength(MAX_ATTEMPTS);
    await deliverNotifications(() => t + HOUR_MS);
    expect((await sink("webhook")).deliveries).toHaveLength(MAX_ATTEMPTS);
  });
});

const HOUR_MS = 3_600_000;
