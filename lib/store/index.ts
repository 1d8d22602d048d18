import "server-only";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";
import { openPostgresStore } from "./postgres";
import { openSqliteStore } from "./sqlite";
import type { Store } from "./types";

/**
 * The process's store, opened on first use: PostgreSQL at TETHER_DATABASE_URL when it is set
 * (returned at once; the schema is migrated before the first statement), else SQLite at
 * TETHER_DATABASE_PATH (opened and migrated here).
 */
export function getStore(): Store {
  return singleton("store", () => {
    const e = env();
    return e.TETHER_DATABASE_URL ? openPostgresStore(e.TETHER_DATABASE_URL, { poolSize: e.TETHER_DATABASE_POOL_SIZE }) : openSqliteStore(e.TETHER_DATABASE_PATH);
  });
}

export { DatabaseUnavailableError, isDatabaseUnavailable } from "./errors";
export type * from "./types";
