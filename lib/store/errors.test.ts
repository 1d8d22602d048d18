import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test, vi } from "vitest";
import { DATABASE_UNAVAILABLE, isAppError } from "@/lib/errors";
import { asUnavailable, DatabaseUnavailableError, isDatabaseUnavailable, logUnavailable } from "./errors";

/** The error `work` throws. */
function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (e) {
    return e;
  }
  throw new Error("nothing was thrown");
}

describe("isDatabaseUnavailable", () => {
  test("SQLite: a file locked beyond the busy timeout, a file that cannot be opened; not a constraint", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-busy-")), "t.db");
    const holder = new Database(file);
    holder.exec("CREATE TABLE t (a INTEGER UNIQUE)");
    holder.exec("BEGIN IMMEDIATE");
    const other = new Database(file, { timeout: 0 });
    const busy = thrown(() => other.exec("INSERT INTO t VALUES (1)"));
    expect(busy).toMatchObject({ code: "SQLITE_BUSY" });
    expect(isDatabaseUnavailable(busy)).toBe(true);
    holder.exec("COMMIT");
    other.exec("INSERT INTO t VALUES (1)");
    const constraint = thrown(() => other.exec("INSERT INTO t VALUES (1)"));
    expect(constraint).toMatchObject({ code: "SQLITE_CONSTRAINT_UNIQUE" });
    expect(isDatabaseUnavailable(constraint)).toBe(false);
    // A folder where the file should be.
    const cantOpen = thrown(() => new Database(path.dirname(file)).exec("CREATE TABLE x (a)"));
    expect(cantOpen).toMatchObject({ code: "SQLITE_CANTOPEN" });
    expect(isDatabaseUnavailable(cantOpen)).toBe(true);
    holder.close();
    other.close();
  });

  test.each([
    [{ code: "ECONNREFUSED", message: "connect ECONNREFUSED 10.0.0.5:5432" }, "connection refused"],
    [{ code: "ETIMEDOUT" }, "connection timed out"],
    [{ code: "ENOTFOUND" }, "host name not resolved"],
    [{ code: "ECONNRESET" }, "connection lost"],
    [{ code: "57P01", message: "terminating connection due to administrator command" }, "server shutting down"],
    [{ code: "57P03", message: "the database system is starting up" }, "server starting up"],
    [{ code: "53300", message: "sorry, too many clients already" }, "too many connections"],
    [{ code: "08006" }, "connection failed"],
    [new Error("Connection terminated unexpectedly"), "connection lost"],
    [new Error("timeout exceeded when trying to connect"), "connection timed out"],
    [new Error("Connection terminated due to connection timeout"), "connection timed out"],
    [Object.assign(new AggregateError([{ code: "ECONNREFUSED" }, { code: "ECONNREFUSED" }]), { message: "" }), "connection refused"],
  ])("PostgreSQL unreachable: %j → %s", (raw, reason) => {
    expect(isDatabaseUnavailable(raw)).toBe(true);
    const e = asUnavailable(raw);
    expect(e).toBeInstanceOf(DatabaseUnavailableError);
    expect(isAppError(e)).toBe(true);
    // The message is the user's: the reason, never the server's address.
    expect(e).toMatchObject({ kind: "unavailable", status: 503, message: `Tether's database is unreachable right now (${reason}); Tether keeps trying and recovers by itself when it is back.`, digest: DATABASE_UNAVAILABLE, cause: raw });
    expect(asUnavailable(e)).toBe(e);
  });

  test.each([
    [{ code: "23505", message: "duplicate key value violates unique constraint" }],
    [{ code: "42P01", message: 'relation "x" does not exist' }],
    [{ code: "28P01", message: "password authentication failed" }],
    [new Error("something else")],
    [null],
    ["ECONNREFUSED"],
  ])("not unavailable: %j", (raw) => {
    expect(isDatabaseUnavailable(raw)).toBe(false);
    expect(asUnavailable(raw)).toBe(raw);
  });
});

describe("logUnavailable", () => {
  test("one line per reason every 30 s, with the driver's error; another reason logs at once", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const refused = new DatabaseUnavailableError("connection refused", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
      const t0 = 1_900_000_000_000;
      expect(logUnavailable(refused, "route", t0)).toBe(true);
      expect(logUnavailable(refused, "route", t0 + 29_999)).toBe(false);
      const lost = new DatabaseUnavailableError("connection lost", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
      expect(logUnavailable(lost, "route", t0 + 1)).toBe(true);
      expect(logUnavailable(refused, "route", t0 + 30_000)).toBe(true);
      expect(log).toHaveBeenCalledTimes(3);
      expect(log.mock.calls[0]?.[0]).toBe("[tether] route: the database is unreachable (connection refused); answering 503 until it is back");
      expect(log.mock.calls[0]?.[1]).toBe(refused.cause);
    } finally {
      log.mockRestore();
    }
  });
});
