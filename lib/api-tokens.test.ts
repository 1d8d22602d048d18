import { expect, test } from "vitest";
import { bearerToken, hashToken, newToken, tokenState } from "./api-tokens";

/** SHA-256 of the UTF-8 bytes through Web Crypto, not through the module's own hashing. */
async function webCryptoSha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Buffer.from(digest).toString("hex");
}

test("tokens are stored as the SHA-256 of their UTF-8 bytes, in lower-case hex (known vectors)", () => {
  // FIPS 180-2's "abc" and the empty string; the others computed with `printf '%s' <input> | sha256sum`.
  expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  expect(hashToken("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  expect(hashToken("tthr_3q2-7wEVhHn5ow3aGKuPzLTYWqIzqvS0L1UF8kIGzNE")).toBe("c16acf729e175f29f8e30767c257fd308b751f3838af8950cfe597cbd400ac8b");
  expect(hashToken("tthr_\u00e9")).toBe("4763d69966109248f82e3a11687f92dcd161afafbc8222a418fb3869ee14f830");
});

test("tokens are random, prefixed, and stored only as a hash", async () => {
  const a = newToken();
  const b = newToken();
  expect(a.token).toMatch(/^tthr_[A-Za-z0-9_-]{43}$/);
  expect(a.token).not.toBe(b.token);
  expect(a.hash).toBe(await webCryptoSha256(a.token));
  expect(b.hash).toBe(await webCryptoSha256(b.token));
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

test("8. admin tokens expire at most 90 days after creation, even one stored without an expiry", () => {
  const created = "2026-08-01T00:00:00Z";
  const day = 86_400_000;
  const admin = { role: "admin" as const, createdAt: created, revokedAt: null };
  expect(tokenState({ ...admin, expiresAt: null }, Date.parse(created) + 89 * day)).toBe("active");
  expect(tokenState({ ...admin, expiresAt: null }, Date.parse(created) + 90 * day)).toBe("expired");
  expect(tokenState({ ...admin, expiresAt: "2027-08-01T00:00:00Z" }, Date.parse(created) + 91 * day)).toBe("expired");
  expect(tokenState({ ...admin, expiresAt: "2026-08-08T00:00:00Z" }, Date.parse(created) + 8 * day)).toBe("expired");
  // Viewer tokens may still be made to last.
  expect(tokenState({ role: "viewer", createdAt: created, revokedAt: null, expiresAt: null }, Date.parse(created) + 900 * day)).toBe("active");
});
