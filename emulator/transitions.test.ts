import { describe, expect, it } from "vitest";
import { DEMO_CASES, buildFixture } from "./fixtures";
import { EmulatorState } from "./state";
import { finishHandshake, finishHostSetup, HOST_DENIED_MESSAGE } from "./transitions";

function demoState(): EmulatorState {
  const state = new EmulatorState();
  state.load(buildFixture("demo"));
  return state;
}

describe("finishHandshake", () => {
  it("completes or denies a PENDING connection once", () => {
    const state = demoState();
    const ok = finishHandshake(state, DEMO_CASES.resumeTarget.uuid, "complete");
    expect(ok).toMatchObject({ ok: true, record: { status: "AVAILABLE" } });
    expect(finishHandshake(state, DEMO_CASES.resumeTarget.uuid, "deny")).toMatchObject({ ok: false, status: 409, reason: "not-pending" });
    expect(finishHandshake(state, DEMO_CASES.denyTarget.uuid, "deny")).toMatchObject({ ok: true, record: { status: "ERROR" } });
    expect(finishHandshake(state, "nope", "complete")).toMatchObject({ ok: false, status: 404, reason: "not-found" });
  });

  it("refuses to complete a connection whose host is not AVAILABLE, but lets it be denied", () => {
    const state = demoState();
    const pending = [...state.codeConnections.connections.values()].find((c) => c.name === "ghes-security-tools");
    const host = state.codeConnections.hosts.get(DEMO_CASES.availableHost.id);
    if (!pending || !host) throw new Error("fixture changed");
    host.status = "PENDING";
    expect(finishHandshake(state, pending.uuid, "complete")).toMatchObject({ ok: false, status: 409, reason: "host-not-available" });
    expect(pending.status).toBe("PENDING");
    expect(finishHandshake(state, pending.uuid, "deny")).toMatchObject({ ok: true, record: { status: "ERROR" } });
  });
});

describe("finishHostSetup", () => {
  it("denies (still PENDING, with a message), then completes (message cleared)", () => {
    const state = demoState();
    const id = DEMO_CASES.pendingHost.id;
    expect(finishHostSetup(state, id, "deny")).toMatchObject({ ok: true, record: { status: "PENDING", statusMessage: HOST_DENIED_MESSAGE } });
    const done = finishHostSetup(state, id, "complete");
    expect(done).toMatchObject({ ok: true, record: { status: "AVAILABLE" } });
    expect(done.ok && done.record.statusMessage).toBeUndefined();
    expect(finishHostSetup(state, id, "complete")).toMatchObject({ ok: false, status: 409 });
    expect(finishHostSetup(state, "nope", "deny")).toMatchObject({ ok: false, status: 404 });
  });
});
