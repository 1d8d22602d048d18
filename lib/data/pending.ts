import "server-only";
import { connectionConsoleUrl, hostConsoleUrl } from "@/lib/console-url";
import { env } from "@/lib/env";
import { getInventory, type Inventory } from "@/lib/fleet/inventory";
import { connectionGuidance, hostGuidance } from "@/lib/pending-guidance";
import { getStore } from "@/lib/store";
import type { FleetHealth, ResourceKind, WatchView } from "@/lib/types";
import { toWatchView } from "./watches";
import { fleetView, type FleetView } from "./fleet-view";
import { requireRole } from "./session";
import { paginate, type Page } from "@/lib/query";

/**
 * The handshake queue: every PENDING or ERROR connection (once, whatever Region listed it) and
 * every PENDING host, oldest first (by Tether's "status since"), with who must complete it and how, and the watch
 * Tether keeps after a resume. Items a watch resolved in the last hour stay listed, resolved,
 * so whoever resumed one sees it turn AVAILABLE.
 */

export interface PendingItem {
  kind: ResourceKind;
  id: string;
  arn: string;
  name: string;
  provider: string;
  status: string;
  account: string;
  region: string;
  prefix: string;
  statusSince: string | null;
  /** True when the status has not changed since Tether first saw the item: its age is at least this. */
  sinceFirstSeen: boolean;
  unknownSince: string | null;
  who: string;
  howTo: string;
  hostName?: string;
  hostStatus?: string;
  consoleUrl: string | null;
  watch: WatchView | null;
  /** Pipelines whose source actions use this connection (null before its account's scopes were mapped). */
  blocks: number | null;
  /** Connections: whether a configured scope watches its home Region. Hosts: always true. */
  homeRegionWatched: boolean;
}

export interface PendingQueue {
  generatedAt: string;
  canAct: boolean;
  /** Every waiting item, oldest first. */
  items: PendingItem[];
  /** The requested page of `items`. */
  page: Page<PendingItem>;
  resolved: PendingItem[];
  health: FleetHealth;
}

const RESOLVED_WINDOW_MS = 60 * 60_000;

/** Waiting items a page of /pending shows (oldest first): a large fleet waits on a thousand. */
export const PENDING_PAGE_SIZE = 50;

/** What the queue is made of for one version of the fleet: every item, without watches, waiting ones oldest first. */
interface Items {
  /** Every connection and host, by `kind/account/region/id` (made on demand: only a watched one needs its item). */
  item(key: string): PendingItem | undefined;
  /** The waiting items, oldest first. */
  waiting: PendingItem[];
}

/**
 * Items per version of the fleet: building and sorting 1,400 waiting items of 10,000 connections
 * on every render cost more than rendering the page of 50. A version is the fleet view (the
 * connections and the pipeline map) with the hosts, scopes and accounts listings it was asked with.
 */
const itemsKept = new WeakMap<FleetView, { hosts: unknown; scopes: unknown; accounts: unknown; items: Items }>();

const waiting = (i: { kind: "connection" | "host"; status: string }) => (i.kind === "connection" ? i.status === "PENDING" || i.status === "ERROR" : i.status === "PENDING");
const oldestFirst = (a: PendingItem, b: PendingItem) => (a.statusSince ?? "\uffff").localeCompare(b.statusSince ?? "\uffff") || a.name.localeCompare(b.name);
const link = (fn: () => string) => {
  try {
    return fn();
  } catch {
    return null;
  }
};

function itemsOf(inv: Inventory, view: FleetView): Items {
  const kept = itemsKept.get(view);
  if (kept && kept.hosts === inv.hosts && kept.scopes === inv.scopes && kept.accounts === inv.accounts) return kept.items;
  const sinceOf = (key: string) => {
    const r = view.known.get(key);
    return { statusSince: r?.statusSince ?? null, sinceFirstSeen: r !== undefined && r.statusSince === r.firstSeenAt };
  };
  // Connections are listed per account, hosts per account × Region: each is unknown when its own listing failed.
  const failingAccounts = new Map(inv.accounts.filter((a) => a.error).map((a) => [a.account, a.asOf ?? a.checkedAt]));
  const failingScopes = new Map(inv.scopes.filter((s) => s.error).map((s) => [s.key, s.asOf ?? s.checkedAt]));
  const template = env().TETHER_CONSOLE_URL;
  const hostsByArn = new Map(inv.hosts.map((h) => [h.arn, h]));
  // The fleet view's rows are the connections with their pipeline counts.
  const connections = new Map(view.rows.map((c) => [`connection/${c.account}/${c.region}/${c.id}`, c]));
  const hosts = new Map(inv.hosts.map((h) => [`host/${h.account}/${h.region}/${h.id}`, h]));
  const made = new Map<string, PendingItem>();
  const make = (key: string): PendingItem | undefined => {
    const c = connections.get(key);
    if (c) {
      const g = connectionGuidance(c.provider, c.status);
      const host = c.hostArn ? hostsByArn.get(c.hostArn) : undefined;
      return {
        kind: "connection",
        id: c.id,
        arn: c.arn,
        name: c.name,
        provider: c.provider,
        status: c.status,
        account: c.account,
        region: c.region,
        prefix: c.prefix,
        ...sinceOf(key),
        unknownSince: failingAccounts.get(c.account) ?? null,
        who: g.who,
        howTo: g.howTo,
        ...(host ? { hostName: host.name, hostStatus: host.status } : {}),
        consoleUrl: link(() => connectionConsoleUrl(template, c.arn)),
        watch: null,
        blocks: c.pipelines,
        homeRegionWatched: c.homeRegionWatched,
      };
    }
    const h = hosts.get(key);
    if (!h) return undefined;
    const g = hostGuidance(h.provider);
    return {
      kind: "host",
      id: h.id,
      arn: h.arn,
      name: h.name,
      provider: h.provider,
      status: h.status,
      account: h.account,
      region: h.region,
      prefix: h.prefix,
      ...sinceOf(key),
      unknownSince: failingScopes.get(`${h.account}/${h.region}`) ?? null,
      who: g.who,
      howTo: g.howTo,
      consoleUrl: link(() => hostConsoleUrl(template, h.arn)),
      watch: null,
      blocks: null,
      homeRegionWatched: true,
    };
  };
  const item = (key: string) => {
    let i = made.get(key);
    if (!i) {
      i = make(key);
      if (i) made.set(key, i);
    }
    return i;
  };
  const waitingKeys = [...[...connections].filter(([, c]) => waiting({ kind: "connection", status: c.status })).map(([k]) => k), ...[...hosts].filter(([, h]) => waiting({ kind: "host", status: h.status })).map(([k]) => k)];
  const items: Items = { item, waiting: waitingKeys.flatMap((k) => item(k) ?? []).sort(oldestFirst) };
  itemsKept.set(view, { hosts: inv.hosts, scopes: inv.scopes, accounts: inv.accounts, items });
  return items;
}

/** `page`: the page of `items` to show (1 when absent or not a page number; past the end, the last). */
export async function getPendingQueue(opts: { refresh?: boolean; page?: string } = {}): Promise<PendingQueue> {
  const p = await requireRole("viewer");
  const inv = await getInventory(opts);
  // Items from the fleet's view (history and pipeline counts read once per change of a listing, not per request).
  const view = await fleetView(inv);
  const base = itemsOf(inv, view);
  // Watches of the last day: the only part read per request.
  const watches = new Map((await getStore().watches.recent(new Date(Date.now() - 24 * 60 * 60_000).toISOString())).map((w) => [`${w.kind}/${w.account}/${w.region}/${w.resourceId}`, w]));
  const withWatch = (i: PendingItem): PendingItem => {
    const w = watches.get(`${i.kind}/${i.account}/${i.region}/${i.id}`);
    return w ? { ...i, watch: toWatchView(w) } : i;
  };
  const items = watches.size ? base.waiting.map(withWatch) : base.waiting;
  const recent = Date.now() - RESOLVED_WINDOW_MS;
  // What a watch of the last hour resolved stays listed, resolved.
  const resolved = [...watches.keys()]
    .flatMap((k) => base.item(k) ?? [])
    .filter((i) => !waiting(i))
    .map(withWatch)
    .filter((i) => i.watch && i.watch.state !== "watching" && Date.parse(i.watch.finishedAt ?? "") >= recent)
    .sort((a, b) => (b.watch?.finishedAt ?? "").localeCompare(a.watch?.finishedAt ?? ""));
  return {
    generatedAt: inv.generatedAt,
    canAct: p.role === "admin",
    items,
    page: paginate(items, /^\d{1,6}$/.test(opts.page ?? "") ? Number(opts.page) : 1, PENDING_PAGE_SIZE),
    resolved,
    health: view.health,
  };
}
