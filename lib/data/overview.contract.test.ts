import { beforeEach, expect, test, vi } from "vitest";
import type { RunningEmulator } from "../../emulator/server";
import { awsEnv, emulatorPerFile } from "../../emulator/contract/helpers";
import { callAs } from "./test-caller";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * The overview during this replica's first listing: when it takes longer than FIRST_LISTING_WAIT_MS,
 * the page gets how far it is (accounts and scopes listed so far of the total) instead of waiting,
 * and the overview once every listing has answered.
 */
const headers = new Headers();
vi.mock("next/headers", () => ({ headers: async () => headers }));

let emulator: RunningEmulator;
const A = "111111111111";
const B = "222222222222";
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];

emulatorPerFile("demo", (e) => (emulator = e));

beforeEach(async () => {
  Object.assign(process.env, {
    ...awsEnv(emulator),
    TETHER_SCOPES: JSON.stringify([
      { account: A, regions: REGIONS },
      { account: B, regions: REGIONS, roleArn: `arn:aws:iam::${B}:role/TetherReadOnly` },
    ]),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_BACKGROUND: "off",
  });
  resetEnvForTests();
  resetSingleton();
  vi.restoreAllMocks();
  await callAs(headers, "viewer");
});

const slowAccount = (latencyMs: number) => fetch(`${emulator.url}/_emulator/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ account: B, operation: "ListConnections", latencyMs, count: 1 }) });

test("a first listing slower than the wait shows accounts and scopes listed so far, then the overview", async () => {
  expect((await slowAccount(4000)).status).toBe(201);
  const { getOverviewState } = await import("./inventory");
  const { getInventory } = await import("@/lib/fleet/inventory");
  const t0 = Date.now();
  const first = await getOverviewState();
  expect(Date.now() - t0).toBeLessThan(3500);
  expect(first).toEqual({ kind: "listing", progress: { accounts: { listed: 1, total: 2 }, scopes: { listed: 6, total: 6 } } });
  await getInventory(); // the listing the page started, joined
  const after = await getOverviewState();
  expect(after.kind).toBe("ready");
  if (after.kind === "ready") expect(after.overview.totals.accounts).toBe(2);
});

test("a first listing within the wait renders the overview at once; so does a refresh, which waits", async () => {
  const { getOverviewState } = await import("./inventory");
  const { clearInventoryCache } = await import("@/lib/fleet/inventory");
  expect((await getOverviewState()).kind).toBe("ready");
  clearInventoryCache();
  expect((await slowAccount(2000)).status).toBe(201);
  expect((await getOverviewState({ refresh: true })).kind).toBe("ready");
});

test("a viewer's session is required", async () => {
  headers.delete("authorization");
  const { getOverviewState } = await import("./inventory");
  await expect(getOverviewState()).rejects.toMatchObject({ kind: "unauthenticated" });
});
