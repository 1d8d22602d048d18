import "server-only";
import { connectionConsoleUrl, hostConsoleUrl } from "@/lib/console-url";
import { env } from "@/lib/env";
import { getInventory } from "@/lib/fleet/inventory";
import { connectionGuidance, hostGuidance } from "@/lib/pending-guidance";
import { getStore } from "@/lib/store";
import type { FleetHealth, ResourceKind, WatchView } from "@/lib/types";
import { toWatchView } from "./watches";
import { fleetView } from "./fleet-view";
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

/** `page`: the page of `items` to show (1 when absent or not a page number; past the end, the last). */
export async function getPendingQueue(opts: { refresh?: boolean; page?: string } = {}): Promise<PendingQueue> {
  const p = await requireRole("viewer");
  const inv = await getInventory(opts);
  const store = getStore();
  // History and pipeline counts from the fleet's view (read once per change of a listing, not per request).
  const view = await fleetView(inv);
  const known = view.known;
  const sinceOf = (key: string) => {
    const r = known.get(key);
    return { statusSince: r?.statusSince ?? null, sinceFirstSeen: r !== undefined && r.statusSince === r.firstSeenAt };
  };
  // Connections are listed per account, hosts per account × Region: each is unknown when its own listing failed.
  const failingAccounts = new Map(inv.accounts.filter((a) => a.error).map((a) => [a.account, a.asOf ?? a.checkedAt]));
  const failingScopes = new Map(inv.scopes.filter((s) => s.error).map((s) => [s.key, s.asOf ?? s.checkedAt]));
  const watched = new Set(inv.scopes.map((s) => s.key));
  const watches = new Map((await store.watches.recent(new Date(Date.now() - 24 * 60 * 60_000).toISOString())).map((w) => [`${w.kind}/${w.account}/${w.region}/${w.resourceId}`, w]));
  const template = env().TETHER_CONSOLE_URL;
  const link = (fn: () => string) => {
    try {
      return fn();
    } catch {
      return null;
    }
  };
  const hostsByArn = new Map(inv.hosts.map((h) => [h.arn, h]));
  const blocks = new Map(view.rows.map((r) => [`${r.account}/${r.id.toLowerCase()}`, r.pipelines]));
  const waiting = (i: { kind: "connection" | "host"; status: string }) => (i.kind === "connection" ? i.status === "PENDING" || i.status === "ERROR" : i.status === "PENDING");
  // Only what the page shows becomes an item: what waits, and what a watch of the last day resolved.
  const shown = (kind: "connection" | "host", r: { account: string; region: string; id: string; status: string }) => waiting({ kind, status: r.status }) || watches.has(`${kind}/${r.account}/${r.region}/${r.id}`);

  const all: PendingItem[] = [
    ...inv.connections.filter((c) => shown("connection", c)).map((c): PendingItem => {
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
        ...sinceOf(`connection/${c.account}/${c.region}/${c.id}`),
        unknownSince: failingAccounts.get(c.account) ?? null,
        who: g.who,
        howTo: g.howTo,
        ...(host ? { hostName: host.name, hostStatus: host.status } : {}),
        consoleUrl: link(() => connectionConsoleUrl(template, c.arn)),
        watch: null,
        blocks: blocks.get(`${c.account}/${c.id.toLowerCase()}`) ?? null,
        homeRegionWatched: watched.has(`${c.account}/${c.region}`),
      };
    }),
    ...inv.hosts.filter((h) => shown("host", h)).map((h): PendingItem => {
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
        ...sinceOf(`host/${h.account}/${h.region}/${h.id}`),
        unknownSince: failingScopes.get(`${h.account}/${h.region}`) ?? null,
        who: g.who,
        howTo: g.howTo,
        consoleUrl: link(() => hostConsoleUrl(template, h.arn)),
        watch: null,
        blocks: null,
        homeRegionWatched: true,
      };
    }),
  ].map((i) => {
    const w = watches.get(`${i.kind}/${i.account}/${i.region}/${i.id}`);
    return w ? { ...i, watch: toWatchView(w) } : i;
  });

  const oldestFirst = (a: PendingItem, b: PendingItem) => (a.statusSince ?? "\uffff").localeCompare(b.statusSince ?? "\uffff") || a.name.localeCompare(b.name);
  const recent = Date.now() - RESOLVED_WINDOW_MS;
  const items = all.filter(waiting).sort(oldestFirst);
  return {
    generatedAt: inv.generatedAt,
    canAct: p.role === "admin",
    items,
    page: paginate(items, /^\d{1,6}$/.test(opts.page ?? "") ? Number(opts.page) : 1, PENDING_PAGE_SIZE),
    resolved: all.filter((i) => !waiting(i) && i.watch && i.watch.state !== "watching" && Date.parse(i.watch.finishedAt ?? "") >= recent).sort((a, b) => (b.watch?.finishedAt ?? "").localeCompare(a.watch?.finishedAt ?? "")),
    health: view.health,
  };
}
