import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { toAppError } from "./errors";

const sdkError = (name: string, extra: object = {}) => Object.assign(new Error(`secret detail arn:aws:iam::999999999999:role/x`), { name, ...extra });

describe("toAppError", () => {
  test.each([
    ["ResourceNotFoundException", "not_found", 404],
    ["AccessDenied", "forbidden", 403],
    ["AccessDeniedException", "forbidden", 403],
    ["ExpiredToken", "forbidden", 403],
    ["ThrottlingException", "throttled", 429],
    ["Throttling", "throttled", 429],
    ["ValidationException", "bad_request", 400],
    ["InternalServerException", "unavailable", 503],
    ["SomethingNew", "internal", 500],
  ])("%s → %s", (name, kind, status) => {
    const e = toAppError(sdkError(name), "listing connections in 111111111111/us-east-1");
    expect(e).toBeInstanceOf(AppError);
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    expect(e.message).toMatch(/^listing connections in 111111111111\/us-east-1: /);
    expect(e.message).toContain(`(${name})`);
    expect(e.message).not.toContain("secret detail");
    expect(e.message).not.toContain("999999999999");
  });

  test("network failures are 'unavailable' and name the code", () => {
    const e = toAppError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4566"), { code: "ECONNREFUSED" }), "x");
    expect(e.kind).toBe("unavailable");
    expect(e.message).toBe("x: cannot reach AWS (ECONNREFUSED)");
  });

  test("server faults are 'unavailable'", () => {
    expect(toAppError(sdkError("Weird", { $fault: "server" }), "x").kind).toBe("unavailable");
  });

  test("AppErrors pass through", () => {
    const original = new AppError("config", "bad");
    expect(toAppError(original, "x")).toBe(original);
  });
});
