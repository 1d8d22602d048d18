import { AppError, DATABASE_UNAVAILABLE } from "@/lib/errors";

/**
 * The database cannot be reached or cannot take a write right now (a PostgreSQL server down,
 * restarting or out of connections; a SQLite file locked past the busy timeout, unopenable or on a
 * failing disk). Such failures are mapped once, at the store's boundary (lib/store/index.ts), to
 * an `unavailable` AppError carrying DATABASE_UNAVAILABLE as its digest, so that:
 * - the receivers answer 503 and the provider delivers again later;
 * - a page shows the "database unreachable" banner (Next passes an error's own digest to the error
 *   boundary in production, where the message itself is hidden);
 * - background jobs back off (lib/repeat.ts) and resume when the database is back.
 */
export { DATABASE_UNAVAILABLE };

// Node's socket errors, and pg's own messages for a connection that went away.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);
const PG_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /^Client has encountered a connection error/, /^Connection ended/];
// SQLSTATE: 08 connection exceptions, 57P01-57P03 shutdown / cannot connect now, 53300 too many connections.
const PG_STATES = /^(08...|57P0[123]|53300)$/;
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY)/;

export function isDatabaseUnavailable(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === "string" && (NETWORK_CODES.has(code) || PG_STATES.test(code) || SQLITE_CODES.test(code))) return true;
  if (typeof message === "string" && PG_MESSAGES.some((r) => r.test(message))) return true;
  // An AggregateError (a host name resolving to several addresses, each refused).
  return Array.isArray(errors) && errors.length > 0 && errors.every(isDatabaseUnavailable);
}

export function databaseUnavailable(cause: unknown): AppError {
  const error = new AppError("unavailable", "Tether's database is unreachable right now; Tether keeps trying and recovers by itself when it is back.", { cause });
  error.digest = DATABASE_UNAVAILABLE;
  return error;
}

/** A store whose every repository call rejects with `databaseUnavailable` when the database is the cause. */
export function guardStore<S extends object>(store: S): S {
  const repos = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "object" || value === null) return value;
      let repo = repos.get(prop);
      if (!repo) {
        repo = guardRepo(value);
        repos.set(prop, repo);
      }
      return repo;
    },
  });
}

function guardRepo(repo: object): object {
  return new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        try {
          return Promise.resolve((value as (...a: unknown[]) => unknown).apply(target, args)).catch((e: unknown) => {
            throw isDatabaseUnavailable(e) ? databaseUnavailable(e) : e;
          });
        } catch (e) {
          return Promise.reject(isDatabaseUnavailable(e) ? databaseUnavailable(e) : (e as Error));
        }
      };
    },
  });
}
