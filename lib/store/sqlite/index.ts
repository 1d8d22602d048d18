import { SqliteAlerts } from "./alerts";
import { SqliteAudit } from "./audit";
import { SqliteDiscovery } from "./discovery";
import { openDatabase, type Db } from "./database";
import { SqliteHistory } from "./history";
import { SqliteLatency } from "./latency";
import { SqliteLeases } from "./leases";
import { SqliteListings } from "./listings";
import { SqlitePipelines } from "./pipelines";
import { SqliteSessions } from "./sessions";
import { SqliteTokens } from "./tokens";
import { SqliteWatches } from "./watches";
import type { AlertRepo, AuditRepo, DiscoveryRepo, HistoryRepo, LatencyRepo, LeaseRepo, PipelineRepo, SessionRepo, SharedListingRepo, Store, TokenRepo, WatchRepo } from "@/lib/store/types";

/**
 * The SQLite engine: one file (WAL, synchronous FULL), one class per repository, the row mapping in
 * rows.ts, the connection's settings and migrations in database.ts.
 */

export { migrate, openDatabase } from "./database";

/**
 * A repository written synchronously (better-sqlite3 answers at once), seen through the
 * asynchronous interface every engine shares: each method's result becomes a promise, and a throw
 * a rejection. Inside a repository, methods keep calling each other synchronously (transactions).
 */
export type Syncish<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R | Promise<R> : T[K] };

function asyncRepo<T extends object>(impl: Syncish<T>): T {
  // Keyed by the function itself, so a method replaced on the repository (a test's spy) is seen.
  const wrapped = new WeakMap<object, unknown>();
  return new Proxy(impl, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      let fn = wrapped.get(value);
      if (!fn) {
        fn = (...args: unknown[]) => {
          try {
            return Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args));
          } catch (e) {
            return Promise.reject(e as Error);
          }
        };
        wrapped.set(value, fn);
      }
      return fn;
    },
  }) as unknown as T;
}

/** Opens (creating the folder and file if needed) and migrates a SQLite store. `:memory:` works for tests. */
export function openSqliteStore(file: string): Store {
  return storeOn(openDatabase(file));
}

function storeOn(db: Db): Store {
  const latency = new SqliteLatency(db);
  return {
    discovery: asyncRepo<DiscoveryRepo>(new SqliteDiscovery(db)),
    alerts: asyncRepo<AlertRepo>(new SqliteAlerts(db)),
    sessions: asyncRepo<SessionRepo>(new SqliteSessions(db)),
    latency: asyncRepo<LatencyRepo>(latency),
    leases: asyncRepo<LeaseRepo>(new SqliteLeases(db)),
    listings: asyncRepo<SharedListingRepo>(new SqliteListings(db)),
    pipelines: asyncRepo<PipelineRepo>(new SqlitePipelines(db)),
    history: asyncRepo<HistoryRepo>(new SqliteHistory(db)),
    audit: asyncRepo<AuditRepo>(new SqliteAudit(db)),
    tokens: asyncRepo<TokenRepo>(new SqliteTokens(db)),
    watches: asyncRepo<WatchRepo>(new SqliteWatches(db)),
    close: async () => {
      // The writer thread first: the batches it was sent commit, then its connection closes.
      await latency.close();
      db.close();
    },
  };
}
