import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { ORG_CASES } from "../../emulator/fixtures/org";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * Organization discovery against the emulator's `org` fixture with the real Organizations, Account
 * and STS clients: what is watched and skipped and why, the calls it costs, the store, the scopes it
 * adds to TETHER_SCOPES, and the failures (not the management account, throttling, ListRegions).
 */
let emulator: RunningEmulator;

type Stats = { calls: Record<string, Record<string, number>> };
const stats = async (): Promise<Stats> => (await fetch(`${emulator.url}/_emulator/stats`)).json() as Promise<Stats>;
const calls = (s: Stats, service: string, op: string) => s.calls[service]?.[op] ?? 0;
const control = (method: string, path: string, body?: unknown) => fetch(`${emulator.url}${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
const fault = (rule: object) => control("POST", "/_emulator/faults", rule);
const addAccount = async (body: { name: string; ou?: string; withRole?: boolean }) => (await (await control("POST", "/_emulator/organization/accounts", body)).json()) as { id: string };

function configure(organization: object, extra: Record<string, string> = {}) {
  for (const k of ["TETHER_SCOPES", "TETHER_SCOPES_FILE"]) delete process.env[k];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TETHER_ORGANIZATION: JSON.stringify(organization),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_MIN_REFRESH_SECONDS: "0",
    ...extra,
  });
  resetEnvForTests();
  resetSingleton();
}

const PLATFORM = [...ORG_CASES.platform].sort();
const PLATFORM_REGIONS = ["eu-central-2", "eu-west-1", "us-east-1"];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixture: "org" });
});
afterAll(async () => {
  delete process.env.TETHER_ORGANIZATION;
  resetEnvForTests();
  await emulator.close();
});
beforeEach(async () => {
  await control("POST", "/_emulator/seed", { fixture: "org" });
});

describe("discover", () => {
  test("includeOus Platform: its three accounts, each in its three enabled Regions through its role; the other 98 skipped as not in includeOus; gently paged", async () => {
    configure({ roleName: "TetherReadOnly", includeOus: ["Platform"] });
    const { runDiscovery } = await import("./discovery");
    const run = await runDiscovery("test");
    const r = run.result;
    expect(run.outcome).toBe("ok");
    expect(r?.organizationId).toBe(ORG_CASES.organizationId);
    expect(r?.managementAccount).toBe(ORG_CASES.management);
    expect(r?.caller).toBe(ORG_CASES.management);
    expect(r?.ous).toEqual([{ id: ORG_CASES.ous.Platform, path: "Platform" }]);
    expect(r?.accounts.map((a) => a.id)).toEqual(PLATFORM);
    for (const a of r?.accounts ?? []) {
      expect(a).toMatchObject({ ou: "Platform", state: "ACTIVE", regions: PLATFORM_REGIONS, regionsFrom: "ListRegions", roleArn: `arn:aws:iam::${a.id}:role/TetherReadOnly`, roleError: null, note: null });
    }
    expect(r?.skipped).toHaveLength(98);
    expect(new Set(r?.skipped.map((s) => s.reason))).toEqual(new Set(["not in includeOus"]));
    expect(r?.warnings).toEqual([]);
    // ListAccounts: 101 accounts at 20 a page; the OU tree: the root and the three OUs; one OU's accounts; one ListRegions per account.
    const s = await stats();
    expect(calls(s, "organizations", "ListAccounts")).toBe(6);
    expect(calls(s, "organizations", "ListRoots")).toBe(1);
    expect(calls(s, "organizations", "ListOrganizationalUnitsForParent")).toBe(4);
    expect(calls(s, "organizations", "ListAccountsForParent")).toBe(1);
    expect(calls(s, "account", "ListRegions")).toBe(3);
    expect(r?.calls).toMatchObject({ DescribeOrganization: 1, ListAccounts: 6, ListRegions: 3 });
  });

  test("the whole organization with fixed Regions: no ListRegions; the management account too (no AccountId for itself); excluded, suspended and closed accounts skipped, each saying why", async () => {
    const excluded = ORG_CASES.workloads[0] as string;
    configure({ roleName: "TetherReadOnly", regions: ["us-east-1"], excludeAccounts: [excluded, "999999999999"] });
    const { runDiscovery } = await import("./discovery");
    const r = (await runDiscovery("test")).result;
    expect(r?.accounts).toHaveLength(1 + 3 + 94);
    expect(r?.accounts.every((a) => a.regions.join() === "us-east-1" && a.regionsFrom === "config" && a.ou === null)).toBe(true);
    expect(r?.accounts.map((a) => a.id)).toContain(ORG_CASES.management);
    expect(r?.skipped.map((s) => [s.id, s.reason])).toEqual(
      [
        [excluded, "excluded"],
        [ORG_CASES.suspended, "not active"],
        [ORG_CASES.closed, "not active"],
      ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    );
    expect(r?.skipped.find((s) => s.id === ORG_CASES.suspended)?.detail).toBe("state SUSPENDED");
    expect(r?.warnings).toEqual(["excludeAccounts: 999999999999 is not an account of the organization"]);
    expect(calls(await stats(), "account", "ListRegions")).toBe(0);
  });

  test("the management account's own Regions are read without AccountId; a delegated administrator cannot read them (AWS refuses), so it is skipped saying why", async () => {
    configure({ roleName: "TetherReadOnly", excludeAccounts: [...ORG_CASES.workloads] });
    const { runDiscovery } = await import("./discovery");
    const r = (await runDiscovery("test")).result;
    expect(r?.accounts.map((a) => a.id).sort()).toEqual([ORG_CASES.management, ...PLATFORM].sort());
    expect(r?.accounts.find((a) => a.id === ORG_CASES.management)).toMatchObject({ regions: ["eu-central-2", "eu-west-1", "us-east-1"], regionsFrom: "ListRegions", roleError: null });
    expect(calls(await stats(), "account", "ListRegions")).toBe(4);

    configure({ roleName: "TetherReadOnly", excludeAccounts: [...ORG_CASES.workloads], managementRoleArn: `arn:aws:iam::${ORG_CASES.delegatedAdministrator}:role/TetherReadOnly` });
    const { runDiscovery: again } = await import("./discovery");
    const d = (await again("test")).result;
    expect(d?.caller).toBe(ORG_CASES.delegatedAdministrator);
    expect(d?.skipped.find((a) => a.id === ORG_CASES.management)).toMatchObject({ reason: "ListRegions failed", detail: expect.stringMatching(/ListRegions.*access denied/) });
    // Its own Regions, without AccountId.
    expect(d?.accounts.find((a) => a.id === ORG_CASES.delegatedAdministrator)?.regions).toEqual(PLATFORM_REGIONS);
  });

  test("OUs by id, and a name that matches nothing is a warning", async () => {
    configure({ roleName: "TetherReadOnly", includeOus: [ORG_CASES.ous.Sandbox, "Nope"] });
    const { runDiscovery } = await import("./discovery");
    const r = (await runDiscovery("test")).result;
    expect(r?.accounts).toEqual([]);
    expect(r?.skipped.filter((s) => s.ou === "Sandbox").map((s) => s.reason)).toEqual(["not active", "not active"]);
    expect(r?.warnings).toEqual(['includeOus: no OU named "Nope" in the organization']);
  });
});

describe("runs, the store and the scopes", () => {
  test("TETHER_SCOPES come first and win for their accounts; a new account appears after the next run; one without the role is watched with its error, and its listing shows it", async () => {
    const platform = PLATFORM[0] as string;
    configure({ roleName: "TetherReadOnly", includeOus: ["Platform"] }, { TETHER_SCOPES: JSON.stringify([{ account: platform, regions: ["us-east-1"], roleArn: `arn:aws:iam::${platform}:role/TetherReadOnly` }]) });
    const { runDiscovery } = await import("./discovery");
    const { getScopes } = await import("./scopes");
    // Nothing stored yet: the first caller runs a discovery.
    const first = await getScopes();
    expect(first[0]).toEqual({ account: platform, region: "us-east-1", roleArn: `arn:aws:iam::${platform}:role/TetherReadOnly` });
    expect(first.filter((s) => s.account === platform)).toHaveLength(1);
    expect(first).toHaveLength(1 + 2 * 3);

    const added = await addAccount({ name: "payments-new", ou: "Platform" });
    const roleless = await addAccount({ name: "no-role", ou: "Platform", withRole: false });
    expect((await getScopes()).some((s) => s.account === added.id)).toBe(false);
    const run = await runDiscovery("alice@example.com");
    expect(run.trigger).toBe("alice@example.com");
    const scopes = await getScopes();
    expect(scopes.filter((s) => s.account === added.id).map((s) => s.region)).toEqual(["eu-central-2", "eu-west-1", "us-east-1"]);
    const broken = run.result?.accounts.find((a) => a.id === roleless.id);
    expect(broken?.roleError).toMatch(/assuming role arn:aws:iam::\d{12}:role\/TetherReadOnly: access denied/);

    const { getInventory } = await import("./inventory");
    const inv = await getInventory({ refresh: true });
    expect(inv.accounts.find((a) => a.account === roleless.id)?.error?.message).toMatch(/assuming role/);
    expect(inv.accounts.find((a) => a.account === added.id)?.error).toBeNull();
    expect(inv.accounts.find((a) => a.account === added.id)?.connections).toHaveLength(1);
  });

  test("callers that come while the first discovery runs wait for it: none is answered with an empty fleet; it runs once", async () => {
    configure({ roleName: "TetherReadOnly", includeOus: ["Platform"] });
    const { getScopes } = await import("./scopes");
    const { discoveryInProgress } = await import("./discovery");
    // Some at once, and some after the first has read the store and started the discovery.
    const early = Array.from({ length: 3 }, () => getScopes());
    await expect.poll(() => discoveryInProgress()?.trigger).toBe("start-up");
    const all = await Promise.all([...early, getScopes(), getScopes()]);
    for (const scopes of all) expect([...new Set(scopes.map((s) => s.account))].sort()).toEqual(PLATFORM);
    const { getStore } = await import("@/lib/store");
    expect((await getStore().discovery.latest())?.trigger).toBe("start-up");
    expect(calls(await stats(), "organizations", "DescribeOrganization")).toBe(1);
  });

  test("a run from a member account is refused (AccessDenied, explained); it is kept as failed and the last good accounts stay watched", async () => {
    const workload = ORG_CASES.workloads[1] as string;
    configure({ roleName: "TetherReadOnly", includeOus: ["Platform"] });
    const { runDiscovery, resetDiscoveryForTests } = await import("./discovery");
    const { getScopes } = await import("./scopes");
    await runDiscovery("test");
    const { getStore } = await import("@/lib/store");
    const store = getStore();
    // The same store, the organization read through a member account's role.
    process.env.TETHER_ORGANIZATION = JSON.stringify({ roleName: "TetherReadOnly", includeOus: ["Platform"], managementRoleArn: `arn:aws:iam::${workload}:role/TetherReadOnly` });
    resetEnvForTests();
    resetDiscoveryForTests();
    const failed = runDiscovery("test");
    await expect(failed).rejects.toMatchObject({ kind: "forbidden" });
    await expect(failed).rejects.toThrow(/access denied \(AccessDeniedException\): Tether's credentials \(or managementRoleArn\) must be of the management account or a delegated administrator/);
    expect((await store.discovery.latest())?.outcome).toBe("error");
    expect((await store.discovery.lastSuccessful())?.outcome).toBe("ok");
    expect((await getScopes()).map((s) => s.account)).toEqual(expect.arrayContaining(PLATFORM));
  });

  test("a delegated administrator may read the organization (managementRoleArn)", async () => {
    configure({ roleName: "TetherReadOnly", includeOus: ["Platform"], managementRoleArn: `arn:aws:iam::${ORG_CASES.delegatedAdministrator}:role/TetherReadOnly` });
    const { runDiscovery } = await import("./discovery");
    const r = (await runDiscovery("test")).result;
    expect(r?.caller).toBe(ORG_CASES.delegatedAdministrator);
    expect(r?.accounts.map((a) => a.id)).toEqual(PLATFORM);
  });

  test("throttled ListAccounts is retried by the SDK with backoff; ListRegions failing keeps the last run's Regions, or skips an account never seen", async () => {
    configure({ roleName: "TetherReadOnly", includeOus: ["Platform"] });
    const { runDiscovery } = await import("./discovery");
    expect((await fault({ service: "organizations", operation: "ListAccounts", error: "ThrottlingException", count: 2 })).status).toBe(201);
    const ok = await runDiscovery("test");
    expect(ok.result?.accounts).toHaveLength(3);
    expect(calls(await stats(), "organizations", "ListAccounts")).toBe(6 + 2);

    const added = await addAccount({ name: "late", ou: "Platform" });
    await fault({ service: "account", operation: "ListRegions", error: "InternalFailure" });
    const r = (await runDiscovery("test")).result;
    expect(r?.accounts.map((a) => a.regionsFrom)).toEqual(["previous run", "previous run", "previous run"]);
    expect(r?.accounts[0]?.regions).toEqual(PLATFORM_REGIONS);
    expect(r?.accounts[0]?.note).toMatch(/ListRegions.*the Regions of the last run are used/);
    expect(r?.skipped.find((s) => s.id === added.id)).toMatchObject({ reason: "ListRegions failed" });
  });
});
