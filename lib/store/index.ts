import "server-only";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";
import { openSqliteStore } from "./sqlite";
import { lockDatabaseFile } from "./sqlite/process-lock";
import type { Store } from "./types";
import { guardStore } from "./unavailable";

/**
 * The process's store (SQLite at TETHER_DATABASE_PATH), opened and migrated on first use. A call
 * that fails because the database cannot be reached rejects with the `unavailable` AppError of
 * ./unavailable.ts (503 for the receivers, the banner for pages, backoff for jobs).
 */
export function getStore(): Store {
  return singleton("store", () => guardStore(openSqliteStore(env().TETHER_DATABASE_PATH)));
}

/**
 * Claims the database for this server process at start-up: on SQLite, the file's lock (one process
 * per file; throws a ConfigError naming the process that holds it).
 */
export function claimStore(): void {
  lockDatabaseFile(env().TETHER_DATABASE_PATH);
}

export { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from "./unavailable";
export type * from "./types";
