import { describe, expect, test } from "vitest";
import { DATABASE_UNAVAILABLE, isAppError } from "@/lib/errors";
import { guardStore } from "./unavailable";

const err = (props: Record<string, unknown>, message = "boom") => Object.assign(new Error(message), props);

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
