import "server-only";
import { applyQuery, DEFAULT_QUERY, type ConnectionQuery } from "@/lib/connections-query";
import { countByStatus, fleetHealth, watchedScopes, type StatusCounts } from "@/lib/fleet/health";
import type { Inventory } from "@/lib/fleet/inventory";
import { pipelineUsage } from "@/lib/pipelines/usage";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { ResourceRecord } from "@/lib/store/types";
import type { ConnectionRow, FleetHealth } from "@/lib/types";

/**
 * What the inventory pages derive from the listings, derived once per change instead of once per
 * request: the rows with their history ("since") and pipeline counts, the listings' health, a
 * lookup by UUID, and the filtered and sorted views asked for. With 10,000 connections, reading
 * every resource's history and sorting every row on each render cost more than the render itself.
 *
 * A view is kept for one version of the fleet: the inventory's arrays (`getInventory` hands out the
 * same ones while no listing changed; a listing records its history before it is handed out, so the
 * history read here is the one that listing wrote) and the pipeline map (`mapped()`'s times: every
 * map sync of a scope, the only writer of pipeline uses, moves its scope's time). Anything else
 * makes a new view; concurrent requests for one version share it.
 */
export interface FleetView {
  rows: ConnectionRow[];
  health: FleetHealth;
  /** Rows by lowercased UUID. */
  byId: ReadonlyMap<string, ConnectionRow>;
  /** What the history knows of each connection and host, by `kind/account/region/id`. */
  known: ReadonlyMap<string, ResourceRecord>;
  /** The connections' home Regions and the configured ones, sorted (the Region filter's choices). */
  regions: string[];
  /** The connections not AVAILABLE, worst first (the overview's list). */
  notAvailable: ConnectionRow[];
  byStatus: StatusCounts;
  /** Every row matching `query`, sorted (the page number is ignored); the same array for the same query. */
  query(query: ConnectionQuery): ConnectionRow[];
}

/** Filtered views kept per fleet version (each a sorted array of rows already held). */
const QUERIES_KEPT = 32;

interface Kept {
  connections: unknown;
  mapped: string;
  view: Promise<FleetView>;
}

const kept = () => singleton("data:fleet-view", () => ({ last: undefined as Kept | undefined, built: 0 }));

/** How many views were built since start (tests: a render within one version builds none). */
export const fleetViewsBuilt = (): number => kept().built;

export async function fleetView(inv: Inventory): Promise<FleetView> {
  const mapped = [...(await getStore().pipelines.mapped())].map(([k, at]) => `${k}=${at}`).join(",");
  const state = kept();
  const last = state.last;
  if (last && last.connections === inv.connections && last.mapped === mapped) return last.view;
  const view = build(inv);
  state.last = { connections: inv.connections, mapped, view };
  state.built++;
  view.catch(() => {
    if (state.last?.view === view) state.last = undefined;
  });
  return view;
}

async function build(inv: Inventory): Promise<FleetView> {
  const store = getStore();
  const [connectionsKnown, hostsKnown, usage, health] = await Promise.all([store.history.resources({ kind: "connection" }), store.history.resources({ kind: "host" }), pipelineUsage(inv.scopes.map((s) => s.scope)), fleetHealth(inv)]);
  const known = new Map<string, ResourceRecord>();
  for (const r of connectionsKnown) known.set(`connection/${r.account}/${r.region}/${r.id}`, r);
  for (const r of hostsKnown) known.set(`host/${r.account}/${r.region}/${r.id}`, r);
  const failing = new Map(inv.accounts.filter((a) => a.error).map((a) => [a.account, a.asOf ?? a.checkedAt]));
  const watched = watchedScopes(inv);
  const hostNames = new Map(inv.hosts.map((h) => [h.arn, h.name]));
  const hostNameOf = (arn: string) => hostNames.get(arn) ?? hostNames.get(arn.replace(":codestar-connections:", ":codeconnections:")) ?? hostNames.get(arn.replace(":codeconnections:", ":codestar-connections:"));
  const rows: ConnectionRow[] = inv.connections.map((c) => {
    const hostName = c.hostArn ? hostNameOf(c.hostArn) : undefined;
    return {
      ...c,
      ...(hostName ? { hostName } : {}),
      statusSince: known.get(`connection/${c.account}/${c.region}/${c.id}`)?.statusSince ?? null,
      unknownSince: failing.get(c.account) ?? null,
      homeRegionWatched: watched.has(`${c.account}/${c.region}`),
      pipelines: usage(c.account, c.id),
    };
  });
  const byId = new Map<string, ConnectionRow>();
  for (const r of rows) if (!byId.has(r.id.toLowerCase())) byId.set(r.id.toLowerCase(), r);
  const queries = new Map<string, ConnectionRow[]>();
  return {
    rows,
    health,
    byId,
    known,
    regions: [...new Set([...inv.scopes.map((s) => s.scope.region), ...rows.map((r) => r.region)])].sort(),
    notAvailable: applyQuery(
      rows.filter((r) => r.status !== "AVAILABLE"),
      DEFAULT_QUERY,
    ),
    byStatus: countByStatus(rows),
    query(query) {
      const key = JSON.stringify({ ...query, page: 1 });
      const hit = queries.get(key);
      if (hit) {
        // Most recently used last, so the oldest goes first.
        queries.delete(key);
        queries.set(key, hit);
        return hit;
      }
      const result = applyQuery(rows, query);
      queries.set(key, result);
      if (queries.size > QUERIES_KEPT) queries.delete(queries.keys().next().value as string);
      return result;
    },
  };
}
