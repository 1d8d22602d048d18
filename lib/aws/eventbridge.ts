import "server-only";
import { PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import type { Scope } from "@/lib/types";
import { eventBridgeClient } from "./clients";
import { toAppError } from "./errors";

/**
 * PutEvents for Tether's event bus channel: entries in Tether's own shape, packed into calls
 * EventBridge accepts (at most 10 entries and 256 KB each, by AWS's entry size), and each entry's
 * answer read back.
 */

export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 256 * 1024;

export interface BusEntry {
  busArn: string;
  source: string;
  detailType: string;
  /** JSON text of an object. */
  detail: string;
  resources: string[];
  /** ISO 8601. */
  time: string;
}

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

/** AWS's size of an entry ("Calculating PutEvents event entry size"): 14 for the Time, then Source, DetailType, Detail and each Resource in UTF-8 bytes. */
export function entrySize(e: BusEntry): number {
  return 14 + utf8(e.source) + utf8(e.detailType) + utf8(e.detail) + e.resources.reduce((n, r) => n + utf8(r), 0);
}

/** Consecutive batches of at most 10 entries and 256 KB; an entry over 256 KB alone is a batch of its own (EventBridge refuses it: it fails). */
export function batches<T>(items: readonly T[], entry: (t: T) => BusEntry): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = entrySize(entry(item));
    if (current.length > 0 && (current.length >= MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

export type EntryOutcome = { ok: true } | { ok: false; error: string };

const toSdk = (e: BusEntry): PutEventsRequestEntry => ({ EventBusName: e.busArn, Source: e.source, DetailType: e.detailType, Detail: e.detail, Resources: e.resources, Time: new Date(e.time) });

/**
 * One PutEvents call through `scope`'s credentials (or role); per entry, what EventBridge answered:
 * an EventId is ok, an ErrorCode is that failure. A call that fails fails every entry with its
 * reason (already retried by the SDK: 3 attempts).
 */
export async function putEvents(scope: Scope, entries: BusEntry[]): Promise<EntryOutcome[]> {
  try {
    const out = await eventBridgeClient(scope).send(new PutEventsCommand({ Entries: entries.map(toSdk) }));
    return entries.map((_, i) => {
      const r = out.Entries?.[i];
      if (r?.EventId && !r.ErrorCode) return { ok: true };
      return { ok: false, error: r?.ErrorCode ? `${r.ErrorCode}: ${r.ErrorMessage ?? ""}`.trim() : "no answer for this entry" };
    });
  } catch (e) {
    const error = toAppError(e, "PutEvents").message;
    return entries.map(() => ({ ok: false, error }));
  }
}
