import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { DEMO_CASES } from "../../emulator/fixtures/demo";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { callAs } from "../data/test-caller";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";
import type { WatchClock } from "./watcher";

/**
 * The watch Tether keeps after a Resume, against the emulator with the real SDK and a manual
 * clock: it backs off when AWS throttles, survives a scope it cannot resolve and a restart, ends
 * with exactly one outcome record, and times out at its deadline.
 */
const headers = new Headers();
vi.mock("next/headers", () => ({ headers: async () => headers }));

let emulator: RunningEmulator;
const ADMIN = "ops-admin@example.com";
const target = DEMO_CASES.resumeTarget;

/** Timers run only when the test says so; time moves to each timer as it runs. */
class ManualClock implements WatchClock {
  t = Date.now();
  private queue: { at: number; fn: () => void }[] = [];
  now = () => this.t;
  random = () => 0.5;
  setTimeout = (fn: () => void, ms: number) => {
    const h = { at: this.t + ms, fn };
    this.queue.push(h);
    return h;
  };
  clearTimeout = (h: unknown) => {
    this.queue = this.queue.filter((x) => x !== h);
  };
  get pending(): number {
    return this.queue.length;
  }
  /** Runs the next timer; returns how long it waited. */
  runNext(): number {
    this.queue.sort((a, b) => a.at - b.at);
    const h = this.queue.shift();
    if (!h) throw new Error("no timer scheduled");
    const waited = Math.max(0, h.at - this.t);
    this.t = Math.max(this.t, h.at);
    h.fn();
    return waited;
  }
}

type Stats = { calls: Record<string, Record<string, number>> };
const getConnectionCalls = async () => ((await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as Stats).calls["codestar-connections"]?.GetConnection ?? 0;
const control = (path: string, body: unknown) => fetch(`${emulator.url}/_emulator/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

let clock: ManualClock;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixture: "demo" });
});
afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await control("seed", { fixture: "demo" });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TETHER_SCOPES: JSON.stringify([{ account: "111111111111", regions: ["us-east-1", "eu-west-1"] }]),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_ADMIN_EMAILS: ADMIN,
    TETHER_BACKGROUND: "off",
  });
  resetEnvForTests();
  resetSingleton();
  await callAs(headers, "admin", { createdBy: ADMIN });
  clock = new ManualClock();
  const { useWatchClock } = await import("./watcher");
  useWatchClock(clock);
});

afterEach(async () => {
  await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });
  const { stopWatching } = await import("./watcher");
  stopWatching();
});

async function watchOf(id: number) {
  const { getStore } = await import("@/lib/store");
  const w = await getStore().watches.get(id);
  if (!w) throw new Error(`no watch ${id}`);
  return w;
}

/** Runs the next check and waits until it has either rescheduled itself or ended the watch. */
async function step(watchId: number): Promise<number> {
  const waited = clock.runNext();
  await vi.waitFor(async () => expect(clock.pending > 0 || (await watchOf(watchId)).state !== "watching").toBe(true), { timeout: 10_000, interval: 20 });
  return waited;
}

async function resume() {
  const { getInventory } = await import("@/lib/fleet/inventory");
  await getInventory({ refresh: true });
  const { resumeConnection } = await import("@/lib/data/actions");
  return resumeConnection(target.uuid);
}

describe("watch", () => {
  test("answers {consoleUrl, auditId}; completes when the handshake is done; one outcome record", async () => {
    const out = await resume();
    expect(out.consoleUrl).toBe(`https://us-east-1.console.aws.amazon.com/codesuite/settings/111111111111/us-east-1/codeconnections/connections/${target.uuid}`);
    const { getStore } = await import("@/lib/store");
    expect((await getStore().audit.get(out.auditId))).toMatchObject({ action: "connection.resume", outcome: "allowed", statusBefore: "PENDING" });
    await step(out.watchId); // still PENDING
    expect(await watchOf(out.watchId)).toMatchObject({ state: "watching", lastStatus: "PENDING", checks: 1 });
    await control(`connections/${target.uuid}/handshake`, { outcome: "complete" });
    await step(out.watchId);
    expect(await watchOf(out.watchId)).toMatchObject({ state: "completed", lastStatus: "AVAILABLE" });
    // Resuming the watch again (a second replica, a restart) records nothing more.
    const { resumeActiveWatches } = await import("./watcher");
    expect(await resumeActiveWatches()).toBe(0);
    expect((await getStore().audit.relatedTo([out.auditId]))).toEqual([expect.objectContaining({ action: "connection.resume.outcome", outcome: "completed" })]);
  });

  test("while AWS throttles, checks back off exponentially (not every few seconds) and the watch completes afterwards", async () => {
    const out = await resume();
    await control("faults", { service: "codestar-connections", operation: "GetConnection", error: "ThrottlingException" });
    const before = await getConnectionCalls();
    let elapsed = 0;
    const waits: number[] = [];
    while (elapsed < 10 * 60_000) {
      const waited = await step(out.watchId);
      waits.push(waited);
      elapsed += waited;
    }
    // The fixed schedule would check about 25 times in ten minutes; with backoff (2 s × 2^n, jittered, ≤ 5 min) far fewer.
    expect(waits.length).toBeLessThanOrEqual(9);
    expect(waits.slice(1, 6)).toEqual([...waits.slice(1, 6)].sort((a, b) => a - b));
    expect(Math.max(...waits)).toBeLessThanOrEqual(5 * 60_000);
    // Each check is one SDK call with its own retries (3 attempts).
    expect((await getConnectionCalls()) - before).toBe(waits.length * 3);
    expect((await watchOf(out.watchId)).state).toBe("watching");
    // The storm ends; the next check sees the completed handshake.
    await fetch(`${emulator.url}/_emulator/faults`, { method: "DELETE" });
    await control(`connections/${target.uuid}/handshake`, { outcome: "complete" });
    await step(out.watchId);
    expect((await watchOf(out.watchId)).state).toBe("completed");
  });

  test("a scope that cannot be resolved does not orphan the watch: it is tried again and completes", async () => {
    const out = await resume();
    // The account disappears from the configuration for a while.
    process.env.TETHER_SCOPES = JSON.stringify([{ account: "222222222222", regions: ["us-east-1"] }]);
    resetEnvForTests();
    await step(out.watchId);
    await step(out.watchId);
    expect(clock.pending).toBe(1);
    expect((await watchOf(out.watchId)).state).toBe("watching");
    process.env.TETHER_SCOPES = JSON.stringify([{ account: "111111111111", regions: ["us-east-1"] }]);
    resetEnvForTests();
    await control(`connections/${target.uuid}/handshake`, { outcome: "complete" });
    await step(out.watchId);
    expect((await watchOf(out.watchId)).state).toBe("completed");
  });

  test("survives a restart: resumeActiveWatches picks up what a previous process left running", async () => {
    const out = await resume();
    await step(out.watchId);
    // The process dies: timers and in-memory state are gone, the store remains.
    const { stopWatching, resumeActiveWatches, useWatchClock } = await import("./watcher");
    stopWatching();
    resetSingleton("watch:state");
    clock = new ManualClock();
    useWatchClock(clock);
    expect(clock.pending).toBe(0);
    expect(await resumeActiveWatches()).toBe(1);
    await control(`connections/${target.uuid}/handshake`, { outcome: "complete" });
    await step(out.watchId);
    expect(await watchOf(out.watchId)).toMatchObject({ state: "completed", lastStatus: "AVAILABLE" });
  });

  test("still PENDING at the deadline: timeout, recorded once", async () => {
    const out = await resume();
    while ((await watchOf(out.watchId)).state === "watching") await step(out.watchId);
    const w = await watchOf(out.watchId);
    expect(w.state).toBe("timeout");
    expect(clock.now()).toBeGreaterThanOrEqual(Date.parse(w.deadlineAt));
    const { getStore } = await import("@/lib/store");
    expect((await getStore().audit.relatedTo([out.auditId]))).toEqual([expect.objectContaining({ outcome: "timeout", detail: expect.stringContaining("still PENDING after 15 minutes") })]);
  });
});
