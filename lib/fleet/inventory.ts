import "server-only";
import { clientsFor } from "@/lib/aws/clients";
import { listConnections, listHosts } from "@/lib/aws/connections";
import { mapLimit } from "@/lib/concurrency";
import { TtlCache } from "@/lib/cache";
import { env } from "@/lib/env";
import type { ErrorKind } from "@/lib/errors";
import { singleton } from "@/lib/singleton";
import { scopeKey, type Connection, type Host, type Scope } from "@/lib/types";
import { toAppError } from "@/lib/aws/errors";
import { getStore } from "@/lib/store";
import type { ObservedResource } from "@/lib/store/types";
import { getScopes } from "./scopes";

/** Scopes listed at once; the rest wait (AWS rate limits are per account and region). */
export const SCOPE_CONCURRENCY = 8;

export interface ScopeError {
  kind: ErrorKind;
  message: string;
}

export interface ScopeListing {
  scope: Scope;
  key: string;
  /** The last complete listing's rows; after a failure, the previous good listing (stale). */
  connections: Connection[];
  hosts: Host[];
  /** When the rows were listed completely (ISO); null if never. */
  asOf: string | null;
  /** When this scope was last tried (ISO). */
  checkedAt: string;
  error: ScopeError | null;
  /** True when the rows are older than the last attempt because that attempt failed. */
  stale: boolean;
}

export interface Inventory {
  generatedAt: string;
  scopes: ScopeListing[];
  connections: Connection[];
  hosts: Host[];
}

const cache = () => singleton("fleet:scope-cache", () => new TtlCache<ScopeListing>(() => env().TETHER_CACHE_TTL_SECONDS * 1000));
/** The last complete listing of each scope, kept so a failing scope still shows what it had. */
const lastGood = () => singleton("fleet:last-good", () => new Map<string, ScopeListing>());

async function listScope(scope: Scope): Promise<ScopeListing> {
  const key = scopeKey(scope);
  const checkedAt = new Date().toISOString();
  try {
    const { connections: client } = clientsFor(scope);
    const [connections, hosts] = await Promise.all([listConnections(client, scope), listHosts(client, scope)]);
    const listing: ScopeListing = { scope, key, connections, hosts, asOf: checkedAt, checkedAt, error: null, stale: false };
    lastGood().set(key, listing);
    recordHistory(listing);
    return listing;
  } catch (e) {
    const err = toAppError(e, `listing ${key}`);
    if (err.kind === "internal") console.error(`[tether] ${err.message}`, err.cause);
    const previous = lastGood().get(key);
    try {
      getStore().history.recordFailure(scope, err.message, checkedAt);
    } catch (storeError) {
      console.error("[tether] could not record a failed listing", storeError);
    }
    return {
      scope,
      key,
      connections: previous?.connections ?? [],
      hosts: previous?.hosts ?? [],
      asOf: previous?.asOf ?? null,
      checkedAt,
      error: { kind: err.kind, message: err.message },
      stale: previous !== undefined,
    };
  }
}

/** A complete listing moves the status history (first seen, changes, deletions). */
function recordHistory(listing: ScopeListing): void {
  const observed: ObservedResource[] = [
    ...listing.connections.map((c) => ({ kind: "connection" as const, account: c.account, region: c.region, id: c.id, arn: c.arn, name: c.name, provider: c.provider, status: c.status })),
    ...listing.hosts.map((h) => ({ kind: "host" as const, account: h.account, region: h.region, id: h.id, arn: h.arn, name: h.name, provider: h.provider, status: h.status })),
  ];
  try {
    getStore().history.recordListing(listing.scope, ["connection", "host"], observed, listing.checkedAt);
  } catch (e) {
    // History is a record of what was seen; failing to write it must not hide the listing.
    console.error("[tether] could not record status history", e);
  }
}

/** One scope's listing, from the cache when fresh enough. Never rejects: failures are in `error`. */
export function getScopeListing(scope: Scope, opts: { refresh?: boolean } = {}): Promise<ScopeListing> {
  return cache().get(`${scopeKey(scope)}|${scope.roleArn ?? ""}`, () => listScope(scope), opts);
}

/**
 * Every configured scope, listed in parallel (bounded). One failing scope never fails the
 * whole: its error is reported with it and the others are complete.
 */
export async function getInventory(opts: { refresh?: boolean } = {}): Promise<Inventory> {
  let scopes: Scope[];
  try {
    scopes = await getScopes();
  } catch (e) {
    throw toAppError(e, "resolving scopes");
  }
  const listings = await mapLimit(scopes, SCOPE_CONCURRENCY, (s) => getScopeListing(s, opts));
  return {
    generatedAt: new Date().toISOString(),
    scopes: listings,
    connections: listings.flatMap((l) => l.connections),
    hosts: listings.flatMap((l) => l.hosts),
  };
}

/** Forget cached listings (tests). */
export function clearInventoryCache(): void {
  cache().clear();
  lastGood().clear();
}
