import { describe, expect, test } from "vitest";
import { isAppError } from "@/lib/errors";
import { DATABASE_UNAVAILABLE, guardStore, isDatabaseUnavailable } from "./unavailable";

const err = (props: Record<string, unknown>, message = "boom") => Object.assign(new Error(message), props);

describe("isDatabaseUnavailable", () => {
  test.each([
    ["a refused connection", err({ code: "ECONNREFUSED" })],
    ["a reset connection", err({ code: "ECONNRESET" })],
    ["PostgreSQL shutting down (57P01 admin_shutdown)", err({ code: "57P01" })],
    ["PostgreSQL starting up (57P03 cannot_connect_now)", err({ code: "57P03" })],
    ["a connection failure (08006)", err({ code: "08006" })],
    ["too many connections (53300)", err({ code: "53300" })],
    ["pg's terminated connection", new Error("Connection terminated unexpectedly")],
    ["pg's pool connect timeout", new Error("timeout exceeded when trying to connect")],
    ["SQLite locked past the busy timeout", err({ code: "SQLITE_BUSY" })],
    ["SQLite disk I/O error", err({ code: "SQLITE_IOERR_FSYNC" })],
    ["SQLite disk full", err({ code: "SQLITE_FULL" })],
    ["every address refused", Object.assign(new AggregateError([err({ code: "ECONNREFUSED" }), err({ code: "ECONNREFUSED" })]), {})],
  ])("%s: yes", (_what, e) => expect(isDatabaseUnavailable(e)).toBe(true));

  test.each([
    ["a unique violation (23505)", err({ code: "23505" })],
    ["a syntax error (42601)", err({ code: "42601" })],
    ["SQLite constraint", err({ code: "SQLITE_CONSTRAINT_UNIQUE" })],
    ["the append-only audit trigger", err({ code: "SQLITE_CONSTRAINT_TRIGGER" }, "audit log is append-only")],
    ["a plain bug", new TypeError("x is undefined")],
    ["not an error", "ECONNREFUSED"],
    ["an AggregateError of mixed causes", new AggregateError([err({ code: "ECONNREFUSED" }), new TypeError("bug")])],
  ])("%s: no", (_what, e) => expect(isDatabaseUnavailable(e)).toBe(false));
});

describe("guardStore", () => {
  const down = err({ code: "ECONNREFUSED" });
  const bug = new TypeError("a bug");
  const store = guardStore({
    audit: {
      rejectsDown: () => Promise.reject(down),
      throwsDown: () => {
        throw down;
      },
      rejectsBug: () => Promise.reject(bug),
      answers: (n: number) => Promise.resolve(n * 2),
    },
  });

  test("a call failing because of the database rejects with the unavailable AppError, its cause kept", async () => {
    for (const call of [store.audit.rejectsDown, store.audit.throwsDown]) {
      const e = await Promise.resolve()
        .then(() => call())
        .catch((x: unknown) => x);
      expect(isAppError(e)).toBe(true);
      expect(e).toMatchObject({ kind: "unavailable", status: 503, digest: DATABASE_UNAVAILABLE, cause: down });
    }
  });

  test("anything else passes through untouched", async () => {
    await expect(store.audit.rejectsBug()).rejects.toBe(bug);
    await expect(store.audit.answers(21)).resolves.toBe(42);
  });
});
