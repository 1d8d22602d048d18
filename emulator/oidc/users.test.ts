import { describe, expect, it } from "vitest";
import { normalizeAppUrl } from "./provider";
import { authenticate, DEMO_USERS, userClaims } from "./users";

describe("demo users", () => {
  it("accepts the username or the email, in any case, with the demo password", () => {
    expect(authenticate("alice", "tether-demo")?.username).toBe("alice");
    expect(authenticate(" ALICE@example.com ", "tether-demo")?.username).toBe("alice");
    expect(authenticate("bob@example.com", "tether-demo")?.username).toBe("bob");
  });

  it("refuses a wrong password or an unknown user", () => {
    expect(authenticate("alice", "Tether-demo")).toBeUndefined();
    expect(authenticate("alice", "")).toBeUndefined();
    expect(authenticate("carol", "tether-demo")).toBeUndefined();
    expect(authenticate("", "tether-demo")).toBeUndefined();
  });

  it("has the claims the app reads", () => {
    expect(DEMO_USERS.map((u) => [u.username, u.email, u.groups])).toEqual([
      ["alice", "alice@example.com", ["platform-admins"]],
      ["bob", "bob@example.com", ["developers"]],
    ]);
    expect(userClaims(DEMO_USERS[0]!)).toEqual({
      sub: "alice",
      name: "Alice",
      preferred_username: "alice",
      email: "alice@example.com",
      email_verified: true,
      groups: ["platform-admins"],
    });
  });
});

describe("normalizeAppUrl", () => {
  it("drops trailing slashes and keeps a base path", () => {
    expect(normalizeAppUrl("http://localhost:3000/")).toBe("http://localhost:3000");
    expect(normalizeAppUrl("https://tether.example.com/base/")).toBe("https://tether.example.com/base");
  });

  it("refuses what is not an http(s) base URL", () => {
    for (const bad of ["localhost:3000", "ftp://x", "http://x/?a=1", "not a url"]) expect(() => normalizeAppUrl(bad)).toThrow(/invalid app URL/);
  });
});
