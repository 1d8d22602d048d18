import type { HistoryEntry } from "@/lib/types";
import type { ListingPlan } from "./listing";

/**
 * The EventBridge events a complete listing's history entries become (HistoryRepo.recordListing
 * with `events`): one per status transition Tether observed — a resource's status changed, it
 * appeared after the first listing, or it disappeared (to "DELETED") or came back. The state a
 * first listing finds (`initial` entries) is not a transition and sends nothing. Both engines
 * insert these rows in the transaction that appends the entries; `event_key` (the entry's seq)
 * is unique, so an event is never queued twice. The detail is documented in docs/events.md.
 */

export const STATUS_EVENT_VERSION = "1";
export const CONNECTION_STATUS_CHANGE = "Tether Connection Status Change";
export const HOST_STATUS_CHANGE = "Tether Host Status Change";
export const ALERT_STATE_CHANGE = "Tether Alert State Change";

export interface NewOutboxEvent {
  eventKey: string;
  detailType: string;
  resources: string[];
  /** The detail object, JSON-encoded. */
  detail: string;
  occurredAt: string;
}

export interface StatusChangeDetail {
  version: string;
  eventId: string;
  kind: "connection" | "host";
  account: string;
  region: string;
  /** A connection's UUID; a host's id (the last segment of its ARN). */
  id: string;
  arn: string;
  name: string;
  provider: string;
  /** null when Tether saw the resource for the first time; "DELETED" when it came back. */
  from: string | null;
  /** A status, or "DELETED" when a complete listing no longer had it. */
  to: string;
  observedAt: string;
}

const keyOf = (r: { region: string; id: string }) => `${r.region}/${r.id.toLowerCase()}`;

export function statusEvents(plan: ListingPlan, written: readonly HistoryEntry[]): NewOutboxEvent[] {
  const known = new Map<string, { arn: string; provider: string }>();
  for (const r of [...plan.inserts, ...plan.updates, ...plan.deletes]) known.set(keyOf(r), { arn: r.arn, provider: r.provider });
  return written
    .filter((e) => !e.initial)
    .map((e) => {
      const r = known.get(keyOf(e));
      const detail: StatusChangeDetail = {
        version: STATUS_EVENT_VERSION,
        eventId: `tether-status-${e.seq}`,
        kind: e.kind === "host" ? "host" : "connection",
        account: e.account,
        region: e.region,
        id: e.id,
        arn: r?.arn ?? "",
        name: e.name,
        provider: r?.provider ?? "",
        from: e.fromStatus,
        to: e.toStatus,
        observedAt: e.at,
      };
      return {
        eventKey: `status-${e.seq}`,
        detailType: detail.kind === "host" ? HOST_STATUS_CHANGE : CONNECTION_STATUS_CHANGE,
        resources: detail.arn ? [detail.arn] : [],
        detail: JSON.stringify(detail),
        occurredAt: e.at,
      };
    });
}
