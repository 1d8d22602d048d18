import type { HistoryEntry } from "@/lib/types";
import type { ListingKey, ObservedResource, ResourceRecord } from "@/lib/store/types";

/**
 * What one complete listing changes, decided once for both engines (HistoryRepo.recordListing):
 * each engine only reads `current` and `firstComplete` in its transaction and writes the plan.
 */
export interface ListingPlan {
  /** Resources seen for the first time. */
  inserts: ObservedResource[];
  /** Resources seen again: their fields are refreshed, `since` is their status_since from now on. */
  updates: (ObservedResource & { since: string })[];
  /** Resources missing from the listing: marked deleted. */
  deletes: ResourceRecord[];
  /** History entries to append, in this order (their seq follows it). */
  entries: Omit<HistoryEntry, "seq">[];
}

/** Resources are matched by Region and case-insensitive id (AWS answers either case). */
const keyOf = (r: { region: string; id: string }) => `${r.region}/${r.id.toLowerCase()}`;

/**
 * `current`: the stored resources the listing covers (its kind and account, and Region for a
 * regional listing), deleted ones included. `firstComplete`: no complete listing of this key was
 * recorded before, so what it finds is the initial state rather than changes.
 */
export function planListing(listing: ListingKey, items: ObservedResource[], current: ResourceRecord[], firstComplete: boolean, at: string): ListingPlan {
  const plan: ListingPlan = { inserts: [], updates: [], deletes: [], entries: [] };
  const stored = new Map(current.map((r) => [keyOf(r), r] as const));
  const log = (r: { kind: ObservedResource["kind"]; account: string; region: string; id: string; name: string }, from: string | null, to: string, initial: boolean) => {
    plan.entries.push({ kind: r.kind, account: r.account, region: r.region, id: r.id, name: r.name, fromStatus: from, toStatus: to, at, initial });
  };
  const seen = new Set<string>();
  for (const item of items) {
    // A listing answers for its own kind, account (and Region) only.
    if (item.kind !== listing.kind || item.account !== listing.account || (listing.region !== null && item.region !== listing.region)) continue;
    const k = keyOf(item);
    if (seen.has(k)) continue;
    seen.add(k);
    const before = stored.get(k);
    // The stored id keeps its case: it is part of the row's key.
    const row: ObservedResource = { kind: item.kind, account: item.account, region: item.region, id: before?.id ?? item.id, arn: item.arn, name: item.name, provider: item.provider, status: item.status };
    if (!before) {
      plan.inserts.push(row);
      log(row, null, item.status, firstComplete);
    } else if (before.deletedAt || before.status !== item.status) {
      plan.updates.push({ ...row, since: at });
      log(row, before.deletedAt ? "DELETED" : before.status, item.status, false);
    } else {
      plan.updates.push({ ...row, since: before.statusSince });
    }
  }
  for (const [k, r] of stored) {
    if (seen.has(k) || r.deletedAt) continue;
    plan.deletes.push(r);
    log(r, r.status, "DELETED", false);
  }
  return plan;
}
