import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * The inventory fan-out against the emulator with the real SDK: call counts (what the
 * benchmark reports), coalescing, the cache, failover between an account's Regions, and a
 * failing account or scope that fails nothing else.
 */
let emulator: RunningEmulator;

type Stats = { calls: Record<string, Record<string, number>> };
const stats = async (): Promise<Stats> => (await fetch(`${emulator.url}/_emulator/stats`)).json() as Promise<Stats>;
const resetStats = () => fetch(`${emulator.url}/_emulator/stats/reset`, { method: "POST" });
const calls = (s: Stats, service: string, op: string) => s.calls[service]?.[op] ?? 0;

function configure(scopes: unknown[], ttl = 30, minRefresh = 0, database = ":memory:") {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TETHER_SCOPES: JSON.stringify(scopes),
    TETHER_CACHE_TTL_SECONDS: String(ttl),
    TETHER_MIN_REFRESH_SECONDS: String(minRefresh),
    TETHER_DATABASE_PATH: database,
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

const fault = (rule: object) => fetch(`${emulator.url}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
const clearFaults = () => fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });

describe("getInventory", () => {
  test("connections are listed once per account: 1,500 connections cost 2 × 8 ListConnections, 6 ListHosts, one AssumeRole", async () => {
    configure(SIX);
    const { getInventory } = await import("./inventory");
    const inv = await getInventory({ refresh: true });
    // The large fixture: 250 connections per account and home Region, 3 home Regions, 2 accounts.
    expect(inv.connections).toHaveLength(1500);
    expect(new Set(inv.connections.map((c) => `${c.account}/${c.id}`)).size).toBe(1500);
    expect(inv.accounts.map((a) => [a.account, a.answeredBy, a.connections.length, a.error])).toEqual([
      ["111111111111", "us-east-1", 750, null],
      ["222222222222", "us-east-1", 750, null],
    ]);
    expect(inv.scopes.every((s) => s.error === null)).toBe(true);
    const s = await stats();
    expect(calls(s, "codestar-connections", "ListConnections")).toBe(16); // Σ per account ⌈750/100⌉
    expect(calls(s, "codestar-connections", "ListHosts")).toBe(6);
    expect(calls(s, "sts", "AssumeRole")).toBe(1);
    // Only the first configured Region of each account was asked for connections.
    const byScope = (s as unknown as { byScope: Record<string, Record<string, Record<string, number>>> }).byScope;
    expect(byScope["111111111111/eu-west-1"]?.["codestar-connections"]?.ListConnections).toBeUndefined();
    // The complete listings were recorded: first seen, one history entry each.
    const { getStore } = await import("@/lib/store");
    expect((await getStore().history.resources({ kind: "connection" }))).toHaveLength(1500);

    // Twenty concurrent reads within the TTL cost nothing; a refresh relists but keeps the role's credentials.
    await resetStats();
    await Promise.all(Array.from({ length: 20 }, () => getInventory()));
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(0);
    await getInventory({ refresh: true });
    const after = await stats();
    expect(calls(after, "codestar-connections", "ListConnections")).toBe(16);
    expect(calls(after, "sts", "AssumeRole")).toBe(0);
  });

  test("forced refreshes are honoured at most once per TETHER_MIN_REFRESH_SECONDS; Tether's own forced relist always is", async () => {
    configure(SIX, 30, 3600);
    const { getInventory, refreshAccount } = await import("./inventory");
    await getInventory({ refresh: true });
    await resetStats();
    // A viewer hammering ?refresh=1 gets the last result, at no AWS cost.
    for (let i = 0; i < 5; i++) await getInventory({ refresh: true });
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(0);
    expect(calls(await stats(), "codestar-connections", "ListHosts")).toBe(0);
    // After an action (a watch ended, a delete), Tether relists the account at once.
    await refreshAccount("111111111111");
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(8);
  });

  test("past the TTL a view is answered from the last listing at once while it is relisted; the next view has the relist", async () => {
    configure(SIX, 1);
    const { getInventory } = await import("./inventory");
    const first = await getInventory({ refresh: true });
    const c = first.connections.find((x) => x.status === "PENDING");
    if (!c) throw new Error("no PENDING connection in the fixture");
    // AWS moves one connection on; the listing is older than the TTL (1 s), within one poll interval (60 s) more.
    const moved = await fetch(`${emulator.url}/_emulator/connections/${c.id}/status`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "AVAILABLE" }) });
    expect(moved.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    await resetStats();
    const stale = await getInventory();
    expect(stale.connections).toBe(first.connections); // the same listing, not a wait for a new one
    expect(stale.connections.find((x) => x.id === c.id)?.status).toBe("PENDING");
    // The relist runs in the background: once its calls are made, the next view has the new status.
    await expect.poll(async () => (await getInventory()).connections.find((x) => x.id === c.id)?.status, { timeout: 10_000 }).toBe("AVAILABLE");
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(16);
  });

  test("concurrent refreshes are coalesced into one listing", async () => {
    configure(SIX);
    const { getInventory } = await import("./inventory");
    await Promise.all(Array.from({ length: 10 }, () => getInventory({ refresh: true })));
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(16);
  });

  test("an account whose role cannot be assumed reports why and fails nothing else", async () => {
    configure([...SIX, { account: "333333333333", regions: ["us-east-1"], roleArn: "arn:aws:iam::333333333333:role/TetherReadOnly" }]);
    const { getInventory } = await import("./inventory");
    const inv = await getInventory();
    const broken = inv.accounts.find((a) => a.account === "333333333333");
    expect(broken?.error).toEqual({ kind: "forbidden", message: "assuming role arn:aws:iam::333333333333:role/TetherReadOnly: access denied (AccessDenied)" });
    expect(broken?.asOf).toBeNull();
    expect(inv.scopes.find((s) => s.key === "333333333333/us-east-1")?.error?.kind).toBe("forbidden");
    expect(inv.accounts.filter((a) => a.error === null)).toHaveLength(2);
    expect(inv.scopes.filter((s) => s.error === null)).toHaveLength(6);
    expect(inv.connections).toHaveLength(1500);
    const { getStore } = await import("@/lib/store");
    expect((await getStore().history.listingStates()).find((s) => s.kind === "connection" && s.account === "333333333333")).toMatchObject({ region: null, lastCompleteAt: null, lastError: expect.stringContaining("access denied") });
  });

  test("a Region that fails is skipped: the account is listed through the next one, with no error and history written once", async () => {
    configure(SIX, 0);
    const { getInventory } = await import("./inventory");
    const { getStore } = await import("@/lib/store");
    await getInventory();
    const before = (await getStore().history.changesSince("2000-01-01T00:00:00.000Z", 10_000)).length;
    await fault({ account: "111111111111", region: "us-east-1", operation: "ListConnections", error: "AccessDeniedException" });
    await resetStats();
    try {
      const inv = await getInventory();
      const a = inv.accounts.find((x) => x.account === "111111111111");
      expect(a).toMatchObject({ error: null, stale: false, answeredBy: "eu-west-1", failedRegions: [{ region: "us-east-1", message: expect.stringContaining("access denied") }] });
      expect(a?.connections).toHaveLength(750);
      expect(inv.connections).toHaveLength(1500);
      const byScope = ((await stats()) as unknown as { byScope: Record<string, Record<string, Record<string, number>>> }).byScope;
      expect(byScope["111111111111/us-east-1"]?.["codestar-connections"]?.ListConnections).toBe(1);
      expect(byScope["111111111111/eu-west-1"]?.["codestar-connections"]?.ListConnections).toBe(8);
      expect(byScope["111111111111/ap-southeast-2"]?.["codestar-connections"]?.ListConnections).toBeUndefined();
      // The same connections, listed through another Region: no history entry, nothing deleted.
      expect((await getStore().history.changesSince("2000-01-01T00:00:00.000Z", 10_000))).toHaveLength(before);
      expect((await getStore().history.resources({ kind: "connection" }))).toHaveLength(1500);
      expect((await getStore().history.listingStates()).find((s) => s.kind === "connection" && s.account === "111111111111")).toMatchObject({ answeredRegion: "eu-west-1", lastError: null });
    } finally {
      await clearFaults();
    }
  });

  test("an account fails only when every configured Region fails; its last complete rows stay, stale, and history does not move", async () => {
    configure(SIX, 0);
    const { getInventory } = await import("./inventory");
    const { getStore } = await import("@/lib/store");
    const good = await getInventory();
    await fault({ account: "222222222222", operation: "ListConnections", error: "AccessDeniedException" });
    try {
      const bad = await getInventory();
      const a = bad.accounts.find((x) => x.account === "222222222222");
      expect(a?.error?.kind).toBe("forbidden");
      expect(a?.error?.message).toMatch(/failed in every configured Region/);
      expect(a?.failedRegions.map((f) => f.region)).toEqual(REGIONS);
      expect(a?.stale).toBe(true);
      expect(a?.asOf).toBe(good.accounts.find((x) => x.account === "222222222222")?.asOf);
      expect(bad.connections).toHaveLength(1500);
      expect((await getStore().history.resources({ kind: "connection" }))).toHaveLength(1500);
      expect((await getStore().history.changesSince("2000-01-01T00:00:00.000Z", 10))).toEqual([]);
    } finally {
      await clearFaults();
    }
  });

  test("a listing cut short part-way (page 2 of ListConnections, or ListHosts) changes no history", async () => {
    // One Region only, so no other Region can answer instead.
    configure([{ account: "111111111111", regions: ["us-east-1"] }], 0);
    const { getInventory } = await import("./inventory");
    const { getStore } = await import("@/lib/store");
    await getInventory();
    const history = getStore().history;
    const before = { resources: await history.resources({ includeDeleted: true }), changes: await history.changesSince("2000-01-01T00:00:00.000Z", 10_000) };
    expect(before.resources.filter((r) => r.kind === "connection")).toHaveLength(750);
    expect(before.resources.filter((r) => r.kind === "host").length).toBeGreaterThan(0);
    // Page 1 answers (100 connections), every later page fails; every ListHosts fails.
    await fault({ account: "111111111111", operation: "ListConnections", error: "InternalFailure", after: 1 });
    await fault({ account: "111111111111", operation: "ListHosts", error: "InternalFailure" });
    try {
      const inv = await getInventory();
      expect(inv.accounts[0]?.error?.kind).toBe("unavailable");
      expect(inv.scopes[0]?.error?.kind).toBe("unavailable");
      const faults = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as { faults: { operation: string; passed?: number; applied: number }[] };
      expect(faults.faults.find((f) => f.operation === "ListConnections")).toMatchObject({ passed: 1 });
      // Nothing was marked deleted, nothing changed, nothing was seen "again".
      expect(await history.resources({ includeDeleted: true })).toEqual(before.resources);
      expect(await history.changesSince("2000-01-01T00:00:00.000Z", 10_000)).toEqual(before.changes);
    } finally {
      await clearFaults();
    }
  });

  test("a scope that fails after a good listing keeps its last complete rows, marked stale", async () => {
    configure([{ account: "111111111111", regions: ["us-east-1"] }], 0);
    const { getInventory } = await import("./inventory");
    const good = await getInventory();
    // One Region lists the whole account: its connections of every home Region.
    expect(good.accounts[0]?.connections).toHaveLength(750);
    expect(new Set(good.connections.map((c) => c.region))).toEqual(new Set(REGIONS));
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9"; // nothing listens there
    resetEnvForTests();
    resetSingleton("aws:scope-clients");
    const bad = await getInventory();
    expect(bad.accounts[0]?.error?.kind).toBe("unavailable");
    expect(bad.accounts[0]?.stale).toBe(true);
    expect(bad.accounts[0]?.asOf).toBe(good.accounts[0]?.asOf);
    expect(bad.scopes[0]?.stale).toBe(true);
    expect(bad.connections).toHaveLength(750);
    // A failed listing deletes nothing.
    const { getStore } = await import("@/lib/store");
    expect((await getStore().history.resources({ kind: "connection" }))).toHaveLength(750);
    expect((await getStore().history.changesSince("2000-01-01T00:00:00.000Z", 10))).toEqual([]);
  });
});

/**
 * Two replicas on one store: "replica A" lists, then resetSingleton() drops every cache, client and
 * the store handle, as a second process would start with, on the same database file.
 */
describe("replicas sharing the store", () => {
  const ONE = [{ account: "111111111111", regions: ["us-east-1"] }];
  const sharedFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), "tether-replicas-")), "shared.db");

  test("a forced refresh another replica honoured within TETHER_MIN_REFRESH_SECONDS is not honoured again: its listing is shown", async () => {
    const file = sharedFile();
    configure(ONE, 30, 3600, file);
    const { getInventory, refreshAccount } = await import("./inventory");
    const a = await getInventory({ refresh: true });
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(8);

    configure(ONE, 30, 3600, file); // replica B: nothing cached
    await resetStats();
    const b = await getInventory({ refresh: true });
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(0);
    expect(calls(await stats(), "codestar-connections", "ListHosts")).toBe(0);
    expect(b.accounts[0]).toMatchObject({ error: null, stale: false, asOf: a.accounts[0]?.asOf });
    expect(b.connections.map((c) => c.arn)).toEqual(a.connections.map((c) => c.arn));
    // Tether's own relist after an action is never held back.
    await refreshAccount("111111111111");
    expect(calls(await stats(), "codestar-connections", "ListConnections")).toBe(8);
  });

  test("a replica that never listed an account completely shows the last complete listing another replica shared, stale, while it fails", async () => {
    const file = sharedFile();
    configure(ONE, 0, 0, file);
    const { getInventory } = await import("./inventory");
    const a = await getInventory();
    configure(ONE, 0, 0, file); // replica B
    await fault({ account: "111111111111", operation: "ListConnections", error: "AccessDeniedException" });
    await fault({ account: "111111111111", operation: "ListHosts", error: "AccessDeniedException" });
    try {
      const b = await getInventory();
      expect(b.accounts[0]).toMatchObject({ stale: true, asOf: a.accounts[0]?.asOf, answeredBy: "us-east-1" });
      expect(b.accounts[0]?.error?.kind).toBe("forbidden");
      expect(b.connections).toHaveLength(750);
      expect(b.scopes[0]).toMatchObject({ stale: true, asOf: a.scopes[0]?.asOf });
      expect(b.hosts.map((h) => h.arn)).toEqual(a.hosts.map((h) => h.arn));
    } finally {
      await clearFaults();
    }
  });
});
