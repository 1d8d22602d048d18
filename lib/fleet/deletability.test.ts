import { afterEach, describe, expect, test, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { deletability } from "./deletability";

/**
 * Delete from Tether only a connection that has been PENDING for at least
 * TETHER_DELETE_PENDING_AFTER_DAYS days (default 7) and that no pipeline uses.
 */
const DAY = 86_400_000;
const now = Date.parse("2026-11-25T12:00:00Z");
const pendingFor = (days: number, pipelines: number | null = 0) => ({ status: "PENDING", statusSince: new Date(now - days * DAY).toISOString(), pipelines });

function withDays(days: string | undefined) {
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("TETHER_DELETE_PENDING_AFTER_DAYS", days);
  resetEnvForTests();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe("deletability: the age guard", () => {
  test("default 7 days: refused at 6.9 days and a millisecond short of 7, allowed at exactly 7 and after", () => {
    withDays(undefined);
    expect(deletability(pendingFor(6.9), now)).toEqual({ allowed: false, reason: "it has been PENDING for 6 days; deletable after 7 days (TETHER_DELETE_PENDING_AFTER_DAYS)" });
    expect(deletability({ ...pendingFor(7), statusSince: new Date(now - 7 * DAY + 1).toISOString() }, now).allowed).toBe(false);
    expect(deletability(pendingFor(7), now)).toEqual({ allowed: true, reason: "PENDING for 7 days and used by no pipeline" });
    expect(deletability(pendingFor(30), now).allowed).toBe(true);
  });

  test("under a day says so", () => {
    withDays(undefined);
    expect(deletability(pendingFor(0.5), now)).toEqual({ allowed: false, reason: "it has been PENDING for less than a day; deletable after 7 days (TETHER_DELETE_PENDING_AFTER_DAYS)" });
  });

  test("TETHER_DELETE_PENDING_AFTER_DAYS=0: any PENDING, unused connection, even one first seen just now", () => {
    withDays("0");
    expect(deletability(pendingFor(0), now).allowed).toBe(true);
    expect(deletability(pendingFor(0.01), now).allowed).toBe(true);
  });

  test("TETHER_DELETE_PENDING_AFTER_DAYS=30: refused at 29.9 and 7 days, allowed at 30", () => {
    withDays("30");
    expect(deletability(pendingFor(7), now)).toMatchObject({ allowed: false, reason: expect.stringContaining("deletable after 30 days") });
    expect(deletability(pendingFor(29.9), now).allowed).toBe(false);
    expect(deletability(pendingFor(30), now).allowed).toBe(true);
  });

  test("an unknown age is refused whatever the setting", () => {
    for (const days of [undefined, "0"]) {
      withDays(days);
      expect(deletability({ status: "PENDING", statusSince: null, pipelines: 0 }, now)).toEqual({ allowed: false, reason: "Tether does not know how long it has been PENDING" });
    }
  });
});

describe("deletability: status and use", () => {
  test("used by pipelines, or before its scopes' pipelines are mapped: refused however old", () => {
    withDays("0");
    expect(deletability(pendingFor(100, 1), now)).toEqual({ allowed: false, reason: "1 pipeline use it" });
    expect(deletability(pendingFor(100, 3), now)).toEqual({ allowed: false, reason: "3 pipelines use it" });
    expect(deletability(pendingFor(100, null), now)).toMatchObject({ allowed: false, reason: expect.stringContaining("have not been mapped yet") });
  });

  test.each(["AVAILABLE", "ERROR", "DELETED"])("%s: refused however old and unused", (status) => {
    withDays("0");
    expect(deletability({ ...pendingFor(100), status }, now)).toEqual({ allowed: false, reason: `only PENDING connections can be deleted here (this one is ${status})` });
  });
});
