import { createHmac, timingSafeEqual } from "node:crypto";
import { DEMO_NOTIFY_SECRET, DEMO_SINKS } from "../scripts/demo-env.mjs";
import { DEMO_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { alertsFromApi, AlertPage, AlertRulesPage, AlertsPage, type ApiAlert } from "./pages/alerts";
import { auditRecords } from "./pages/audit";
import { AppShell } from "./pages/shell";
import type { EmulatorControl, SinkDelivery } from "./support/emulator";
import { APP_ORIGIN } from "./support/ports";
import type { APIRequestContext } from "@playwright/test";

/**
 * Alerts end to end: AWS (the emulator) changes a connection's status, Tether's poller (every 5 s
 * in this file's app, e2e/support/app-env.ts) sees it, the alert fires after two polls, and the
 * outbox delivers it to the emulator's Slack and webhook sinks (the channels of the e2e app).
 */
test.describe.configure({ timeout: 150_000 });

interface WebhookBody {
  version: string;
  id: string;
  type: string;
  alert: { id: number; rule: string; state: string; url: string; subject: { kind: string; id: string; name: string } };
}

const webhookOf = (d: SinkDelivery) => JSON.parse(d.body) as WebhookBody;
/** Messages about one connection: Slack's link to it, the webhook's subject. */
const slackAbout = (uuid: string) => (d: SinkDelivery) => d.body.includes(`/connections/${uuid}`);
const webhookAbout = (uuid: string) => (d: SinkDelivery) => webhookOf(d).alert?.subject.kind === "connection" && webhookOf(d).alert.subject.id === uuid;

/** The webhook's signature verifies with the shared secret (node:crypto, as a receiver would) and is fresh. */
function signatureVerifies(d: SinkDelivery): boolean {
  const parts = Object.fromEntries((d.headers["x-tether-signature"] ?? "").split(",").map((kv) => kv.split("=") as [string, string]));
  const t = Number(parts.t);
  const expected = createHmac("sha256", DEMO_NOTIFY_SECRET).update(`${t}.${d.body}`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return Number.isInteger(t) && Math.abs(Date.now() / 1000 - t) < 300 && given.length === expected.length && timingSafeEqual(given, expected);
}

async function firingAlert(api: APIRequestContext, rule: string, subjectId: string): Promise<ApiAlert> {
  let found: ApiAlert | undefined;
  await expect
    .poll(async () => (found = (await alertsFromApi(api, { state: "firing", rule })).find((a) => a.subject.id === subjectId))?.id, { timeout: 60_000, message: `a firing ${rule} alert on ${subjectId}` })
    .toBeDefined();
  return found as ApiAlert;
}

async function accepted(emulator: EmulatorControl, sink: string, about: (d: SinkDelivery) => boolean): Promise<SinkDelivery[]> {
  return (await emulator.sink(sink)).filter((d) => d.answered === 200 && about(d));
}

test.describe("as alice (admin)", () => {
  test.use({ user: "alice" });

  test("a connection set to ERROR fires an alert delivered once to Slack and once, signed, to the webhook; after a restart, AVAILABLE resolves it with one more each", async ({ page, request, emulator, app }) => {
    const target = DEMO_CASES.flipTarget;
    await emulator.setConnectionStatus(target.uuid, "ERROR");
    const alert = await firingAlert(request, "connection-error", target.uuid);
    expect(alert.subject).toEqual({ kind: "connection", id: target.uuid, name: target.name, account: target.account, region: target.region, arn: target.arn, provider: "GitHub" });

    // Each channel receives exactly one message, the webhook's signed.
    await expect.poll(async () => [(await accepted(emulator, DEMO_SINKS.slack, slackAbout(target.uuid))).length, (await accepted(emulator, DEMO_SINKS.webhook, webhookAbout(target.uuid))).length], { timeout: 30_000 }).toEqual([1, 1]);
    const [hook] = await accepted(emulator, DEMO_SINKS.webhook, webhookAbout(target.uuid));
    if (!hook) throw new Error("no webhook delivery");
    expect(signatureVerifies(hook)).toBe(true);
    expect(signatureVerifies({ ...hook, body: hook.body.replace("firing", "resolved") })).toBe(false);
    expect(webhookOf(hook)).toMatchObject({ version: "1", type: "alert.fired", alert: { id: alert.id, rule: "connection-error", state: "firing", url: `${APP_ORIGIN}/alerts/${alert.id}`, subject: { id: target.uuid, name: target.name } } });
    const [slack] = await accepted(emulator, DEMO_SINKS.slack, slackAbout(target.uuid));
    expect(slack?.body).toContain(`${APP_ORIGIN}/alerts/${alert.id}`);
    expect(JSON.parse(slack?.body ?? "{}")).toMatchObject({ text: `[FIRING] Connection ${target.name} is ERROR` });

    // The page shows it firing, with its subject and the deliveries; the navigation counts it.
    const alerts = new AlertsPage(page);
    await alerts.goto({ state: "firing" });
    await expect(alerts.state(alert.id)).toHaveText("firing");
    await expect(alerts.subject(alert.id)).toHaveText(target.name);
    await expect.poll(() => alerts.deliveries(alert.id)).toEqual(Object.fromEntries(alert.deliveries.map((d) => [d.channel, "sent"])));
    expect(Object.keys(await alerts.deliveries(alert.id))).toHaveLength(2);
    const shell = new AppShell(page);
    await expect(shell.alertsBadge).toHaveText(/^\d+ firing$/);
    // On a phone the links are behind the Menu button, which carries the count too.
    const firing = /^\d+/.exec((await shell.alertsBadge.textContent()) ?? "")?.[0];
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(shell.menuBadge).toBeVisible();
    await expect(shell.menuBadge).toHaveText(`${firing} alerts firing`);
    await page.setViewportSize({ width: 1280, height: 720 });

    // A restart between firing and resolving: nothing is sent again.
    await app.restart();
    await emulator.setConnectionStatus(target.uuid, "AVAILABLE");
    await expect.poll(async () => (await alertsFromApi(request, { rule: "connection-error" })).find((a) => a.id === alert.id)?.state, { timeout: 60_000 }).toBe("resolved");
    await expect.poll(async () => [(await accepted(emulator, DEMO_SINKS.slack, slackAbout(target.uuid))).length, (await accepted(emulator, DEMO_SINKS.webhook, webhookAbout(target.uuid))).length], { timeout: 30_000 }).toEqual([2, 2]);
    const hooks = await accepted(emulator, DEMO_SINKS.webhook, webhookAbout(target.uuid));
    expect(hooks.map((d) => [webhookOf(d).type, webhookOf(d).alert.id])).toEqual([
      ["alert.fired", alert.id],
      ["alert.resolved", alert.id],
    ]);
    expect(hooks.every(signatureVerifies)).toBe(true);
    expect(new Set(hooks.map((d) => webhookOf(d).id)).size).toBe(2);
    // No other alert about it fired, before or after the restart.
    expect((await alertsFromApi(request, { rule: "connection-error" })).filter((a) => a.subject.id === target.uuid).map((a) => a.id)).toEqual([alert.id]);

    const detail = new AlertPage(page);
    await detail.goto(alert.id);
    await expect(detail.state()).toHaveText("resolved");
    expect(await detail.transitions()).toEqual(["fired", "resolved"]);
  });

  test("a sink that fails twice and then answers 200 gets the message once, on the third attempt", async ({ request, emulator }) => {
    const target = DEMO_CASES.retryTarget;
    // Only this connection's messages fail (the body names its subject so), whatever else is being delivered.
    await emulator.failSink(DEMO_SINKS.webhook, { status: 503, count: 2, match: `"kind":"connection","id":"${target.uuid}"` });
    await emulator.setConnectionStatus(target.uuid, "ERROR");
    const alert = await firingAlert(request, "connection-error", target.uuid);
    await expect.poll(async () => (await accepted(emulator, DEMO_SINKS.webhook, webhookAbout(target.uuid))).length, { timeout: 60_000 }).toBe(1);
    const all = (await emulator.sink(DEMO_SINKS.webhook)).filter(webhookAbout(target.uuid));
    expect(all.map((d) => d.answered)).toEqual([503, 503, 200]);
    expect(new Set(all.map((d) => d.body)).size).toBe(1);
    expect(all.every(signatureVerifies)).toBe(true);
    const webhook = (await alertsFromApi(request, { state: "firing", rule: "connection-error" })).find((a) => a.id === alert.id)?.deliveries.find((d) => d.channel.startsWith("webhook-"));
    expect(webhook).toMatchObject({ state: "sent", attempts: 3, lastStatus: 200 });
    // Slack was not failing: one message, first time.
    expect((await emulator.sink(DEMO_SINKS.slack)).filter(slackAbout(target.uuid)).map((d) => d.answered)).toEqual([200]);
  });

  test("acknowledge and silence from the alert's page (audited); a bad body is 400; a cross-site POST is refused", async ({ page, request }) => {
    const any = (await firingAlert(request, "connection-error", DEMO_CASES.errorConnection.uuid)).id;
    const detail = new AlertPage(page);
    await detail.goto(any);
    await expect(detail.guidance).toContainText("An Owner of the GitLab group");
    await detail.acknowledge(any, "looking at the GitLab app");
    await expect(detail.acknowledged).toContainText("Acknowledged by alice@example.com");
    await expect(detail.acknowledged).toContainText("looking at the GitLab app");
    await detail.silence(any, "4 h", "vendor maintenance");
    await expect(detail.actionResult).toHaveText("Silenced for 4 h.");
    await expect.poll(() => detail.transitions()).toEqual(["fired", "acknowledged", "silenced"]);

    const bad = await request.post(`/api/alerts/${any}/silence`, { headers: { origin: APP_ORIGIN }, data: { reason: "x", hours: 2, until: "2030-01-01T00:00:00Z" } });
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toEqual({ error: "give either until (an ISO 8601 time) or hours, not both" });
    const crossSite = await request.post(`/api/alerts/${any}/acknowledge`, { headers: { origin: "http://localhost:1" }, data: { reason: "forged" } });
    expect(crossSite.status()).toBe(403);

    const mine = async (action: string) => (await auditRecords(request, { action, actor: "alice@example.com" })).filter((r) => r.target === String(any)).map((r) => [r.outcome, r.detail]);
    expect(await mine("alert.acknowledge")).toEqual([["allowed", "looking at the GitLab app"]]);
    expect(await mine("alert.silence")).toEqual([["allowed", expect.stringMatching(/^until \S+: vendor maintenance$/) as unknown as string]]);
    expect((await auditRecords(request, { action: "request.cross-site" })).some((r) => r.target === `POST /api/alerts/${any}/acknowledge`)).toBe(true);
  });

  test("an alert's page reads on a phone: stacked, long ARNs wrapped, no sideways scrolling", async ({ page, request }) => {
    const id = (await firingAlert(request, "connection-error", DEMO_CASES.errorConnection.uuid)).id;
    await page.setViewportSize({ width: 360, height: 740 });
    const detail = new AlertPage(page);
    await detail.goto(id);
    await expect(detail.heading).toHaveText(`Connection ${DEMO_CASES.errorConnection.name} is ERROR`);
    await expect(detail.arn).toHaveText(DEMO_CASES.errorConnection.arn);
    expect(await detail.fitsWidth(detail.arn)).toBe(true);
    expect(await detail.fitsWidth(detail.timeline)).toBe(true);
    expect(await detail.contentOverflows()).toBe(false);
  });

  test("rules: an admin raises a threshold (stored, audited) and sends a test notification to each channel", async ({ page, request, emulator }) => {
    const rules = new AlertRulesPage(page);
    await rules.goto();
    await rules.threshold("Connection PENDING too long", "PENDING for longer than").fill("48");
    await rules.save("Connection PENDING too long");
    await expect(rules.result("Connection PENDING too long")).toHaveText("Saved.");
    await page.reload();
    await expect(rules.threshold("Connection PENDING too long", "PENDING for longer than")).toHaveValue("48");
    expect((await auditRecords(request, { action: "alert.rule.update" })).map((r) => [r.target, r.detail])).toEqual([["connection-pending", "hours 24 → 48"]]);

    await expect(await rules.sendTest("Slack")).toHaveText("Delivered (HTTP 200).");
    await expect(await rules.sendTest("Webhook")).toHaveText("Delivered (HTTP 200).");
    const tests = (await emulator.sink(DEMO_SINKS.webhook)).filter((d) => webhookOf(d).type === "test");
    expect(tests).toHaveLength(1);
    expect(signatureVerifies(tests[0] as SinkDelivery)).toBe(true);
    expect((await auditRecords(request, { action: "alert.notify.test" })).map((r) => r.outcome)).toEqual(["completed", "completed"]);
  });
});

test.describe("as bob (viewer)", () => {
  test.use({ user: "bob" });

  test("bob sees /alerts and the rules but cannot acknowledge: 403, audited, whatever he sends", async ({ page, request, app }) => {
    const alert = await firingAlert(request, "connection-error", DEMO_CASES.errorConnection.uuid);
    const before = alert.acknowledged;
    const alerts = new AlertsPage(page);
    await alerts.goto();
    await expect(alerts.row(alert.id)).toBeVisible();
    expect((await alerts.states())[0]).toBe("firing");
    await expect(alerts.acknowledgeButtons).toHaveCount(0);
    const rules = new AlertRulesPage(page);
    await rules.goto();
    await expect(rules.rule("connection-error")).toContainText("Enabled");
    await expect(rules.form("Connection in ERROR")).toHaveCount(0);
    await expect(rules.testButtons()).toHaveCount(0);

    for (const data of [{ reason: "trying" }, { nonsense: true }]) {
      const res = await request.post(`/api/alerts/${alert.id}/acknowledge`, { headers: { origin: APP_ORIGIN }, data });
      expect(res.status()).toBe(403);
      expect(await res.json()).toEqual({ error: "admins only" });
    }
    expect((await request.post(`/api/alerts/${alert.id}/silence`, { headers: { origin: APP_ORIGIN }, data: { hours: 1, reason: "x" } })).status()).toBe(403);
    expect((await alertsFromApi(request, { state: "firing" })).find((a) => a.id === alert.id)?.acknowledged).toEqual(before);

    const alice = await app.context("alice");
    const refused = await auditRecords(alice.request, { actor: "bob@example.com", outcome: "refused" });
    expect(refused.filter((r) => r.action === "alert.acknowledge").map((r) => [r.target, r.actorRole, r.detail])).toEqual([[String(alert.id), "viewer", "role viewer"]]);
    expect(refused.some((r) => r.action === "alert.silence")).toBe(true);
  });
});
