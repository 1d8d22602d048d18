import { PgAlerts } from "./alerts";
import { PgAudit } from "./audit";
import { PgDiscovery } from "./discovery";
import { PgDatabase } from "./database";
import { PgHistory } from "./history";
import { PgLatency } from "./latency";
import { PgLeases } from "./leases";
import { PgListings } from "./listings";
import { PgPipelines } from "./pipelines";
import { PgSessions } from "./sessions";
import { PgTokens } from "./tokens";
import { PgWatches } from "./watches";
import type { Store } from "@/lib/store/types";

/**
 * The PostgreSQL engine: one pool per process, one class per repository (the row mapping is the
 * engines' shared lib/store/rows.ts), the pool, locks and migrations in database.ts. Several
 * replicas may share one database: what SQLite's single writer serialised is serialised here by
 * transaction-level advisory locks (database.ts, LOCK).
 */

export { migrate, MIGRATION_LOCK, PgDatabase } from "./database";

/**
 * A store on the PostgreSQL database at `url`. Returns at once: nothing connects until the first
 * call, which migrates the schema (under an advisory lock) before its statement runs. While the
 * server is unreachable every call rejects with a DatabaseUnavailableError; the next call tries
 * again, so the same store works once the server is back.
 */
export function openPostgresStore(url: string, opts: { poolSize?: number; connectionTimeoutMs?: number } = {}): Store {
  const db = new PgDatabase(url, { poolSize: opts.poolSize ?? 10, connectionTimeoutMs: opts.connectionTimeoutMs });
  return {
    discovery: new PgDiscovery(db),
    alerts: new PgAlerts(db),
    sessions: new PgSessions(db),
    latency: new PgLatency(db),
    leases: new PgLeases(db),
    listings: new PgListings(db),
    pipelines: new PgPipelines(db),
    history: new PgHistory(db),
    audit: new PgAudit(db),
    tokens: new PgTokens(db),
    watches: new PgWatches(db),
    close: () => db.close(),
  };
}
