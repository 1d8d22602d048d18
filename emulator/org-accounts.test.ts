import { describe, expect, it } from "vitest";
import { buildFixture, ORG_CASES } from "./fixtures";
import { addMemberAccount, memberAccountId, parseAddAccount, slug } from "./org-accounts";
import { EmulatorState } from "./state";

/** Built once: loading copies every record, so each state below is independent. */
const ORG = buildFixture("org");

function orgState(): EmulatorState {
  const state = new EmulatorState();
  state.load(ORG);
  return state;
}

/** What the control route may change: a snapshot to compare before and after a refusal. */
function counts(state: EmulatorState) {
  return {
    members: state.organization.accounts.size,
    sts: state.accounts.size,
    roles: state.roles.size,
    connections: state.codeConnections.connections.size,
  };
}

describe("parseAddAccount", () => {
  it("takes a name, an optional OU name and withRole (default true)", () => {
    expect(parseAddAccount({ name: "payments-eu" })).toEqual({ ok: true, request: { name: "payments-eu", withRole: true } });
    expect(parseAddAccount({ name: " Data Lake ", ou: "Workloads", withRole: false })).toEqual({
      ok: true,
      request: { name: "Data Lake", ou: "Workloads", withRole: false },
    });
  });

  it("names every problem: empty or long name, control characters, wrong types, unknown fields, not an object", () => {
    for (const body of [undefined, null, [], "name", 5]) expect(parseAddAccount(body).ok).toBe(false);
    const bad = parseAddAccount({ name: "", ou: 3, withRole: "yes" });
    expect(bad).toEqual({
      ok: false,
      message:
        'Invalid account: "name" must be a string of 1 to 50 characters without control characters; "ou" must be the name of an organizational unit; "withRole" must be true or false.',
    });
    expect(parseAddAccount({ name: "x".repeat(51) }).ok).toBe(false);
    expect(parseAddAccount({ name: "tab\there" }).ok).toBe(false);
    expect(parseAddAccount({ name: "   " }).ok).toBe(false);
    expect(parseAddAccount({ name: "x", ou: "" }).ok).toBe(false);
    expect(parseAddAccount({ name: "x", role: true })).toEqual({ ok: false, message: "Unknown field(s) role; expected name, ou, withRole." });
  });
});

describe("addMemberAccount", () => {
  it("adds an ACTIVE member under the OU with the next free id, its roles, Regions and one connection", () => {
    const state = orgState();
    const before = counts(state);
    const added = addMemberAccount(state, { name: "checkout-eu", ou: "Platform", withRole: true });
    if (!added.ok) throw new Error(added.message);
    expect(added.account).toMatchObject({
      id: ORG_CASES.firstAddedAccount,
      name: "checkout-eu",
      email: "aws+checkout-eu@acme.example",
      state: "ACTIVE",
      joinedMethod: "CREATED",
      parentId: ORG_CASES.ous.Platform,
    });
    expect(added.arn).toBe(`arn:aws:organizations::111111111111:account/${ORG_CASES.organizationId}/${ORG_CASES.firstAddedAccount}`);
    expect(added.roles).toEqual(["TetherReadOnly", "OrganizationAccountAccessRole"]);
    expect(state.roles.get(added.account.id)).toEqual(new Set(["TetherReadOnly", "OrganizationAccountAccessRole"]));
    expect(state.accounts.has(added.account.id)).toBe(true);
    expect(added.regions.filter((r) => r.status !== "DISABLED").map((r) => r.name)).toEqual(["eu-central-2", "eu-west-1", "us-east-1"]);
    const connections = state.codeConnections.connectionsOf(added.account.id);
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({ name: "checkout-eu-github", region: "us-east-1", status: "AVAILABLE", providerType: "GitHub" });
    expect(added.connections).toEqual([`arn:aws:codeconnections:us-east-1:${added.account.id}:connection/${connections[0]?.uuid}`]);
    expect(counts(state)).toEqual({ ...before, members: before.members + 1, sts: before.sts + 1, roles: before.roles + 1, connections: before.connections + 1 });
  });

  it("is deterministic: the same adds on a fresh seed give the same ids; a second add takes the next", () => {
    const a = orgState();
    const b = orgState();
    const ids = (s: EmulatorState) =>
      ["one", "two"].map((name) => {
        const r = addMemberAccount(s, { name, withRole: true });
        return r.ok ? r.account.id : r.message;
      });
    const first = ids(a);
    expect(ids(b)).toEqual(first);
    expect(first[0]).toBe(ORG_CASES.firstAddedAccount);
    expect(first[1]).not.toBe(first[0]);
    expect(first.every((id) => /^\d{12}$/.test(id))).toBe(true);
  });

  it("without the role, only OrganizationAccountAccessRole exists there; with no OU, the account sits in the root", () => {
    const state = orgState();
    const added = addMemberAccount(state, { name: "no-role", withRole: false });
    if (!added.ok) throw new Error(added.message);
    expect(added.parent).toEqual({ id: ORG_CASES.rootId, name: "Root" });
    expect(state.roles.get(added.account.id)).toEqual(new Set(["OrganizationAccountAccessRole"]));
  });

  it("keeps emails unique when a name repeats", () => {
    const state = orgState();
    const first = addMemberAccount(state, { name: "payments-prod", withRole: true });
    if (!first.ok) throw new Error(first.message);
    expect(first.account.email).toBe(`aws+payments-prod-${first.account.id}@acme.example`);
  });

  it("refuses an unknown OU (400) and a fixture without an organization (409), changing nothing", () => {
    const state = orgState();
    const before = counts(state);
    expect(addMemberAccount(state, { name: "x", ou: "platform", withRole: true })).toEqual({
      ok: false,
      status: 400,
      message: 'No organizational unit named "platform"; the organization has Platform, Workloads, Sandbox.',
    });
    expect(counts(state)).toEqual(before);
    const demo = new EmulatorState();
    demo.load(buildFixture("demo"));
    const demoBefore = counts(demo);
    const refused = addMemberAccount(demo, { name: "x", withRole: true });
    expect(refused).toMatchObject({ ok: false, status: 409 });
    expect(counts(demo)).toEqual(demoBefore);
  });
});

describe("ids and names", () => {
  it("member ids are 12 digits from a hash of the member number; slugs are short and safe", () => {
    expect(memberAccountId(0)).toMatch(/^\d{12}$/);
    expect(memberAccountId(0)).toBe(memberAccountId(0));
    expect(memberAccountId(1)).not.toBe(memberAccountId(0));
    expect(slug("  Data Lake (EU) / prod ")).toBe("data-lake-eu-prod");
    expect(slug("!!!")).toBe("account");
    expect(slug("a".repeat(30))).toHaveLength(20);
  });
});
