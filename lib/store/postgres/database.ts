import pg from "pg";
import { asUnavailable } from "@/lib/store/errors";
import { MIGRATIONS, type Migration } from "@/lib/store/migrations";

/** A pool or one client of it: what a repository's statements run on. */
export type Queryable = Pick<pg.PoolClient, "query">;

/**
 * The session-level advisory lock every migration run holds: two replicas starting together apply
 * each version once, the second waiting for the first and then finding nothing to do. A fixed
 * 64-bit key ("tether:migrations"), apart from the transaction-level locks the repositories take.
 */
export const MIGRATION_LOCK = "7412839207352615001";

/**
 * Applies every migration not yet recorded, each in its own transaction, under MIGRATION_LOCK.
 * Returns the versions applied by this call.
 */
export async function migrate(pool: pg.Pool, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect().catch((e: unknown) => {
    throw asUnavailable(e);
  });
  let broken: Error | undefined;
  const onError = (e: Error) => {
    broken = e;
  };
  client.on("error", onError);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
      const applied = new Set((await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version));
      const ran: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(m.version)) continue;
        await client.query("BEGIN");
        try {
          await client.query(m.postgres);
          await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, new Date().toISOString()]);
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK").catch(() => undefined);
          if (asUnavailable(e) !== e) throw e;
          throw new Error(`migration ${m.version} (${m.name}) failed on PostgreSQL: ${(e as Error).message}`, { cause: e });
        }
        ran.push(m.version);
      }
      return ran;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch((e: Error) => {
        broken ??= e;
      });
    }
  } catch (e) {
    throw asUnavailable(e);
  } finally {
    client.off("error", onError);
    // A connection that failed (or still holds the lock) is closed, never handed out again.
    client.release(broken);
  }
}

/**
 * The pool of one PostgreSQL store. It is created at once and connects on first use; every
 * statement first awaits `ready()` (the schema migrated), so getStore() can stay synchronous.
 */
export class PgDatabase {
  readonly pool: pg.Pool;
  private migrated: Promise<void> | null = null;

  constructor(url: string, opts: { poolSize: number; connectionTimeoutMs?: number }) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize,
      // An unreachable server fails a call after this long instead of hanging it (the default waits forever).
      connectionTimeoutMillis: opts.connectionTimeoutMs ?? 10_000,
      keepAlive: true,
      application_name: "tether",
    });
    // An idle connection that the server closes (restart, failover) is dropped by the pool and
    // replaced on the next checkout; unhandled, the event would end the process.
    this.pool.on("error", (e) => {
      console.error(`tether: an idle PostgreSQL connection failed and was closed: ${e.message}`);
    });
  }

  /**
   * Resolves once the schema is migrated. Calls made meanwhile share one migration run; when it
   * fails they all reject with its error and the next call tries again (a database that was down
   * at start-up is picked up when it comes back, without a restart).
   */
  ready(): Promise<void> {
    this.migrated ??= migrate(this.pool).then(
      () => undefined,
      (e: unknown) => {
        this.migrated = null;
        throw e;
      },
    );
    return this.migrated;
  }

  /** One statement on any connection of the pool (autocommit). */
  async query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    await this.ready();
    try {
      return await this.pool.query<R>(sql, params);
    } catch (e) {
      throw asUnavailable(e);
    }
  }

  /**
   * `work` in one transaction on one connection: committed when it resolves, rolled back when it
   * throws (the error is rethrown). The connection goes back to the pool in every case, or is
   * closed when it failed.
   */
  async tx<T>(work: (c: Queryable) => Promise<T>): Promise<T> {
    await this.ready();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw asUnavailable(e);
    }
    let broken: Error | undefined;
    const onError = (e: Error) => {
      broken = e;
    };
    client.on("error", onError);
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (e) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        broken ??= rollbackError;
      });
      throw asUnavailable(e);
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
