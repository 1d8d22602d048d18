import "server-only";
import { UUID, parseConnectionsArn } from "@/lib/arn";
import { applyQuery, parseConnectionQuery, type ConnectionQuery } from "@/lib/connections-query";
import { clientsFor } from "@/lib/aws/clients";
import { listTags } from "@/lib/aws/connections";
import { connectionConsoleUrl, connectionsListConsoleUrl, hostConsoleUrl, hostsListConsoleUrl } from "@/lib/console-url";
import { env } from "@/lib/env";
import { publicMessage } from "@/lib/errors";
import { firstListingProgress, getInventory, readScope, type Inventory, type ListingProgress } from "@/lib/fleet/inventory";
import type { AccountSummary, Connection, ConnectionRow, FleetHealth, HistoryEntry, Host, ScopeSummary, Tag, WatchView } from "@/lib/types";
import { getStore } from "@/lib/store";
import { deletability, type Deletability } from "@/lib/fleet/deletability";
import { fleetView } from "./fleet-view";
import { toWatchView } from "./watches";
import { countByStatus, summarizeAccount, watchedScopes, type StatusCounts } from "@/lib/fleet/health";
import { requireRole } from "./session";
import { type Page, paginate, toSearchParams } from "@/lib/query";

/**
 * The data access layer for the inventory pages and the export. Pages and route handlers call
 * only these functions; they return plain DTOs.
 */

export interface ReadOptions {
  /** Bypass the list cache (?refresh=1). */
  refresh?: boolean;
}

/** Rows with what Tether's history knows (status since, or "unknown since" for a failing account listing), derived once per fleet version. */
export async function toRows(inv: Inventory): Promise<ConnectionRow[]> {
  return (await fleetView(inv)).rows;
}

export interface ConnectionsView {
  generatedAt: string;
  query: ConnectionQuery;
  problems: string[];
  page: Page<ConnectionRow>;
  /** All rows before filtering (the fleet), for facet lists. */
  fleetTotal: number;
  accounts: string[];
  regions: string[];
  health: FleetHealth;
}

export async function getConnectionsView(params: URLSearchParams | Record<string, string | string[] | undefined>, opts: ReadOptions = {}): Promise<ConnectionsView> {
  await requireRole("viewer");
  const { query, problems } = parseConnectionQuery(params);
  const inv = await getInventory(opts);
  const view = await fleetView(inv);
  return {
    generatedAt: inv.generatedAt,
    query,
    problems,
    page: paginate(view.query(query), query.page),
    fleetTotal: view.rows.length,
    accounts: [...new Set(inv.accounts.map((a) => a.account))].sort(),
    // Home Regions of connections too: a connection's Region is where it was created.
    regions: view.regions,
    health: view.health,
  };
}

export interface ConnectionsExport {
  generatedAt: string;
  problems: string[];
  rows: ConnectionRow[];
  /** Failed listings: an account's connections (`region` null: connections are account-global) or one Region's hosts. */
  scopeErrors: { account: string; region: string | null; listing: "connections" | "hosts"; error: string }[];
}

/** Every row matching the query (the export does not page). */
export async function exportConnections(params: URLSearchParams, opts: ReadOptions = {}): Promise<ConnectionsExport> {
  await requireRole("viewer");
  const { query, problems } = parseConnectionQuery(params);
  if (problems.length) return { generatedAt: new Date().toISOString(), problems, rows: [], scopeErrors: [] };
  const inv = await getInventory(opts);
  return {
    generatedAt: inv.generatedAt,
    problems,
    rows: (await fleetView(inv)).query(query),
    scopeErrors: [
      ...inv.accounts.filter((a) => a.error).map((a) => ({ account: a.account, region: null, listing: "connections" as const, error: a.error?.message ?? "" })),
      ...inv.scopes.filter((s) => s.error).map((s) => ({ account: s.scope.account, region: s.scope.region, listing: "hosts" as const, error: s.error?.message ?? "" })),
    ],
  };
}

export interface Overview {
  generatedAt: string;
  totals: { connections: number; hosts: number; byStatus: StatusCounts; hostsByStatus: StatusCounts; accounts: number; scopes: number; listings: number; listingsFailing: number };
  health: FleetHealth;
  /** The worst not-AVAILABLE connections (at most ATTENTION_LIMIT) and how many there are in all. */
  attention: ConnectionRow[];
  attentionTotal: number;
  hostsAttention: Host[];
  /** Status changes, appearances and deletions of the last 24 hours, newest first. */
  changes: HistoryEntry[];
}

export const ATTENTION_LIMIT = 25;
const CHANGES_LIMIT = 50;

export async function getOverview(opts: ReadOptions = {}): Promise<Overview> {
  await requireRole("viewer");
  const inv = await getInventory(opts);
  const view = await fleetView(inv);
  const { rows, health, notAvailable } = view;
  return {
    generatedAt: inv.generatedAt,
    totals: {
      connections: rows.length,
      hosts: inv.hosts.length,
      byStatus: view.byStatus,
      hostsByStatus: countByStatus(inv.hosts),
      accounts: inv.accounts.length,
      scopes: inv.scopes.length,
      listings: inv.accounts.length + inv.scopes.length,
      listingsFailing: health.problems.length,
    },
    health,
    attention: notAvailable.slice(0, ATTENTION_LIMIT),
    attentionTotal: notAvailable.length,
    hostsAttention: inv.hosts.filter((h) => h.status !== "AVAILABLE").sort((a, b) => a.name.localeCompare(b.name)),
    changes: await getStore().history.changesSince(new Date(Date.parse(inv.generatedAt) - 86_400_000).toISOString(), CHANGES_LIMIT),
  };
}

/** How long the overview waits for a first listing before it shows how far that listing is instead. */
export const FIRST_LISTING_WAIT_MS = 1500;

export type OverviewState = { kind: "ready"; overview: Overview } | { kind: "listing"; progress: ListingProgress };

/**
 * The overview, or, while this replica's first listing of the fleet runs longer than
 * FIRST_LISTING_WAIT_MS (a hundred accounts take seconds), how far it is: accounts and scopes listed
 * so far of the total. The page then renders that and asks again until the overview is ready.
 */
export async function getOverviewState(opts: ReadOptions = {}): Promise<OverviewState> {
  await requireRole("viewer");
  if (!opts.refresh && (await firstListingProgress())) {
    const listing = getInventory();
    const done = await Promise.race([listing.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), FIRST_LISTING_WAIT_MS).unref?.())]);
    if (!done) {
      listing.catch(() => undefined); // reported when a later render waits for it
      const progress = await firstListingProgress();
      if (progress) return { kind: "listing", progress };
    }
  }
  return { kind: "ready", overview: await getOverview(opts) };
}

export type Resolved<T> = { kind: "found"; value: T } | { kind: "redirect"; id: string } | { kind: "not_found" };

/** A connection's inventory row by UUID (callers check access themselves). */
export async function findConnectionRow(id: string): Promise<ConnectionRow | null> {
  const inv = await getInventory();
  return (await fleetView(inv)).byId.get(id.toLowerCase()) ?? null;
}

export interface ConnectionDetail {
  generatedAt: string;
  connection: ConnectionRow;
  /** Set when a complete listing no longer had it: Tether keeps deleted connections. */
  deletedAt: string | null;
  timeline: HistoryEntry[];
  watch: WatchView | null;
  canAct: boolean;
  deletable: Deletability;
  host: Host | null;
  tags: Tag[];
  tagsError: string | null;
  consoleUrl: string | null;
  consoleListUrl: string;
  /** Its account's connection listing (connections are account-global). */
  account: AccountSummary;
}

/** The id in /connections/[id]: a UUID, or a full ARN of either prefix (→ redirect to its UUID). */
function resolveId(raw: string): { id: string; isArn: boolean } | null {
  const decoded = decodeURIComponent(raw);
  if (UUID.test(decoded)) return { id: decoded.toLowerCase(), isArn: false };
  const arn = parseConnectionsArn(decoded);
  if (arn?.kind === "connection") return { id: arn.id, isArn: true };
  return null;
}

export async function getConnectionDetail(rawId: string, opts: ReadOptions = {}): Promise<Resolved<ConnectionDetail>> {
  const p = await requireRole("viewer");
  const resolved = resolveId(rawId);
  if (!resolved) return { kind: "not_found" };
  if (resolved.isArn) return { kind: "redirect", id: resolved.id };
  const inv = await getInventory(opts);
  const store = getStore();
  const template = env().TETHER_CONSOLE_URL;
  const consoleUrlOf = (arn: string) => {
    try {
      return connectionConsoleUrl(template, arn);
    } catch {
      return null;
    }
  };
  const extras = async (account: string, region: string, id: string) => {
    const w = await store.watches.latestFor("connection", account, region, id);
    return { timeline: await store.history.history("connection", account, region, id), watch: w ? toWatchView(w) : null, canAct: p.role === "admin" };
  };
  const deletableOf = (row: ConnectionRow): Deletability => deletability(row, Date.parse(inv.generatedAt));

  const connection = (await fleetView(inv)).byId.get(resolved.id);
  if (!connection) {
    // Not listed now: a connection Tether saw before and a complete listing no longer has.
    const gone = (await store.history.findById("connection", resolved.id)).find((r) => r.deletedAt);
    const listing = gone && inv.accounts.find((a) => a.account === gone.account);
    if (!gone || !listing) return { kind: "not_found" };
    const parsed = parseConnectionsArn(gone.arn);
    return {
      kind: "found",
      value: {
        generatedAt: inv.generatedAt,
        connection: { id: gone.id, arn: gone.arn, name: gone.name, provider: gone.provider, status: gone.status, account: gone.account, region: gone.region, prefix: parsed?.prefix ?? "new", statusSince: gone.statusSince, unknownSince: null, homeRegionWatched: watchedScopes(inv).has(`${gone.account}/${gone.region}`), pipelines: null },
        deletedAt: gone.deletedAt,
        deletable: { allowed: false, reason: "it is already deleted" },
        ...(await extras(gone.account, gone.region, gone.id)),
        host: null,
        tags: [],
        tagsError: null,
        consoleUrl: null,
        consoleListUrl: connectionsListConsoleUrl(template, gone.region),
        account: summarizeAccount(listing, watchedScopes(inv)),
      },
    };
  }
  const listing = inv.accounts.find((a) => a.account === connection.account);
  if (!listing) return { kind: "not_found" };
  const host = connection.hostArn ? (inv.hosts.find((h) => sameHost(connection.hostArn, h)) ?? null) : null;

  // Tags are global like the connection: read them through the Region that lists the account.
  let tags: Tag[] = [];
  let tagsError: string | null = null;
  try {
    const scope = await readScope(connection.account);
    if (scope) tags = await listTags(clientsFor(scope).connections, scope, connection.arn);
  } catch (e) {
    tagsError = publicMessage(e);
  }
  return {
    kind: "found",
    value: {
      generatedAt: inv.generatedAt,
      connection,
      deletedAt: null,
      deletable: deletableOf(connection),
      ...(await extras(connection.account, connection.region, connection.id)),
      host,
      tags,
      tagsError,
      consoleUrl: consoleUrlOf(connection.arn),
      consoleListUrl: connectionsListConsoleUrl(template, connection.region),
      account: summarizeAccount(listing, watchedScopes(inv)),
    },
  };
}

export interface HostsView {
  generatedAt: string;
  hosts: (Host & { connections: number })[];
  health: FleetHealth;
}

const sameHost = (hostArn: string | undefined, h: Host) => {
  const parsed = hostArn ? parseConnectionsArn(hostArn) : null;
  return parsed !== null && parsed.id === h.id && parsed.account === h.account && parsed.region === h.region;
};

export async function getHostsView(opts: ReadOptions = {}): Promise<HostsView> {
  await requireRole("viewer");
  const inv = await getInventory(opts);
  const hosts = inv.hosts
    .map((h) => ({ ...h, connections: inv.connections.filter((c) => sameHost(c.hostArn, h)).length }))
    .sort((a, b) => (a.status === b.status ? a.name.localeCompare(b.name) : a.status === "AVAILABLE" ? 1 : b.status === "AVAILABLE" ? -1 : a.status.localeCompare(b.status)));
  return { generatedAt: inv.generatedAt, hosts, health: (await fleetView(inv)).health };
}

export interface HostDetail {
  generatedAt: string;
  host: Host;
  connections: ConnectionRow[];
  tags: Tag[];
  tagsError: string | null;
  consoleUrl: string | null;
  consoleListUrl: string;
  scope: ScopeSummary;
}

export async function getHostDetail(rawId: string, opts: ReadOptions = {}): Promise<Resolved<HostDetail>> {
  await requireRole("viewer");
  const decoded = decodeURIComponent(rawId);
  const arn = parseConnectionsArn(decoded);
  if (arn?.kind === "host") return { kind: "redirect", id: arn.id };
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(decoded)) return { kind: "not_found" };
  const inv = await getInventory(opts);
  const host = inv.hosts.find((h) => h.id === decoded);
  if (!host) return { kind: "not_found" };
  const listing = inv.scopes.find((s) => s.scope.account === host.account && s.scope.region === host.region);
  if (!listing) return { kind: "not_found" };
  let tags: Tag[] = [];
  let tagsError: string | null = null;
  try {
    tags = await listTags(clientsFor(listing.scope).connections, listing.scope, host.arn);
  } catch (e) {
    tagsError = publicMessage(e);
  }
  const template = env().TETHER_CONSOLE_URL;
  let consoleUrl: string | null = null;
  try {
    consoleUrl = hostConsoleUrl(template, host.arn);
  } catch {
    consoleUrl = null;
  }
  return {
    kind: "found",
    value: {
      generatedAt: inv.generatedAt,
      host,
      connections: applyQuery((await toRows(inv)).filter((c) => sameHost(c.hostArn, host)), parseConnectionQuery({}).query),
      tags,
      tagsError,
      consoleUrl,
      consoleListUrl: hostsListConsoleUrl(template, host.region),
      scope: (await fleetView(inv)).health.scopes.find((x) => x.key === listing.key) as ScopeSummary,
    },
  };
}

export const isRefresh = (params: URLSearchParams | Record<string, string | string[] | undefined>): boolean => toSearchParams(params).get("refresh") === "1";

export type { Connection };
