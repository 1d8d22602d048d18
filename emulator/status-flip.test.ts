import { afterEach, describe, expect, it, vi } from "vitest";
import { DEMO_CASES, buildFixture } from "./fixtures";
import { EmulatorState } from "./state";
import { StatusFlipper } from "./status-flip";
import { setConnectionStatus } from "./transitions";

function stateWith(fixture: "demo" | "large" | "empty"): EmulatorState {
  const state = new EmulatorState();
  state.load(buildFixture(fixture));
  return state;
}

const statusOf = (state: EmulatorState, uuid: string) => state.codeConnections.connections.get(uuid)?.status;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the demo's status flip", () => {
  it("flips the demo's named connection ERROR, then back to AVAILABLE, and nothing else", () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const state = stateWith("demo");
    const before = new Map([...state.codeConnections.connections.values()].map((c) => [c.uuid, c.status]));
    const flipper = new StatusFlipper(state);
    expect(flipper.tick()).toBe("ERROR");
    expect(statusOf(state, DEMO_CASES.flipTarget.uuid)).toBe("ERROR");
    expect(flipper.tick()).toBe("AVAILABLE");
    const after = new Map([...state.codeConnections.connections.values()].map((c) => [c.uuid, c.status]));
    expect(after).toEqual(before);
  });

  it("leaves a connection someone moved to PENDING alone; other fixtures name nothing to flip", () => {
    const state = stateWith("demo");
    setConnectionStatus(state, DEMO_CASES.flipTarget.uuid, "PENDING");
    expect(new StatusFlipper(state).tick()).toBeUndefined();
    expect(statusOf(state, DEMO_CASES.flipTarget.uuid)).toBe("PENDING");
    for (const fixture of ["large", "empty"] as const) expect(new StatusFlipper(stateWith(fixture)).tick()).toBeUndefined();
  });

  it("runs every n minutes only when started with n > 0", () => {
    vi.useFakeTimers();
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const state = stateWith("demo");
    const off = new StatusFlipper(state);
    off.start(0);
    vi.advanceTimersByTime(60 * 60_000);
    expect(statusOf(state, DEMO_CASES.flipTarget.uuid)).toBe("AVAILABLE");
    const on = new StatusFlipper(state);
    on.start(3);
    vi.advanceTimersByTime(3 * 60_000 - 1);
    expect(statusOf(state, DEMO_CASES.flipTarget.uuid)).toBe("AVAILABLE");
    vi.advanceTimersByTime(1);
    expect(statusOf(state, DEMO_CASES.flipTarget.uuid)).toBe("ERROR");
    vi.advanceTimersByTime(3 * 60_000);
    expect(statusOf(state, DEMO_CASES.flipTarget.uuid)).toBe("AVAILABLE");
    on.stop();
    vi.advanceTimersByTime(3 * 60_000);
    expect(statusOf(state, DEMO_CASES.flipTarget.uuid)).toBe("AVAILABLE");
  });
});
