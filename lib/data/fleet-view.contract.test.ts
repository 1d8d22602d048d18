import { beforeEach, expect, test, vi } from "vitest";
import type { RunningEmulator } from "../../emulator/server";
import { awsEnv, emulatorPerFile } from "../../emulator/contract/helpers";
import { callAs } from "./test-caller";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * The inventory pages derive their rows, health and sorted views once per change of a listing
 * (lib/data/fleet-view.ts), not once per request: renders within one version read no history and
 * build nothing; a relist that changed a status builds a new view with the new status.
 */
const headers = new Headers();
vi.mock("next/headers", () => ({ headers: async () => headers }));

let emulator: RunningEmulator;
const A = "111111111111";

emulatorPerFile("large", (e) => (emulator = e));

beforeEach(async () => {
  Object.assign(process.env, {
    ...awsEnv(emulator),
    TETHER_SCOPES: JSON.stringify([{ account: A, regions: ["us-east-1", "eu-west-1", "ap-southeast-2"] }]),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_BACKGROUND: "off",
    TETHER_MIN_REFRESH_SECONDS: "0",
  });
  resetEnvForTests();
  resetSingleton();
  vi.restoreAllMocks();
  await callAs(headers, "viewer");
});

test("renders within one version of the fleet read the history once and sort once per query", async () => {
  const { getStore } = await import("@/lib/store");
  const { getConnectionsView, getOverview, exportConnections } = await import("./inventory");
  const { getPendingQueue } = await import("./pending");
  const { fleetViewsBuilt } = await import("./fleet-view");
  const first = await getConnectionsView({ status: "PENDING", sort: "name" });
  expect(first.fleetTotal).toBe(750);
  const built = fleetViewsBuilt();
  const history = vi.spyOn(getStore().history, "resources");
  const again = await getConnectionsView({ status: "PENDING", sort: "name", page: "2" });
  await getConnectionsView({});
  await getOverview();
  await getPendingQueue();
  await exportConnections(new URLSearchParams("status=PENDING&sort=name"));
  expect(history).not.toHaveBeenCalled();
  expect(fleetViewsBuilt()).toBe(built);
  // The same query is the same sorted array: page 2 is its next 50 rows.
  expect(again.page.rows[0]).toBe((await exportConnections(new URLSearchParams("status=PENDING&sort=name"))).rows[50]);
});

test("the pipelines page takes the listings' health from the view: no per-scope pipeline counts per render", async () => {
  const { getStore } = await import("@/lib/store");
  const { getPipelinesView } = await import("./pipelines");
  const first = await getPipelinesView({}, { refresh: true });
  expect(first.health.scopes).toHaveLength(3);
  await getPipelinesView({});
  const listed = vi.spyOn(getStore().pipelines, "listed");
  const again = await getPipelinesView({ verdict: "broken" });
  expect(listed).not.toHaveBeenCalled();
  expect(again.health).toEqual(first.health);
});

test("the pipelines page follows the store's changes: a render with none reads no declaration; a new execution works out one row", async () => {
  const { getStore } = await import("@/lib/store");
  const { getPipelinesView } = await import("./pipelines");
  const { boardStats } = await import("./pipeline-board");
  const { sweepExecutions } = await import("@/lib/pipelines/map");
  await getPipelinesView({}, { refresh: true });
  await sweepExecutions(1000);
  const first = await getPipelinesView({});
  expect(first.total).toBe(300);
  const all = vi.spyOn(getStore().pipelines, "all");
  const since = vi.spyOn(getStore().pipelines, "executionsSince");
  const before = boardStats();
  const healthy = await getPipelinesView({ verdict: "healthy" });
  await getPipelinesView({ verdict: "healthy", page: "2" });
  expect(all).not.toHaveBeenCalled();
  expect(since).not.toHaveBeenCalled();
  expect(boardStats()).toEqual(before);
  expect(healthy.page.total).toBe(first.counts.healthy);

  // A receiver stores a push start of one pipeline: that row alone is worked out again, with it.
  const target = first.page.rows[0];
  if (!target) throw new Error("no pipeline");
  const now = new Date().toISOString();
  await getStore().pipelines.addExecution(target.account, target.region, target.name, { executionId: "e-from-a-push", status: "InProgress", startTime: now, lastUpdateTime: now, triggerType: "WebhookV2", triggerDetail: null, revisionId: null, revisionSummary: null });
  const after = await getPipelinesView({ q: target.name });
  expect(boardStats()).toEqual({ built: before.built + 1, fullReads: before.fullReads });
  expect(after.page.rows.find((r) => r.key === target.key)?.health.lastExecution).toMatchObject({ executionId: "e-from-a-push" });
});

test("a relist that changed a status makes a new view with it", async () => {
  const { getConnectionsView } = await import("./inventory");
  const { fleetViewsBuilt } = await import("./fleet-view");
  const before = await getConnectionsView({ status: "PENDING" });
  const pending = before.page.rows.find((r) => r.status === "PENDING");
  expect(pending).toBeDefined();
  const built = fleetViewsBuilt();
  // AWS turns one PENDING connection AVAILABLE.
  const res = await fetch(`${emulator.url}/_emulator/connections/${pending?.id}/status`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "AVAILABLE" }) });
  expect(res.ok).toBe(true);
  const after = await getConnectionsView({ q: pending?.name ?? "" }, { refresh: true });
  expect(fleetViewsBuilt()).toBe(built + 1);
  expect(after.page.rows.find((r) => r.id === pending?.id)?.status).toBe("AVAILABLE");
});
