import "server-only";
import { getStore } from "@/lib/store";
import { CONNECTION_STATUSES, type AccountSummary, type FleetHealth, type ListingProblem, type ScopeSummary } from "@/lib/types";
import type { AccountListing, Inventory, ScopeListing } from "./inventory";

/**
 * The health of the fleet's listings as pages show it: each account's connection listing (which
 * Region answered, which failed), each scope's hosts and pipelines, and what failed.
 */

export type StatusCounts = Record<string, number>;

export function countByStatus(items: readonly { status: string }[]): StatusCounts {
  const counts: StatusCounts = Object.fromEntries(CONNECTION_STATUSES.map((s) => [s, 0]));
  for (const i of items) counts[i.status] = (counts[i.status] ?? 0) + 1;
  return counts;
}

const freshness = (l: { error: { message: string } | null; asOf: string | null; checkedAt: string; stale: boolean }) => ({ ok: l.error === null, error: l.error?.message ?? null, asOf: l.asOf, checkedAt: l.checkedAt, stale: l.stale });

export function summarizeAccount(a: AccountListing, watched: ReadonlySet<string>): AccountSummary {
  return {
    ...freshness(a),
    account: a.account,
    viaRole: a.viaRole,
    regions: a.regions,
    answeredBy: a.answeredBy,
    failedRegions: a.failedRegions,
    connections: a.connections.length,
    byStatus: countByStatus(a.connections),
    unwatchedHomeRegions: [...new Set(a.connections.map((c) => c.region).filter((r) => !watched.has(`${a.account}/${r}`)))].sort(),
  };
}

/** Connections per home Region (`account/region`), counted once for every scope's summary. */
export function homeCounts(inv: Inventory): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of inv.connections) counts.set(`${c.account}/${c.region}`, (counts.get(`${c.account}/${c.region}`) ?? 0) + 1);
  return counts;
}

export function summarizeScope(l: ScopeListing, home: ReadonlyMap<string, number>, pipelines: ReadonlyMap<string, number>, mapped: ReadonlyMap<string, string>): ScopeSummary {
  return {
    ...freshness(l),
    key: l.key,
    account: l.scope.account,
    region: l.scope.region,
    viaRole: Boolean(l.scope.roleArn),
    hosts: l.hosts.length,
    homeConnections: home.get(`${l.scope.account}/${l.scope.region}`) ?? 0,
    pipelines: mapped.has(l.key) ? (pipelines.get(l.key) ?? 0) : null,
  };
}

/** Listings the overview shows before "Show all": enough for every problem of a small fleet, and a page that stays small for a large one. */
export const LISTINGS_SHOWN = 25;

/**
 * The listings a page shows: those that failed first, then stale ones, then the others, each group
 * in configuration order; at most `limit` unless `all`. `total` is how many there are.
 */
export function worstListingsFirst<T extends { ok: boolean; stale: boolean }>(listings: readonly T[], all: boolean, limit = LISTINGS_SHOWN): { shown: T[]; total: number } {
  const rank = (l: T) => (l.ok ? (l.stale ? 1 : 2) : 0);
  const ordered = listings.map((l, i) => ({ l, i })).sort((a, b) => rank(a.l) - rank(b.l) || a.i - b.i);
  return { shown: (all ? ordered : ordered.slice(0, limit)).map((x) => x.l), total: listings.length };
}

/** What failed, for the banner: an account's connections, or a scope's hosts. */
function problemsOf(inv: Inventory): ListingProblem[] {
  return [
    ...inv.accounts.filter((a) => a.error).map((a) => ({ key: a.account, what: `connections of ${a.account}`, error: a.error?.message ?? "", asOf: a.asOf, stale: a.stale })),
    ...inv.scopes.filter((s) => s.error).map((s) => ({ key: s.key, what: `hosts of ${s.key}`, error: s.error?.message ?? "", asOf: s.asOf, stale: s.stale })),
  ];
}

export const watchedScopes = (inv: Inventory) => new Set(inv.scopes.map((s) => s.key));

/** Accounts (connections), scopes (hosts, pipelines) and what failed. */
export async function fleetHealth(inv: Inventory): Promise<FleetHealth> {
  const store = getStore();
  const mapped = await store.pipelines.mapped();
  const pipelines = new Map(await Promise.all(inv.scopes.map(async (s) => [s.key, (await store.pipelines.listed(s.scope)).length] as const)));
  const watched = watchedScopes(inv);
  const home = homeCounts(inv);
  return { accounts: inv.accounts.map((a) => summarizeAccount(a, watched)), scopes: inv.scopes.map((s) => summarizeScope(s, home, pipelines, mapped)), problems: problemsOf(inv) };
}

