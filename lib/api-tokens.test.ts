import { expect, test } from "vitest";
import { bearerToken, hashToken, newToken } from "./api-tokens";

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
