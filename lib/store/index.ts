import "server-only";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";
import { openSqliteStore } from "./sqlite";
import type { Store } from "./types";

/** The process's store (SQLite at TETHER_DATABASE_PATH), opened and migrated on first use. */
export function getStore(): Store {
  return singleton("store", () => openSqliteStore(env().TETHER_DATABASE_PATH));
}

export type * from "./types";
