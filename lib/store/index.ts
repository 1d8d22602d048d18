import "server-only";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";
import { openPostgresStore } from "./postgres";
import { openSqliteStore } from "./sqlite";
import { lockDatabaseFile } from "./sqlite/process-lock";
import type { Store } from "./types";
import { guardStore } from "./unavailable";

/**
 * The process's store, opened on first use: PostgreSQL at TETHER_DATABASE_URL when it is set
 * (returned at once; the schema is migrated before the first statement), else SQLite at
 * TETHER_DATABASE_PATH (opened and migrated here). A call that fails because the database cannot
 * be reached rejects with a DatabaseUnavailableError (./unavailable.ts).
 */
export function getStore(): Store {
  return singleton("store", () => {
    const e = env();
    return guardStore(e.TETHER_DATABASE_URL ? openPostgresStore(e.TETHER_DATABASE_URL, { poolSize: e.TETHER_DATABASE_POOL_SIZE }) : openSqliteStore(e.TETHER_DATABASE_PATH));
  });
}

/**
 * Claims the database for this server process at start-up: on SQLite, the file's lock (one process
 * per file; throws a ConfigError naming the process that holds it). PostgreSQL is shared by design.
 */
export function claimStore(): void {
  const e = env();
  if (!e.TETHER_DATABASE_URL) lockDatabaseFile(e.TETHER_DATABASE_PATH);
}

export { DatabaseUnavailableError, isDatabaseUnavailable } from "./errors";
export type * from "./types";
