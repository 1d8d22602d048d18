import { describe, expect, test } from "vitest";
import { decide, delayAfterFailure, delayBeforeCheck } from "./decide";

const deadline = "2026-11-25T12:15:00.000Z";
const before = Date.parse("2026-11-25T12:05:00.000Z");
const after = Date.parse("2026-11-25T12:15:00.000Z");
const conn = (statusBefore: string) => ({ kind: "connection" as const, statusBefore, deadlineAt: deadline });

describe("decide", () => {
  test.each([
    [conn("PENDING"), "AVAILABLE", before, "completed"],
    [conn("PENDING"), "PENDING", before, null],
    [conn("PENDING"), "ERROR", before, "failed"],
    [conn("PENDING"), null, before, "failed"],
    [conn("PENDING"), "PENDING", after, "timeout"],
    [conn("ERROR"), "ERROR", before, null],
    [conn("ERROR"), "ERROR", after, "failed"],
    [conn("ERROR"), "AVAILABLE", after, "completed"],
    [{ kind: "host" as const, statusBefore: "PENDING", deadlineAt: deadline }, "PENDING", before, null],
    [{ kind: "host" as const, statusBefore: "PENDING", deadlineAt: deadline }, "AVAILABLE", before, "completed"],
    [{ kind: "host" as const, statusBefore: "PENDING", deadlineAt: deadline }, "PENDING", after, "timeout"],
  ])("%j sees %s → %s", (watch, status, now, expected) => {
    expect(decide(watch, status, now)?.state ?? null).toBe(expected);
  });
});

test("backoff grows and is capped", () => {
  expect([0, 1, 2, 6, 7, 50].map(delayBeforeCheck)).toEqual([2000, 3000, 5000, 30000, 30000, 30000]);
});

test("after failures the wait doubles with jitter, up to five minutes, never below the schedule", () => {
  // Jitter keeps each wait within [ceiling/2, ceiling].
  expect([1, 2, 3, 4, 5, 6].map((n) => delayAfterFailure(n, 10, 0))).toEqual([30000, 30000, 30000, 30000, 32000, 64000]);
  expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => delayAfterFailure(n, 0, 0.999999))).toEqual([4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000]);
  expect(delayAfterFailure(20, 0, 0)).toBe(150000);
  expect(delayAfterFailure(1, 0, 0)).toBe(2000);
});
