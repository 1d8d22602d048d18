import { ListConnectionsCommand } from "@aws-sdk/client-codestar-connections";
import type { AwsCredentialIdentity } from "@smithy/types";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { RunningEmulator } from "../../emulator/server";
import { awsEnv, emulatorPerFile } from "../../emulator/contract/helpers";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";

/**
 * Assumed-role credentials against the emulator's STS with the real SDK: one AssumeRole per role,
 * shared by every Region and client of that role, reused while valid and renewed five minutes
 * before they expire. Time is moved with a fake Date, which the emulator (same process) reads
 * too, so the credentials it issued expire on the same clock.
 */
let emulator: RunningEmulator;
const ROLE = "arn:aws:iam::222222222222:role/TetherReadOnly";
const US = { account: "222222222222", region: "us-east-1", roleArn: ROLE };
const AP = { account: "222222222222", region: "ap-southeast-2", roleArn: ROLE };
const MINUTE = 60_000;

type Stats = { calls: Record<string, Record<string, number>>; byScope: Record<string, Record<string, Record<string, number>>> };
const stats = async () => (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as Stats;
const assumeRoles = async () => (await stats()).calls.sts?.AssumeRole ?? 0;

emulatorPerFile("demo", (e) => (emulator = e));
beforeEach(async () => {
  Object.assign(process.env, {
    ...awsEnv(emulator),
    TETHER_SCOPES: JSON.stringify([{ account: "222222222222", regions: ["us-east-1", "ap-southeast-2"], roleArn: ROLE }]),
    TETHER_DATABASE_PATH: ":memory:",
    TETHER_BACKGROUND: "off",
  });
  resetEnvForTests();
  resetSingleton();
  // Only Date is faked (timers stay real, so sockets and SDK timeouts work); it stands still until moved.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date());
});
afterEach(() => {
  vi.useRealTimers();
});

async function list(scope: typeof US) {
  const { clientsFor } = await import("./clients");
  return clientsFor(scope).connections.send(new ListConnectionsCommand({}));
}

async function roleIdentity(): Promise<AwsCredentialIdentity & { expiration: Date }> {
  const { roleCredentials } = await import("./credentials");
  const c = await roleCredentials(ROLE, "us-east-1")();
  if (!c.expiration) throw new Error("assumed-role credentials without an expiry");
  return { ...c, expiration: c.expiration };
}

describe("assumed-role credentials", () => {
  test("one AssumeRole for every Region and concurrent call of a role; the calls run as the role", async () => {
    await Promise.all([list(US), list(AP), list(US), list(AP)]);
    expect(await assumeRoles()).toBe(1);
    const s = await stats();
    expect(s.byScope["222222222222/us-east-1"]?.["codestar-connections"]?.ListConnections).toBe(2);
    expect(s.byScope["222222222222/ap-southeast-2"]?.["codestar-connections"]?.ListConnections).toBe(2);
    expect(s.byScope["111111111111/us-east-1"]?.["codestar-connections"]).toBeUndefined();
  });

  test("reused while more than five minutes are left; renewed once at five minutes; the old ones are never used past expiry", async () => {
    const t0 = Date.now();
    await list(US);
    const first = await roleIdentity();
    expect(await assumeRoles()).toBe(1);
    const expiresAt = first.expiration.getTime();
    expect(expiresAt - t0).toBeGreaterThan(59 * MINUTE);
    expect(expiresAt - t0).toBeLessThanOrEqual(60 * MINUTE);

    // Half-way, and a millisecond before the five-minute mark: the same credentials, no AssumeRole.
    for (const t of [t0 + 30 * MINUTE, expiresAt - 5 * MINUTE - 1]) {
      vi.setSystemTime(t);
      await list(US);
      await list(AP);
      expect((await roleIdentity()).accessKeyId).toBe(first.accessKeyId);
      expect(await assumeRoles()).toBe(1);
    }

    // Five minutes left: renewed, once, however many callers ask.
    vi.setSystemTime(expiresAt - 5 * MINUTE);
    const renewed = await Promise.all([roleIdentity(), roleIdentity(), roleIdentity()]);
    expect(await assumeRoles()).toBe(2);
    expect(new Set(renewed.map((c) => c.accessKeyId)).size).toBe(1);
    const second = renewed[0];
    expect(second?.accessKeyId).not.toBe(first.accessKeyId);
    expect((second?.expiration.getTime() ?? 0) - (expiresAt - 5 * MINUTE)).toBeGreaterThan(59 * MINUTE);

    // The clients pick the renewed credentials up: past the first credentials' expiry every call still works, with no further AssumeRole.
    vi.setSystemTime(expiresAt + MINUTE);
    await list(US);
    await list(AP);
    expect(await assumeRoles()).toBe(2);
    expect((await stats()).byScope["222222222222/us-east-1"]?.["codestar-connections"]?.ListConnections).toBe(4);
  });

  test("past their expiry the emulator refuses the first credentials: the renewal is what keeps the calls working", async () => {
    const first = await roleIdentity();
    vi.setSystemTime(first.expiration.getTime() + MINUTE);
    const { connectionsClient } = await import("../../emulator/contract/helpers");
    await expect(connectionsClient(emulator, { credentials: first }).send(new ListConnectionsCommand({}))).rejects.toThrow(/expired/);
  });
});
