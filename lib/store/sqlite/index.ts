import { SqliteAudit } from "./audit";
import { openDatabase, type Db } from "./database";
import { SqliteHistory } from "./history";
import { SqliteLatency } from "./latency";
import { SqlitePipelines } from "./pipelines";
import { SqliteSessions } from "./sessions";
import { SqliteTokens } from "./tokens";
import { SqliteWatches } from "./watches";
import type { Store } from "@/lib/store/types";

/**
 * The SQLite engine: one file (WAL, synchronous FULL), one class per repository, the row mapping in
 * rows.ts, the connection's settings and migrations in database.ts.
 */

export { MAX_REVISION_ATTEMPTS } from "./latency";
export { migrate, openDatabase } from "./database";

/** Opens (creating the folder and file if needed) and migrates a SQLite store. `:memory:` works for tests. */
export function openSqliteStore(file: string): Store {
  return storeOn(openDatabase(file));
}

function storeOn(db: Db): Store {
  return {
    sessions: new SqliteSessions(db),
    latency: new SqliteLatency(db),
    pipelines: new SqlitePipelines(db),
    history: new SqliteHistory(db),
    audit: new SqliteAudit(db),
    tokens: new SqliteTokens(db),
    watches: new SqliteWatches(db),
    close: () => db.close(),
  };
}
