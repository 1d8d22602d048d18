import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * The inventory fan-out against the emulator with the real SDK: call counts (what the
 * benchmark reports), coalescing, the cache, and a failing scope that fails nothing else.
 */
let emulator: RunningEmulator;

type Stats = { calls: Record<string, Record<string, number>> };
const stats = async (): Promise<Stats> => (await fetch(`${emulator.url}/_emulator/stats`)).json() as Promise<Stats>;
const resetStats = () => fetch(`${emulator.url}/_emulator/stats/reset`, { method: "POST" });
const calls = (s: Stats, service: string, op: string) => s.calls[service]?.[op] ?? 0;

function configure(scopes: unknown[], ttl = 30) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TETHER_SCOPES: JSON.stringify(scopes),
    TETHER_CACHE_TTL_SECONDS: String(ttl),
    TETHER_DATABASE_PATH: ":memory:",
  });
  resetEnvForTests();
  resetSingleton();
}

const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const SIX = [
  { account: "111111111111", regions: REGIONS },
  { account: "222222222222", regions: REGIONS, roleArn: "arn:aws:iam::222222222222:role/TetherReadOnly" },
];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixture: "large" });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  await resetStats();
});

describe("getInventory", () => {
  test("1,500 connections cost 3 ListConnections per scope and one AssumeRole for the role", async () => {
    configure(SIX);
    const { getInventory } = await import("./inventory");
    const inv = await getInventory({ refresh: true });
    expect(inv.connections).toHaveLength(1500);
    expect(inv.scopes.every((s) => s.error === null)).toBe(true);
    const s = await stats();
    expect(calls(s, "codestar-connections", "ListConnections")).toBe(18);
    expect(calls(s, "sts", "AssumeRole")).toBe(1);
    expect(new Set(inv.connections.filter((c) => c.account === "222222222222").map((c) => c.account))).toEqual(new Set(["222222222222"]));
    // The complete listings were recorded: first seen, one history entry each.
    const { getStore } = await import("@/lib/store");
    expect(getStore().history.resources({ kind: "connection" })).toHaveLength(1500);

    // Twenty concurrent reads within the TTL cost nothing; a refresh relists but keeps the role's credentials.
    await resetStats();
    await Promise.all(Array.from({ length: 20 }, () => getInventory()));
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(0);
    await getInventory({ refresh: true });
    const after = await stats();
    expect(calls(after, "codestar-connections", "ListConnections")).toBe(18);
    expect(calls(after, "sts", "AssumeRole")).toBe(0);
  });

  test("concurrent refreshes are coalesced into one listing", async () => {
    configure(SIX);
    const { getInventory } = await import("./inventory");
    await Promise.all(Array.from({ length: 10 }, () => getInventory({ refresh: true })));
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(18);
  });

  test("a scope whose role cannot be assumed reports why and fails nothing else", async () => {
    configure([...SIX, { account: "333333333333", regions: ["us-east-1"], roleArn: "arn:aws:iam::333333333333:role/TetherReadOnly" }]);
    const { getInventory } = await import("./inventory");
    const inv = await getInventory();
    const broken = inv.scopes.find((s) => s.key === "333333333333/us-east-1");
    expect(broken?.error).toEqual({ kind: "forbidden", message: "assuming role arn:aws:iam::333333333333:role/TetherReadOnly: access denied (AccessDenied)" });
    expect(broken?.asOf).toBeNull();
    expect(inv.scopes.filter((s) => s.error === null)).toHaveLength(6);
    expect(inv.connections).toHaveLength(1500);
    const { getStore } = await import("@/lib/store");
    expect(getStore().history.scopeStates().find((s) => s.account === "333333333333")).toMatchObject({ lastCompleteAt: null, lastError: expect.stringContaining("access denied") });
  });

  test("a scope that fails after a good listing keeps its last complete rows, marked stale", async () => {
    configure([{ account: "111111111111", regions: ["us-east-1"] }], 0);
    const { getInventory } = await import("./inventory");
    const good = await getInventory();
    expect(good.scopes[0]?.connections).toHaveLength(250);
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9"; // nothing listens there
    resetEnvForTests();
    resetSingleton("aws:scope-clients");
    const bad = await getInventory();
    expect(bad.scopes[0]?.error?.kind).toBe("unavailable");
    expect(bad.scopes[0]?.stale).toBe(true);
    expect(bad.scopes[0]?.asOf).toBe(good.scopes[0]?.asOf);
    expect(bad.connections).toHaveLength(250);
    // A failed listing deletes nothing.
    const { getStore } = await import("@/lib/store");
    expect(getStore().history.resources({ kind: "connection" })).toHaveLength(250);
    expect(getStore().history.changesSince("2000-01-01T00:00:00.000Z", 10)).toEqual([]);
  });
});
