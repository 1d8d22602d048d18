import "server-only";
import { configuredEventBus } from "@/lib/alerts/channels";
import { clientsFor } from "@/lib/aws/clients";
import { listConnections, listHosts } from "@/lib/aws/connections";
import { toAppError } from "@/lib/aws/errors";
import { TtlCache } from "@/lib/cache";
import { mapLimit } from "@/lib/concurrency";
import { env } from "@/lib/env";
import type { ErrorKind } from "@/lib/errors";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { ListingKey, ObservedResource } from "@/lib/store/types";
import { scopeKey, type Connection, type Host, type Scope } from "@/lib/types";
import { getScopes, groupByAccount, type AccountScopes } from "./scopes";

/**
 * The fleet's inventory, listed the way AWS stores it (docs/aws.md): connections are
 * account-global, so each account's connections are listed ONCE, from its first configured Region
 * that answers (the next one when a Region fails); hosts are regional, so they are listed per
 * account × Region. Each listing is cached for TETHER_CACHE_TTL_SECONDS and identical concurrent
 * listings share one request. Only a complete listing moves the status history; a listing that
 * fails keeps showing the last complete one, marked stale. The cache is this replica's; the
 * forced-refresh limit and the last complete listings are shared with the other replicas through
 * the store.
 */

/** Listings in flight at once; the rest wait (AWS rate limits are per account and Region). */
export const SCOPE_CONCURRENCY = 8;

export interface ScopeError {
  kind: ErrorKind;
  message: string;
}

/** How fresh a listing is, and why not when it failed. */
export interface ListingFreshness {
  /** When the rows were listed completely (ISO); null if never. */
  asOf: string | null;
  /** When the listing was last tried (ISO). */
  checkedAt: string;
  error: ScopeError | null;
  /** True when the rows are older than the last attempt because that attempt failed. */
  stale: boolean;
}

/** One account's connections (every home Region), as one of its configured Regions listed them. */
export interface AccountListing extends ListingFreshness {
  account: string;
  /** The configured Regions, in the order they are tried. */
  regions: string[];
  viaRole: boolean;
  /** The Region whose endpoint gave the rows shown; null if none ever answered. */
  answeredBy: string | null;
  /** Regions that failed in the last attempt (before one answered, or all of them). */
  failedRegions: { region: string; message: string }[];
  connections: Connection[];
}

/** One account × Region's hosts. */
export interface ScopeListing extends ListingFreshness {
  scope: Scope;
  key: string;
  hosts: Host[];
}

export interface Inventory {
  generatedAt: string;
  accounts: AccountListing[];
  scopes: ScopeListing[];
  /** One row per connection (account + UUID), whatever Region listed it. */
  connections: Connection[];
  hosts: Host[];
}

/**
 * Listings are reused for TETHER_CACHE_TTL_SECONDS; older, for up to one poll interval more, they are
 * still answered at once while they are relisted in the background: at a hundred accounts a relist
 * takes seconds, and a page opened between two polls would otherwise wait for it. The poller relists
 * every poll interval, so a view waits only when nothing relisted for that long.
 */
const listingTtl = () => env().TETHER_CACHE_TTL_SECONDS * 1000;
const listingStale = () => env().TETHER_POLL_INTERVAL_SECONDS * 1000;
const accountCache = () => singleton("fleet:account-cache", () => new TtlCache<AccountListing>(listingTtl, Date.now, listingStale));
const scopeCache = () => singleton("fleet:scope-cache", () => new TtlCache<ScopeListing>(listingTtl, Date.now, listingStale));
/** The last complete listings, kept so a failing account or scope still shows what it had. */
const lastGood = () => singleton("fleet:last-good", () => ({ accounts: new Map<string, AccountListing>(), scopes: new Map<string, ScopeListing>() }));

/**
 * How a caller asks for fresh data: `refresh` (a page's ?refresh=1, the poller) is honoured at most
 * once per TETHER_MIN_REFRESH_SECONDS per listing — the others share the last result, so viewers
 * cannot make Tether relist a shared AWS account back to back; `force` (Tether itself, right after an
 * action changed what it lists) always relists.
 */
export interface RefreshOptions {
  refresh?: boolean;
  force?: boolean;
}

const cacheOptions = (opts: RefreshOptions) => ({ refresh: Boolean(opts.refresh || opts.force), minAgeMs: opts.force ? 0 : env().TETHER_MIN_REFRESH_SECONDS * 1000 });

/**
 * What the replicas share through the store (lib/store SharedListingRepo), keyed per listing: the
 * forced-refresh limit (a `?refresh=1` another replica honoured within TETHER_MIN_REFRESH_SECONDS is
 * not honoured again here: this replica shows that listing) and the last complete listing (what a
 * failing account or scope keeps showing, also on a replica that never listed it completely). The
 * store failing never fails a listing: this replica then decides alone, as a single one would.
 */
const sharedKey = { account: (account: string) => `connections:${account}`, scope: (key: string) => `hosts:${key}` };

async function shareComplete(key: string, listing: ListingFreshness): Promise<void> {
  try {
    await getStore().listings.saveComplete(key, JSON.stringify(listing), listing.asOf ?? listing.checkedAt);
  } catch (e) {
    console.error("[tether] could not share a complete listing", e);
  }
}

async function sharedComplete<T>(key: string): Promise<T | undefined> {
  try {
    const kept = await getStore().listings.lastComplete(key);
    return kept ? (JSON.parse(kept.listing) as T) : undefined;
  } catch (e) {
    console.error("[tether] could not read a shared listing", e);
    return undefined;
  }
}

/**
 * A forced refresh that another replica honoured less than TETHER_MIN_REFRESH_SECONDS ago: the
 * newest listing known (that replica's, as shared, or this replica's own), instead of relisting.
 * Undefined: this caller relists.
 */
async function refreshedElsewhere<T extends ListingFreshness>(key: string, opts: RefreshOptions, local: T | undefined): Promise<T | undefined> {
  const minMs = env().TETHER_MIN_REFRESH_SECONDS * 1000;
  if (!opts.refresh || opts.force || minMs === 0) return undefined;
  const now = Date.now();
  try {
    if (await getStore().listings.claimRefresh(key, new Date(now).toISOString(), new Date(now - minMs).toISOString())) return undefined;
  } catch (e) {
    console.error("[tether] could not claim a forced refresh in the store; relisting here", e);
    return undefined;
  }
  const shared = await sharedComplete<T>(key);
  const newest = [shared, local].filter((x): x is T => x !== undefined).sort((x, y) => (y.asOf ?? "").localeCompare(x.asOf ?? ""))[0];
  return newest;
}

const accountCacheKey = (a: AccountScopes) => `${a.account}|${a.scopes.map((s) => `${s.region}:${s.roleArn ?? ""}`).join(",")}`;

/** A listing moved the history only if it was complete; writing history never hides a listing. */
async function record(listing: ListingKey, items: ObservedResource[], at: string, answeredBy?: string): Promise<void> {
  try {
    // With an event bus, each observed transition is queued for it in the same transaction.
    await getStore().history.recordListing(listing, items, at, answeredBy, { events: configuredEventBus() !== null });
  } catch (e) {
    console.error("[tether] could not record status history", e);
  }
}

async function recordFailure(listing: ListingKey, message: string, at: string): Promise<void> {
  try {
    await getStore().history.recordFailure(listing, message, at);
  } catch (e) {
    console.error("[tether] could not record a failed listing", e);
  }
}

const observedConnection = (c: Connection): ObservedResource => ({ kind: "connection", account: c.account, region: c.region, id: c.id, arn: c.arn, name: c.name, provider: c.provider, status: c.status });
const observedHost = (h: Host): ObservedResource => ({ kind: "host", account: h.account, region: h.region, id: h.id, arn: h.arn, name: h.name, provider: h.provider, status: h.status });

/** The account's own connections, once each (the same UUID under both ARN prefixes is one connection). */
function ownConnections(account: string, listed: Connection[]): Connection[] {
  const seen = new Set<string>();
  return listed.filter((c) => {
    const key = c.id.toLowerCase();
    if (c.account !== account || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function listAccount(a: AccountScopes): Promise<AccountListing> {
  const checkedAt = new Date().toISOString();
  const base = { account: a.account, regions: a.scopes.map((s) => s.region), viaRole: a.scopes.some((s) => s.roleArn) };
  const failures: { region: string; message: string; kind: ErrorKind }[] = [];
  for (const scope of a.scopes) {
    try {
      const connections = ownConnections(a.account, await listConnections(clientsFor(scope).connections, scope));
      const listing: AccountListing = { ...base, answeredBy: scope.region, failedRegions: failures.map(({ region, message }) => ({ region, message })), connections, asOf: checkedAt, checkedAt, error: null, stale: false };
      lastGood().accounts.set(a.account, listing);
      await Promise.all([record({ kind: "connection", account: a.account, region: null }, connections.map(observedConnection), checkedAt, scope.region), shareComplete(sharedKey.account(a.account), listing)]);
      return listing;
    } catch (e) {
      const err = toAppError(e, `listing connections of ${a.account} in ${scope.region}`);
      if (err.kind === "internal") console.error(`[tether] ${err.message}`, err.cause);
      failures.push({ region: scope.region, message: err.message, kind: err.kind });
    }
  }
  // Every configured Region failed: the account's listing failed, and history stays as it was.
  const message = failures.length === 1 ? (failures[0]?.message ?? "") : `listing connections of ${a.account} failed in every configured Region: ${failures.map((f) => f.message).join("; ")}`;
  await recordFailure({ kind: "connection", account: a.account, region: null }, message, checkedAt);
  const previous = lastGood().accounts.get(a.account) ?? (await sharedComplete<AccountListing>(sharedKey.account(a.account)));
  return {
    ...base,
    answeredBy: previous?.answeredBy ?? null,
    failedRegions: failures.map(({ region, message: m }) => ({ region, message: m })),
    connections: previous?.connections ?? [],
    asOf: previous?.asOf ?? null,
    checkedAt,
    error: { kind: failures[0]?.kind ?? "internal", message },
    stale: previous !== undefined,
  };
}

async function listScope(scope: Scope): Promise<ScopeListing> {
  const key = scopeKey(scope);
  const checkedAt = new Date().toISOString();
  try {
    const hosts = (await listHosts(clientsFor(scope).connections, scope)).filter((h) => h.account === scope.account && h.region === scope.region);
    const listing: ScopeListing = { scope, key, hosts, asOf: checkedAt, checkedAt, error: null, stale: false };
    lastGood().scopes.set(key, listing);
    await Promise.all([record({ kind: "host", account: scope.account, region: scope.region }, hosts.map(observedHost), checkedAt), shareComplete(sharedKey.scope(key), listing)]);
    return listing;
  } catch (e) {
    const err = toAppError(e, `listing hosts of ${key}`);
    if (err.kind === "internal") console.error(`[tether] ${err.message}`, err.cause);
    await recordFailure({ kind: "host", account: scope.account, region: scope.region }, err.message, checkedAt);
    const previous = lastGood().scopes.get(key) ?? (await sharedComplete<ScopeListing>(sharedKey.scope(key)));
    return { scope, key, hosts: previous?.hosts ?? [], asOf: previous?.asOf ?? null, checkedAt, error: { kind: err.kind, message: err.message }, stale: previous !== undefined };
  }
}

/** One account's connections, from the cache when fresh enough. Never rejects: failures are in `error`. */
export function getAccountListing(a: AccountScopes, opts: RefreshOptions = {}): Promise<AccountListing> {
  const key = accountCacheKey(a);
  return accountCache().get(key, async () => (await refreshedElsewhere(sharedKey.account(a.account), opts, accountCache().peek(key))) ?? listAccount(a), cacheOptions(opts));
}

const scopeCacheKey = (scope: Scope) => `${scopeKey(scope)}|${scope.roleArn ?? ""}`;

/** One scope's hosts, from the cache when fresh enough. Never rejects: failures are in `error`. */
export function getScopeListing(scope: Scope, opts: RefreshOptions = {}): Promise<ScopeListing> {
  const key = scopeCacheKey(scope);
  return scopeCache().get(key, async () => (await refreshedElsewhere(sharedKey.scope(scopeKey(scope)), opts, scopeCache().peek(key))) ?? listScope(scope), cacheOptions(opts));
}

/** Relists one account's connections now (after an action changed one). */
export async function refreshAccount(account: string): Promise<AccountListing | null> {
  const a = groupByAccount(await getScopes()).find((x) => x.account === account);
  return a ? getAccountListing(a, { force: true }) : null;
}

/**
 * The Region to read one of the account's connections through: the one that answered its last
 * listing, else its first configured Region (connections are readable from every Region).
 */
export async function readScope(account: string): Promise<Scope | null> {
  const a = groupByAccount(await getScopes()).find((x) => x.account === account);
  if (!a) return null;
  const answered = lastGood().accounts.get(account)?.answeredBy;
  return a.scopes.find((s) => s.region === answered) ?? a.scopes[0] ?? null;
}

/** The configured and discovered scopes; a failure to resolve them is an AppError of its kind. */
async function resolvedScopes(): Promise<Scope[]> {
  try {
    return await getScopes();
  } catch (e) {
    throw toAppError(e, "resolving scopes");
  }
}

/**
 * Every configured account's connections and every scope's hosts, listed in parallel (bounded).
 * One failing account or scope never fails the whole: its error is reported with it and the
 * others are complete.
 */
export async function getInventory(opts: RefreshOptions = {}): Promise<Inventory> {
  const scopes = await resolvedScopes();
  const groups = groupByAccount(scopes);
  type Task = { account: AccountScopes } | { scope: Scope };
  const tasks: Task[] = [...groups.map((account) => ({ account })), ...scopes.map((scope) => ({ scope }))];
  const done = await mapLimit(tasks, SCOPE_CONCURRENCY, (t): Promise<AccountListing | ScopeListing> => ("account" in t ? getAccountListing(t.account, opts) : getScopeListing(t.scope, opts)));
  const accounts = done.slice(0, groups.length) as AccountListing[];
  const listings = done.slice(groups.length) as ScopeListing[];
  // The same listings as the last call (within the TTL, the usual case): the same arrays, so what
  // pages derive from them (rows, health, sorted views: lib/data/fleet-view.ts) is derived once
  // per change of a listing, not once per request.
  const last = lastInventory();
  if (last.value && sameItems(last.value.accounts, accounts) && sameItems(last.value.scopes, listings)) return { ...last.value, generatedAt: new Date().toISOString() };
  last.value = {
    generatedAt: new Date().toISOString(),
    accounts,
    scopes: listings,
    connections: accounts.flatMap((a) => a.connections),
    hosts: listings.flatMap((l) => l.hosts),
  };
  return last.value;
}

const lastInventory = () => singleton("fleet:last-inventory", () => ({ value: undefined as Inventory | undefined }));
const sameItems = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** How far this replica's first listing of the fleet is: listings with a result (complete or failed) of each kind. */
export interface ListingProgress {
  accounts: { listed: number; total: number };
  scopes: { listed: number; total: number };
}

/**
 * While some configured account or scope has never been listed by this replica (its first listing,
 * after a start or a change of scopes): how many have a result so far, and that listing is started
 * (or joined) in the background. Null when every listing has a result: `getInventory` then answers
 * from the cache or relists as usual.
 */
export async function firstListingProgress(): Promise<ListingProgress | null> {
  const scopes = await resolvedScopes();
  const groups = groupByAccount(scopes);
  const accounts = groups.filter((a) => accountCache().peek(accountCacheKey(a)) !== undefined).length;
  const listed = scopes.filter((s) => scopeCache().peek(scopeCacheKey(s)) !== undefined).length;
  if (accounts === groups.length && listed === scopes.length) return null;
  // Nobody waits for it here; a failing listing shows in the listings' health once it is done.
  getInventory().catch((e: unknown) => console.error("[tether] the first listing failed", e));
  return { accounts: { listed: accounts, total: groups.length }, scopes: { listed, total: scopes.length } };
}

/** Forget cached listings (tests). */
export function clearInventoryCache(): void {
  accountCache().clear();
  scopeCache().clear();
  lastGood().accounts.clear();
  lastGood().scopes.clear();
  lastInventory().value = undefined;
}
