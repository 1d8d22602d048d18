import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { buildFixture, DEMO_LATENCY_CASES } from "../fixtures";
import type { PushSimulatorSettings } from "../fixture-data";
import { EmulatorState } from "../state";
import { PushSimulator } from "./simulator";

/** Background pushes follow the settings the fixture hands over; the simulator knows no fixture. */
describe("background pushes", () => {
  const missed = DEMO_LATENCY_CASES.missedTriggerPipeline;
  let simulator: PushSimulator;
  let state: EmulatorState;

  beforeEach(() => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    // No app: every webhook delivery (and STARTED event) is answered 202 without a socket.
    vi.stubGlobal("fetch", vi.fn(async () => new Response(null, { status: 202 })));
    state = new EmulatorState();
    state.load(buildFixture("demo"));
    simulator = new PushSimulator(state, { appUrl: "http://app.invalid", webhookSecret: "s", eventsKey: "k" });
  });

  afterEach(() => {
    simulator.stop();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  /** Ticks until one lands on the missed-trigger pipeline; the outcomes of all of them by pipeline. */
  async function tickUntilMissedPipeline(settings: PushSimulatorSettings): Promise<Map<string, string[]>> {
    state.pushSimulator = settings;
    const outcomes = new Map<string, string[]>();
    for (let i = 0; i < 500; i++) {
      const answer = await simulator.tick();
      const record = state.pushes.list("simulator")[0]?.pipelines[0];
      if (!answer || !record) throw new Error("no healthy pipeline");
      outcomes.set(record.name, [...(outcomes.get(record.name) ?? []), record.outcome]);
      if (record.account === missed.account && record.region === missed.region && record.name === missed.name) return outcomes;
    }
    throw new Error(`no background push reached ${missed.name}`);
  }

  it("the demo hands over its missed-trigger connection", () => {
    const c = DEMO_LATENCY_CASES.missedTriggerConnection;
    expect(state.pushSimulator).toEqual({ dropAllOn: [{ account: c.account, region: c.region, connection: c.name }] });
    state.load(buildFixture("large"));
    expect(state.pushSimulator).toEqual({});
  });

  it("drop every push on the connections the fixture names", async () => {
    const outcomes = await tickUntilMissedPipeline({ ...state.pushSimulator, dropShare: 0 });
    expect(outcomes.get(missed.name)).toEqual(["drop"]);
    for (const [name, list] of outcomes) if (name !== missed.name) expect(list.every((o) => o === "start")).toBe(true);
  });

  it("start pushes on that connection when the settings do not name it", async () => {
    const outcomes = await tickUntilMissedPipeline({ dropShare: 0 });
    expect(outcomes.get(missed.name)).toEqual(["start"]);
  });

  it("drop them all at a share of 1", async () => {
    const outcomes = await tickUntilMissedPipeline({ dropShare: 1 });
    expect([...outcomes.values()].flat().every((o) => o === "drop")).toBe(true);
  });
});
