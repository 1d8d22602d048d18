import "server-only";
import { putEvents, batches, type BusEntry } from "@/lib/aws/eventbridge";
import { getStore } from "@/lib/store";
import { ALERT_STATE_CHANGE } from "@/lib/store/status-events";
import type { DueDelivery, OutboxEvent } from "@/lib/store/types";
import type { Scope } from "@/lib/types";
import { configuredEventBus, type EventBus } from "./channels";
import { webhookBody, type Links } from "./render";

/**
 * The event bus channel (TETHER_NOTIFY_EVENT_BUS): Tether's events go to EventBridge with PutEvents,
 * source `tether`, from two outboxes — alert transitions are the bus's deliveries in
 * notification_outbox (detail-type "Tether Alert State Change", the webhook body as detail), status
 * changes are event_outbox rows written with their history entry ("Tether Connection Status Change",
 * "Tether Host Status Change"). Each pass claims due rows (a lease, as for the other channels),
 * packs them into calls of at most 10 entries and 256 KB by AWS's entry size (lib/aws/eventbridge.ts),
 * and reads each entry's answer: an EventId marks it sent, an ErrorCode is retried with backoff
 * (given up after MAX_ATTEMPTS), a failed call retries all its entries.
 */

export const EVENT_SOURCE = "tether";

/** The scope whose credentials put events on the bus. */
export const busScope = (bus: EventBus): Scope => ({ account: bus.account, region: bus.region, ...(bus.roleArn ? { roleArn: bus.roleArn } : {}) });

export function alertEntry(bus: EventBus, d: DueDelivery, links: Links): BusEntry {
  const t = d.transition;
  const detail = webhookBody({ alertId: t.alertId, transitionId: t.id, kind: t.kind as "fired" | "renotified" | "resolved", at: t.at, event: t.event }, links);
  return { busArn: bus.arn, source: EVENT_SOURCE, detailType: ALERT_STATE_CHANGE, detail, resources: t.event.subject.arn ? [t.event.subject.arn] : [], time: t.at };
}

export function statusEntry(bus: EventBus, e: OutboxEvent): BusEntry {
  return { busArn: bus.arn, source: EVENT_SOURCE, detailType: e.detailType, detail: e.detail, resources: e.resources, time: e.occurredAt };
}

export interface BusOutcome {
  sent: number;
  retried: number;
  failed: number;
}

/** How a claimed row ends: sent, or retried at `nextAt`, or given up. */
interface Row {
  entry: BusEntry;
  attempts: number;
  sent(): Promise<void>;
  retry(error: string): Promise<void>;
  fail(error: string): Promise<void>;
}

/**
 * Sends claimed rows in batches, one call after the other (so a pass puts its events in the order
 * they were queued), and records each entry's outcome.
 */
export async function sendRows(rows: Row[], maxAttempts: number, scope: Scope): Promise<BusOutcome> {
  const total: BusOutcome = { sent: 0, retried: 0, failed: 0 };
  for (const batch of batches(rows, (r) => r.entry)) {
    const outcomes = await putEvents(scope, batch.map((r) => r.entry));
    for (const [i, o] of outcomes.entries()) {
      const row = batch[i] as Row;
      if (o.ok) {
        await row.sent();
        total.sent++;
      } else if (row.attempts >= maxAttempts) {
        await row.fail(`gave up after ${row.attempts} attempts: ${o.error}`);
        console.warn(`[tether] events: gave up on an event for the bus: ${o.error}`);
        total.failed++;
      } else {
        await row.retry(o.error);
        total.retried++;
      }
    }
  }
  return total;
}

/** The status-change events due now: claimed, sent, recorded. Nothing when no bus is configured. */
export async function deliverStatusEvents(opts: { now: () => number; leaseMs: number; maxAttempts: number; backoffMs: (attempts: number) => number; batch: number }): Promise<BusOutcome> {
  const bus = configuredEventBus();
  const total: BusOutcome = { sent: 0, retried: 0, failed: 0 };
  if (!bus) return total;
  const store = getStore().alerts;
  let due: OutboxEvent[];
  do {
    const nowIso = new Date(opts.now()).toISOString();
    due = await store.dueEvents(nowIso, opts.batch);
    const claimed: Row[] = [];
    for (const e of due) {
      if (!(await store.claimEvent(e.id, nowIso, new Date(opts.now() + opts.leaseMs).toISOString()))) continue;
      const attempts = e.attempts + 1;
      claimed.push({
        entry: statusEntry(bus, e),
        attempts,
        sent: () => store.eventSent(e.id, new Date(opts.now()).toISOString()),
        retry: (error) => store.retryEvent(e.id, new Date(opts.now() + opts.backoffMs(attempts)).toISOString(), error),
        fail: (error) => store.failEvent(e.id, error, new Date(opts.now()).toISOString()),
      });
    }
    const r = await sendRows(claimed, opts.maxAttempts, busScope(bus));
    total.sent += r.sent;
    total.retried += r.retried;
    total.failed += r.failed;
  } while (due.length === opts.batch);
  return total;
}
