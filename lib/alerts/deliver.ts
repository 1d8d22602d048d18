import "server-only";
import { randomUUID } from "node:crypto";
import { mapLimit } from "@/lib/concurrency";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { DueDelivery } from "@/lib/store/types";
import { configuredChannels, configuredEventBus, type Channel } from "./channels";
import { putEvents } from "@/lib/aws/eventbridge";
import { alertEntry, busScope, deliverStatusEvents, EVENT_SOURCE, sendRows } from "./eventbus";
import { SIGNATURE_HEADER, signature, slackBody, slackTestBody, webhookBody, webhookTestBody, type Links, type Notification } from "./render";

/**
 * The notification outbox's sender. A delivery is taken for one attempt (a lease, so a crash
 * mid-attempt retries it later and nothing else sends it meanwhile), sent, then marked sent;
 * answers 5xx, 429, timeouts and network errors are retried with backoff (5 s doubling, at most
 * 10 min, Retry-After honoured up to that), other answers (3xx, 4xx: a wrong URL or a refused
 * payload) fail at once, and after MAX_ATTEMPTS a delivery is given up and shown as failed.
 */

export const MAX_ATTEMPTS = 10;
export const TIMEOUT_MS = 10_000;
/** How long an attempt holds its delivery: longer than the request can take. */
const LEASE_MS = TIMEOUT_MS + 20_000;
const MAX_BACKOFF_MS = 10 * 60_000;
const CONCURRENCY = 4;
const BATCH = 50;

/** Wait before attempt `attempts + 1`: 5 s, 10 s, 20 s, … at most 10 min. */
export const backoffMs = (attempts: number) => Math.min(MAX_BACKOFF_MS, 5_000 * 2 ** Math.max(0, attempts - 1));

export interface Attempt {
  ok: boolean;
  status: number | null;
  /** Retry later (5xx, 429, timeout, network) rather than give up. */
  retryable: boolean;
  error: string | null;
  /** Retry-After, in ms, when the answer gave one. */
  retryAfterMs: number | null;
}

/** Where notifications link to: Tether's public URL (AUTH_URL), the console template. */
export function links(): Links {
  const url = env().AUTH_URL;
  return { appOrigin: url ? new URL(url).origin : null, consoleTemplate: env().TETHER_CONSOLE_URL };
}

/** Posts a body to a channel; never throws. Redirects are not followed (a webhook that moved is a configuration to fix). */
export async function post(channel: Channel, body: string, headers: Record<string, string> = {}): Promise<Attempt> {
  try {
    const res = await fetch(channel.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Tether-Alerts/1", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { ok: true, status: res.status, retryable: false, error: null, retryAfterMs: null };
    const retryable = res.status === 429 || res.status >= 500;
    const after = Number(res.headers.get("retry-after"));
    return { ok: false, status: res.status, retryable, error: `HTTP ${res.status}${retryable ? "" : ": not retried (check the channel's URL)"}`, retryAfterMs: Number.isFinite(after) && after > 0 ? after * 1000 : null };
  } catch (e) {
    const name = e instanceof Error ? e.name : "";
    const message = name === "TimeoutError" || name === "AbortError" ? `no answer within ${TIMEOUT_MS / 1000} s` : e instanceof Error ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ""}` : String(e);
    return { ok: false, status: null, retryable: true, error: message, retryAfterMs: null };
  }
}

/** The request a channel gets for a notification: Slack's message, or the signed webhook body. */
export function request(channel: Channel, n: Notification, deliveryId: number | string, nowSeconds: number): { body: string; headers: Record<string, string> } {
  if (channel.kind === "slack") return { body: slackBody(n, links()), headers: {} };
  const body = webhookBody(n, links());
  return { body, headers: signedHeaders(body, `alert.${n.kind}`, deliveryId, nowSeconds) };
}

function signedHeaders(body: string, type: string, deliveryId: number | string, nowSeconds: number): Record<string, string> {
  const secret = env().TETHER_NOTIFY_WEBHOOK_SECRET ?? "";
  return { [SIGNATURE_HEADER.toLowerCase()]: signature(secret, body, nowSeconds), "x-tether-event": type, "x-tether-delivery": String(deliveryId) };
}

async function deliverOne(d: DueDelivery, channels: Map<string, Channel>, now: () => number): Promise<"sent" | "retried" | "failed" | "skipped"> {
  const store = getStore().alerts;
  const startedAt = now();
  const at = new Date(startedAt).toISOString();
  const channel = channels.get(d.channel);
  if (!channel) {
    await store.failDelivery(d.id, null, "this channel is no longer configured", at);
    return "failed";
  }
  if (d.transition.kind !== "fired" && d.transition.kind !== "renotified" && d.transition.kind !== "resolved") {
    await store.failDelivery(d.id, null, `a ${d.transition.kind} transition is not notified`, at);
    return "failed";
  }
  if (!(await store.claimDelivery(d.id, at, new Date(startedAt + LEASE_MS).toISOString()))) return "skipped";
  const attempts = d.attempts + 1;
  const n: Notification = { alertId: d.transition.alertId, transitionId: d.transition.id, kind: d.transition.kind, at: d.transition.at, event: d.transition.event };
  const { body, headers } = request(channel, n, d.id, Math.floor(startedAt / 1000));
  const result = await post(channel, body, headers);
  const done = new Date(now()).toISOString();
  if (result.ok) {
    await store.markDelivered(d.id, result.status ?? 200, done);
    return "sent";
  }
  const error = result.error ?? "failed";
  if (!result.retryable || attempts >= MAX_ATTEMPTS) {
    await store.failDelivery(d.id, result.status, result.retryable ? `gave up after ${attempts} attempts: ${error}` : error, done);
    console.warn(`[tether] alerts: delivery ${d.id} to ${channel.label} failed: ${error}`);
    return "failed";
  }
  const wait = Math.min(MAX_BACKOFF_MS, Math.max(backoffMs(attempts), result.retryAfterMs ?? 0));
  await store.retryDelivery(d.id, new Date(now() + wait).toISOString(), result.status, error);
  return "retried";
}

/** The due deliveries to the event bus: claimed, then sent together in PutEvents batches. */
async function deliverToBus(due: DueDelivery[], channel: Channel | undefined, now: () => number): Promise<DeliveryResult> {
  const store = getStore().alerts;
  const bus = configuredEventBus();
  const total: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  const rows = [];
  for (const d of due) {
    const at = new Date(now()).toISOString();
    if (!channel || !bus) {
      await store.failDelivery(d.id, null, "this channel is no longer configured", at);
      total.failed++;
      continue;
    }
    if (d.transition.kind !== "fired" && d.transition.kind !== "renotified" && d.transition.kind !== "resolved") {
      await store.failDelivery(d.id, null, `a ${d.transition.kind} transition is not notified`, at);
      total.failed++;
      continue;
    }
    if (!(await store.claimDelivery(d.id, at, new Date(now() + LEASE_MS).toISOString()))) continue;
    const attempts = d.attempts + 1;
    rows.push({
      entry: alertEntry(bus, d, links()),
      attempts,
      sent: () => store.markDelivered(d.id, 200, new Date(now()).toISOString()),
      retry: (error: string) => store.retryDelivery(d.id, new Date(now() + backoffMs(attempts)).toISOString(), null, error),
      fail: (error: string) => store.failDelivery(d.id, null, error, new Date(now()).toISOString()),
    });
  }
  if (rows.length === 0 || !bus) return total;
  const r = await sendRows(rows, MAX_ATTEMPTS, busScope(bus));
  return { sent: total.sent + r.sent, retried: total.retried + r.retried, failed: total.failed + r.failed };
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Sends every due delivery (a few at a time). One pass at a time per process: a call while one
 * runs makes it go round once more instead. Rejects when the outbox cannot be read or written (the
 * database unreachable): the background job (lib/repeat.ts) tries again with backoff, and a
 * delivery taken meanwhile is due again when its lease ends.
 */
export function deliverNotifications(now: () => number = Date.now): Promise<DeliveryResult> {
  const state = singleton("alerts:deliver", () => ({ running: null as Promise<DeliveryResult> | null, again: false }));
  if (state.running) {
    state.again = true;
    return state.running;
  }
  state.running = (async () => {
    const total: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
    const channels = new Map(configuredChannels().map((c) => [c.id, c]));
    do {
      state.again = false;
      let due: DueDelivery[];
      do {
        due = await getStore().alerts.dueDeliveries(new Date(now()).toISOString(), BATCH);
        const isBus = (d: DueDelivery) => d.channel.startsWith("eventbridge-");
        for (const outcome of await mapLimit(due.filter((d) => !isBus(d)), CONCURRENCY, (d) => deliverOne(d, channels, now))) if (outcome !== "skipped") total[outcome]++;
        const toBus = due.filter(isBus);
        for (const channelId of new Set(toBus.map((d) => d.channel))) {
          const r = await deliverToBus(toBus.filter((d) => d.channel === channelId), channels.get(channelId), now);
          total.sent += r.sent;
          total.retried += r.retried;
          total.failed += r.failed;
        }
      } while (due.length === BATCH);
      // Status changes for the event bus (event_outbox), in the same pass.
      const events = await deliverStatusEvents({ now, leaseMs: LEASE_MS, maxAttempts: MAX_ATTEMPTS, backoffMs, batch: BATCH });
      total.sent += events.sent;
      total.retried += events.retried;
      total.failed += events.failed;
    } while (state.again);
    return total;
  })().finally(() => {
    state.running = null;
  });
  return state.running;
}

/** A test message to one channel, now (not through the outbox): what the channel answered. */
export async function sendTest(channel: Channel, sentBy: string): Promise<Attempt> {
  const at = new Date().toISOString();
  const id = `tether-test-${randomUUID()}`;
  if (channel.kind === "slack") return post(channel, slackTestBody(sentBy, at));
  const bus = configuredEventBus();
  if (channel.kind === "eventbridge" && bus) {
    const entry = { busArn: bus.arn, source: EVENT_SOURCE, detailType: "Tether Test Notification", detail: webhookTestBody(id, at, sentBy), resources: [], time: at };
    const [outcome] = await putEvents(busScope(bus), [entry]);
    return outcome?.ok ? { ok: true, status: 200, retryable: false, error: null, retryAfterMs: null } : { ok: false, status: null, retryable: true, error: outcome?.error ?? "no answer", retryAfterMs: null };
  }
  const body = webhookTestBody(id, at, sentBy);
  return post(channel, body, signedHeaders(body, "test", id, Math.floor(Date.now() / 1000)));
}
