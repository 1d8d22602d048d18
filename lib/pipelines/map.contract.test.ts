import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * The execution sweep against the emulator with the real SDK, under faults: a scope that fails
 * (or is no longer configured) must never starve the healthy ones of their sweeps.
 */
let emulator: RunningEmulator;
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const HEALTHY = "111111111111";
const FAILING = "222222222222";

const control = (path: string, body: unknown, method = "POST") => fetch(`${emulator.url}/_emulator/${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function configure(scopes: unknown[]) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TETHER_SCOPES: JSON.stringify(scopes),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_MIN_REFRESH_SECONDS: "0",
  });
  resetEnvForTests();
  resetSingleton();
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixture: "large" });
});
afterAll(async () => {
  await emulator.close();
});

describe("sweepExecutions", () => {
  test("a scope whose ListPipelineExecutions is denied goes to the back of the queue: healthy pipelines are still swept", async () => {
    configure([
      { account: HEALTHY, regions: REGIONS },
      { account: FAILING, regions: REGIONS, roleArn: `arn:aws:iam::${FAILING}:role/TetherReadOnly` },
    ]);
    const { syncPipelineMap, sweepExecutions } = await import("./map");
    const { getStore } = await import("@/lib/store");
    await syncPipelineMap({ refresh: true });
    const all = await getStore().pipelines.all();
    expect(all).toHaveLength(600);
    await control("faults", { account: FAILING, operation: "ListPipelineExecutions", error: "AccessDeniedException" });
    try {
      // Six sweeps of 100 reach every pipeline once; the failing 300 are recorded as attempted.
      for (let i = 0; i < 6; i++) await sweepExecutions(100);
      const after = await getStore().pipelines.all();
      const healthy = after.filter((p) => p.account === HEALTHY);
      const failing = after.filter((p) => p.account === FAILING);
      expect(healthy.every((p) => p.lastSweptAt !== null && p.lastSweepError === null)).toBe(true);
      expect(failing.every((p) => p.lastSweptAt === null && p.lastSweepAttemptAt !== null && /access denied/.test(p.lastSweepError ?? ""))).toBe(true);

      // The failing scope keeps failing, yet the next sweeps still reach healthy pipelines:
      // three more sweeps of 100 take the 300 least recently attempted, the healthy ones first.
      const sweptBefore = new Map(healthy.map((p) => [p.name, p.lastSweptAt]));
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await sweepExecutions(100));
      expect(results.map((r) => r.pipelines)).toEqual([100, 100, 100]);
      const reswept = (await getStore().pipelines.all()).filter((p) => p.account === HEALTHY && p.lastSweptAt !== sweptBefore.get(p.name));
      expect(reswept).toHaveLength(300);
    } finally {
      await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });
    }
  });

  test("pipelines of a scope that is no longer configured take no place in the batch", async () => {
    configure([
      { account: HEALTHY, regions: REGIONS },
      { account: FAILING, regions: REGIONS, roleArn: `arn:aws:iam::${FAILING}:role/TetherReadOnly` },
    ]);
    const { syncPipelineMap } = await import("./map");
    await syncPipelineMap({ refresh: true });
    // Same database, the first account (whose never-swept pipelines sort first) removed from the configuration.
    const { getStore } = await import("@/lib/store");
    const store = getStore();
    process.env.TETHER_SCOPES = JSON.stringify([{ account: FAILING, regions: REGIONS, roleArn: `arn:aws:iam::${FAILING}:role/TetherReadOnly` }]);
    resetEnvForTests();
    const { sweepExecutions } = await import("./map");
    const result = await sweepExecutions(100);
    expect(result.pipelines).toBe(100);
    expect(result.errors).toEqual([]);
    expect((await store.pipelines.all()).filter((p) => p.account === HEALTHY).every((p) => p.lastSweepAttemptAt === null)).toBe(true);
    expect((await store.pipelines.all()).filter((p) => p.account === FAILING && p.lastSweptAt !== null)).toHaveLength(100);
  });
});
