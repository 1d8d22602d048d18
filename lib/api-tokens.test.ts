import { expect, test } from "vitest";
import { bearerToken, hashToken, newToken, tokenState } from "./api-tokens";

test("tokens are random, prefixed, and stored only as a hash", () => {
  const a = newToken();
  const b = newToken();
  expect(a.token).toMatch(/^tthr_[A-Za-z0-9_-]{43}$/);
  expect(a.token).not.toBe(b.token);
  expect(a.hash).toBe(hashToken(a.token));
  expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(a.hash).not.toContain(a.token.slice(5));
  expect(a.hint).toBe(`…${a.token.slice(-4)}`);
});

test("bearerToken", () => {
  expect(bearerToken("Bearer tthr_abc")).toBe("tthr_abc");
  expect(bearerToken("bearer  tthr_abc ")).toBe("tthr_abc");
  expect(bearerToken("Bearer other")).toBeNull();
  expect(bearerToken("Basic tthr_abc")).toBeNull();
  expect(bearerToken(null)).toBeNull();
});

test("token state: revoked wins, then expiry (at the instant itself), else active", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  expect(tokenState({ revokedAt: null, expiresAt: null }, now)).toBe("active");
  expect(tokenState({ revokedAt: null, expiresAt: "2026-11-25T12:00:01Z" }, now)).toBe("active");
  expect(tokenState({ revokedAt: null, expiresAt: "2026-11-25T12:00:00Z" }, now)).toBe("expired");
  expect(tokenState({ revokedAt: "2026-11-01T00:00:00Z", expiresAt: "2026-11-25T12:00:01Z" }, now)).toBe("revoked");
});
