import pg from "pg";
import { AppError } from "@/lib/errors";
import { asUnavailable } from "@/lib/store/errors";
import { MIGRATIONS, type Migration } from "@/lib/store/migrations";

/** The database (autocommit) or the client of one transaction: what a repository's statements run on. */
export interface Queryable {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Classes of the transaction-level advisory locks (pg_advisory_xact_lock(class, hashtext(key))):
 * what SQLite's single writer serialised and PostgreSQL's concurrent transactions must not
 * interleave. Released at commit or rollback.
 */
export const LOCK = {
  /** One listing key (kind, account, Region): its resources and history are read, then written. */
  listing: 1,
  /** Refusal bursts: read, counted, closed into summaries. */
  bursts: 2,
  /** One push (provider, repository, branch, commit): "already stored under another delivery id?". */
  push: 3,
  /** Alert evaluations (AlertRepo.apply, prune): firing, renotifying and resolving decided on the last committed one. */
  alerts: 4,
} as const;

/**
 * A parameter compared as SQLite's COLLATE NOCASE compares: `lower(column) = ${nocase("$1")}`.
 * Columns are COLLATE "C", under which lower() folds ASCII letters only, as NOCASE does; the
 * parameter gets the same collation (a parameter's default is the server's locale, which folds more).
 */
export const nocase = (param: string): string => `lower(${param}::text COLLATE "C")`;

/**
 * A driver's error as the app should see it: the server unreachable → DatabaseUnavailableError
 * (503); text PostgreSQL cannot store (a NUL character, which SQLite would have kept) → a 400
 * that says so instead of a 500; anything else unchanged.
 */
export function storeError(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "22021" || code === "22P05") return new AppError("bad_request", "text with a NUL character (\\u0000) cannot be stored", { cause: e });
  return asUnavailable(e);
}

/** Takes one of the LOCK advisory locks for the rest of the transaction on `c`. */
export async function lock(c: Queryable, kind: (typeof LOCK)[keyof typeof LOCK], key: string): Promise<void> {
  await c.query("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", [kind, key]);
}

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
 * pg-pool awaits onConnect before handing the connection out, and a rejection fails the checkout
 * (pg-pool 3.14, index.js); @types/pg still declares it as returning void.
 */
const durableCommits = (async (client: pg.ClientBase): Promise<void> => {
  await client.query("SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'");
}) as (client: pg.ClientBase) => void;

/**
 * The pool of one PostgreSQL store. It is created at once and connects on first use; every
 * statement first awaits `ready()` (the schema migrated), so getStore() can stay synchronous.
 */
export class PgDatabase implements Queryable {
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
      // A commit must be on disk before it returns (a push answered 202 survives a crash), as
      // SQLite's synchronous=FULL is set on every open. A server or database whose default is
      // synchronous_commit=off would lose the last commits: each new connection raises it to on
      // before it is used, and leaves a stronger level (remote_write, remote_apply) as it is.
      onConnect: durableCommits,
    });
    // An idle connection that the server closes (restart, failover) is dropped by the pool and
    // replaced on the next checkout; unhandled, the event would end the process.
    this.pool.on("error", (e) => {
      console.error(`[tether] an idle PostgreSQL connection failed and was closed: ${e.message}`);
    });
  }

  /**
   * Resolves once the schema is migrated. Calls made meanwhile share one migration run; when it
   * fails they all reject with its error and the next call tries again (a database that was down
   * at start-up is picked up when it comes back, without a restart).
   */
  ready(): Promise<void> {
    this.migrated ??= migrate(this.pool).then(
      (ran) => {
        if (ran.length) console.log(`[tether] PostgreSQL schema migrated: version${ran.length > 1 ? "s" : ""} ${ran.join(", ")} applied`);
      },
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
      throw storeError(e);
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
      throw storeError(e);
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
