import { AppError, DATABASE_UNAVAILABLE } from "@/lib/errors";

/**
 * The database cannot be reached right now (PostgreSQL down, restarting, out of connections, the
 * network between; SQLite's file locked or missing). An AppError of kind "unavailable" (HTTP 503)
 * whose message says so without naming the server; the driver's error is its `cause`, for the log.
 *
 * Where the app must expect it: every page and route (lib/api.ts maps it to 503), the webhook and
 * events receivers (a 503 makes the provider retry; the delivery is not lost), and the background
 * jobs (skip the cycle, try again later) — it is the one store error that is worth retrying.
 */
export class DatabaseUnavailableError extends AppError {
  override name = "DatabaseUnavailableError";
  readonly databaseUnavailable = true;
  constructor(reason: string, cause: unknown) {
    super("unavailable", `Tether's database is unreachable right now (${reason}); Tether keeps trying and recovers by itself when it is back.`, { cause });
    // Pages' error boundaries recognise it by its digest (Next hides messages in production).
    this.digest = DATABASE_UNAVAILABLE;
  }
}

/** Socket-level failures of a connection to the server (Node's error codes). */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "ECONNABORTED"]);

/**
 * PostgreSQL SQLSTATEs that mean "not now" rather than "wrong": class 08 (connection exception),
 * the server shutting down or starting up, too many connections.
 */
const PG_UNAVAILABLE = /^(08...|57P01|57P02|57P03|53300)$/;

/** What node-postgres says when a connection ends or cannot be made in time (no code is set). */
const PG_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/, /^Client has encountered a connection error/];

/** SQLite: the file is locked beyond busy_timeout, or cannot be opened. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|CANTOPEN)/;

/**
 * The reason, when `e` (a driver's error) means the database is unreachable rather than that the
 * statement was wrong; null otherwise.
 */
export function unavailableReason(e: unknown): string | null {
  if (typeof e !== "object" || e === null) return null;
  const code = (e as { code?: unknown }).code;
  const message = (e as { message?: unknown }).message;
  if (typeof code === "string") {
    if (code === "ECONNREFUSED") return "connection refused";
    if (code === "ETIMEDOUT") return "connection timed out";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host name not resolved";
    if (NETWORK_CODES.has(code)) return "connection lost";
    if (code === "53300") return "too many connections";
    if (code === "57P01" || code === "57P02") return "server shutting down";
    if (code === "57P03") return "server starting up";
    if (PG_UNAVAILABLE.test(code)) return "connection failed";
    if (code.startsWith("SQLITE_BUSY")) return "the SQLite file is locked";
    if (SQLITE_UNAVAILABLE.test(code)) return "the SQLite file cannot be opened";
  }
  if (typeof message === "string") {
    if (PG_MESSAGES.some((m) => m.test(message))) return /timeout/.test(message) ? "connection timed out" : "connection lost";
  }
  // AggregateError: every address of a host refused (Node's happy eyeballs).
  const errors = (e as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0) return unavailableReason(errors[0]);
  return null;
}

/**
 * True when `e` says the database is unreachable (a DatabaseUnavailableError, or a driver error
 * of that kind: connection refused, ended or timed out on PostgreSQL; SQLITE_BUSY or CANTOPEN):
 * worth a 503 and a retry, not a 500.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (typeof e === "object" && e !== null && (e as { databaseUnavailable?: unknown }).databaseUnavailable === true) return true;
  return unavailableReason(e) !== null;
}

/** `e` as a DatabaseUnavailableError when it is one of those driver errors; `e` itself otherwise. */
export function asUnavailable(e: unknown): unknown {
  if (e instanceof DatabaseUnavailableError) return e;
  const reason = unavailableReason(e);
  return reason === null ? e : new DatabaseUnavailableError(reason, e);
}

const LOG_EVERY_MS = 30_000;
const lastLogged = new Map<string, number>();

/**
 * Logs a DatabaseUnavailableError with its driver's cause, once per reason every 30 s: during an
 * outage every request fails the same way, and a burst of webhook deliveries must not flood the log.
 * True when it logged.
 */
export function logUnavailable(e: DatabaseUnavailableError, where: string, now = Date.now()): boolean {
  const reason = unavailableReason(e.cause) ?? e.message;
  const last = lastLogged.get(reason);
  if (last !== undefined && now - last < LOG_EVERY_MS) return false;
  lastLogged.set(reason, now);
  console.error(`[tether] ${where}: the database is unreachable (${reason}); answering 503 until it is back`, e.cause);
  return true;
}
