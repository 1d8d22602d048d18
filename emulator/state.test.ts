import { describe, expect, it } from "vitest";
import { REGIONS } from "./accounts";
import { connectionArn } from "./arns";
import { buildFixture, DEMO_CASES } from "./fixtures";
import { PushSimulator } from "./pushes/simulator";
import { currentDeclaration } from "./services/codepipeline/records";
import { EmulatorState } from "./state";

/** Connections are account-global (found by account, home Region and UUID); hosts are regional. */

function demoState(): EmulatorState {
  const state = new EmulatorState();
  state.load(buildFixture("demo"));
  return state;
}

const otherPrefix = (arn: string) =>
  arn.includes(":codeconnections:") ? arn.replace(":codeconnections:", ":codestar-connections:") : arn.replace(":codestar-connections:", ":codeconnections:");

describe("connectionByArn", () => {
  it("finds a connection by the account, home Region and UUID of an ARN of either prefix", () => {
    const state = demoState();
    for (const c of [DEMO_CASES.sharedConnection, DEMO_CASES.legacyPending, DEMO_CASES.secondAccountConnection]) {
      expect(state.codeConnections.connectionByArn(c.arn)?.uuid).toBe(c.uuid);
      expect(state.codeConnections.connectionByArn(otherPrefix(c.arn))?.uuid).toBe(c.uuid);
    }
  });

  it("finds nothing when the ARN names another Region than the home Region, another account, or a host", () => {
    const state = demoState();
    const arn = DEMO_CASES.sharedConnection.arn;
    expect(state.codeConnections.connectionByArn(arn.replace(":us-east-1:", ":eu-west-1:"))).toBeUndefined();
    expect(state.codeConnections.connectionByArn(arn.replace(":111111111111:", ":222222222222:"))).toBeUndefined();
    expect(state.codeConnections.connectionByArn(DEMO_CASES.availableHost.arn)).toBeUndefined();
    expect(state.codeConnections.connectionByArn("not an arn")).toBeUndefined();
  });
});

describe("connectionsOf and connectionsHomedIn", () => {
  it("gives every connection of an account, of every home Region, in creation order", () => {
    const state = demoState();
    const demo = buildFixture("demo");
    for (const account of ["111111111111", "222222222222"]) {
      const all = state.codeConnections.connectionsOf(account);
      expect(all.map(connectionArn)).toEqual(demo.connections.filter((c) => c.account === account).map(connectionArn));
      // Account 111111111111 also has one connection created in us-west-2, a Region the demo does not watch.
      const homes = account === "111111111111" ? [...REGIONS, "us-west-2"] : REGIONS;
      expect(new Set(all.map((c) => c.region))).toEqual(new Set(homes));
      expect(all.map((c) => c.seq)).toEqual([...all.map((c) => c.seq)].sort((a, b) => a - b));
      const homed = homes.map((r) => state.codeConnections.connectionsHomedIn(account, r));
      expect(homed.flat().length).toBe(all.length);
      for (const [i, list] of homed.entries()) expect(list.every((c) => c.account === account && c.region === homes[i])).toBe(true);
    }
    expect(state.codeConnections.connectionsOf("111111111111")).toHaveLength(37);
    expect(state.codeConnections.connectionsOf("222222222222")).toHaveLength(30);
    expect([...REGIONS, "us-west-2"].map((r) => state.codeConnections.connectionsHomedIn("111111111111", r).length)).toEqual([17, 10, 9, 1]);
  });
});

describe("hosts", () => {
  it("hostByArn needs the host's account and Region; connectionsOnHost lists its connections", () => {
    const state = demoState();
    const { arn, id } = DEMO_CASES.availableHost;
    expect(state.codeConnections.hostByArn(otherPrefix(arn))?.id).toBe(id);
    expect(state.codeConnections.hostByArn(arn.replace(":us-east-1:", ":eu-west-1:"))).toBeUndefined();
    expect(state.codeConnections.hostByArn(arn.replace(":111111111111:", ":222222222222:"))).toBeUndefined();
    const host = state.codeConnections.hostByArn(arn);
    if (!host) throw new Error("fixture changed");
    expect(state.codeConnections.connectionsOnHost(host).map((c) => c.name)).toEqual(["ghes-platform", "ghes-security-tools"]);
    const pending = state.codeConnections.hostByArn(DEMO_CASES.pendingHost.arn);
    if (!pending) throw new Error("fixture changed");
    expect(state.codeConnections.connectionsOnHost(pending)).toEqual([]);
  });
});

describe("pipelines with a connection of another home Region", () => {
  /** web-frontend-apac (111111111111/ap-southeast-2) switched to a us-east-1 connection. */
  function crossRegion(state: EmulatorState, arn: string) {
    const p = state.pipelines.get("111111111111", "ap-southeast-2", "web-frontend-apac");
    const config = p && currentDeclaration(p).stages[0]?.actions[0]?.configuration;
    if (!p || !config) throw new Error("fixture changed");
    config.ConnectionArn = arn;
    return p;
  }

  it("build and count as healthy for the push simulator while the connection is AVAILABLE", () => {
    const state = demoState();
    const p = crossRegion(state, DEMO_CASES.sharedConnection.arn);
    const simulator = new PushSimulator(state, { appUrl: "http://127.0.0.1:9", webhookSecret: "s", eventsKey: "k" });
    expect(simulator.healthyPipelines()).toContain(p);
    const now = state.now();
    const ok = state.pipelines.startExecution(p, { trigger: { triggerType: "StartPipelineExecution", triggerDetail: "x" }, startTime: now });
    expect(ok.outcome).toBe("Succeeded");
    expect(ok.revision?.providerType).toBe("GitHub");

    state.codeConnections.connections.delete(DEMO_CASES.sharedConnection.uuid);
    expect(simulator.healthyPipelines()).not.toContain(p);
    const failed = state.pipelines.startExecution(p, { trigger: { triggerType: "StartPipelineExecution", triggerDetail: "x" }, startTime: now });
    expect(failed.outcome).toBe("Failed");
    expect(failed.failureMessage).toContain("The provided connection does not exist.");
  });

  it("fail in Source when the ARN names the right UUID under another Region", () => {
    const state = demoState();
    const p = crossRegion(state, DEMO_CASES.sharedConnection.arn.replace(":us-east-1:", ":eu-west-1:"));
    const e = state.pipelines.startExecution(p, { trigger: { triggerType: "StartPipelineExecution", triggerDetail: "x" }, startTime: state.now() });
    expect(e.outcome).toBe("Failed");
  });
});
