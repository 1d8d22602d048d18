import { describe, expect, test } from "vitest";
import { admission, atLeast, groupsFromClaim, roleOf, type RolePolicy } from "./roles";

const policy = (p: Partial<RolePolicy> = {}): RolePolicy => ({ adminEmails: [], adminGroups: [], allowedDomains: [], allowedGroups: [], ...p });

describe("roleOf", () => {
  test("admin by email (case-insensitive) or group; viewer otherwise", () => {
    const p = policy({ adminEmails: ["Alice@Example.com"], adminGroups: ["platform-admins"] });
    expect(roleOf({ email: "alice@example.com", groups: [] }, p)).toBe("admin");
    expect(roleOf({ email: "carol@example.com", groups: ["Platform-Admins"] }, p)).toBe("admin");
    expect(roleOf({ email: "bob@example.com", groups: ["developers"] }, p)).toBe("viewer");
    expect(roleOf({ email: null, groups: [] }, p)).toBe("viewer");
  });

  test("an empty admin configuration makes nobody admin", () => {
    expect(roleOf({ email: "root@example.com", groups: ["admins"] }, policy())).toBe("viewer");
  });
});

describe("admission", () => {
  test("no allowed lists: anyone the IdP authenticated", () => {
    expect(admission({ email: "x@y.z", groups: [] }, policy())).toEqual({ allowed: true });
  });

  test("allowed by domain or by group; refused with the reason", () => {
    const p = policy({ allowedDomains: ["@example.com"], allowedGroups: ["engineering"] });
    expect(admission({ email: "bob@example.com", groups: [] }, p).allowed).toBe(true);
    expect(admission({ email: "eve@evil.example", groups: ["Engineering"] }, p).allowed).toBe(true);
    expect(admission({ email: "eve@evil.example", groups: [] }, p)).toEqual({ allowed: false, reason: "Tether requires an email at example.com or membership of engineering." });
    expect(admission({ email: "bob@sub.example.com", groups: [] }, policy({ allowedDomains: ["example.com"] })).allowed).toBe(false);
  });

  test("admins are always allowed", () => {
    const p = policy({ allowedDomains: ["corp.example"], adminEmails: ["ops@contractor.example"] });
    expect(admission({ email: "ops@contractor.example", groups: [] }, p).allowed).toBe(true);
  });
});

test("atLeast", () => {
  expect(atLeast("viewer", "viewer")).toBe(true);
  expect(atLeast("viewer", "admin")).toBe(false);
  expect(atLeast("admin", "viewer")).toBe(true);
});

test("groupsFromClaim accepts arrays and strings", () => {
  expect(groupsFromClaim(["a", 3, "b"])).toEqual(["a", "b"]);
  expect(groupsFromClaim("a b,c")).toEqual(["a", "b", "c"]);
  expect(groupsFromClaim(undefined)).toEqual([]);
});
