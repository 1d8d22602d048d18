import { afterEach, describe, expect, test } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import type { DiscoveryRun } from "@/lib/store/types";
import { discoveryDue, memberRoleArn, nextScheduledRun, RETRY_AFTER_FAILURE_MS, toRunView } from "./discovery";

const T0 = Date.parse("2026-11-25T12:00:00.000Z");
const run = (outcome: "ok" | "error", finishedAt: number): DiscoveryRun => ({ id: 1, startedAt: new Date(finishedAt - 1500).toISOString(), finishedAt: new Date(finishedAt).toISOString(), trigger: "schedule", outcome, error: outcome === "error" ? "boom" : null, result: null });

function configure(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}

afterEach(() => {
  configure({ TETHER_ORGANIZATION: undefined, TETHER_DISCOVERY_INTERVAL_MINUTES: undefined, TETHER_BACKGROUND: undefined, AWS_REGION: "us-east-1" });
});

describe("when the scheduled discovery runs", () => {
  test("at once when nothing ran; an interval after a success; at most 5 minutes after a failure", () => {
    configure({ AWS_REGION: "us-east-1", TETHER_ORGANIZATION: '{"roleName":"R"}', TETHER_DISCOVERY_INTERVAL_MINUTES: "60" });
    expect(discoveryDue(null, T0)).toBe(true);
    expect(discoveryDue(run("ok", T0), T0 + 59 * 60_000)).toBe(false);
    expect(discoveryDue(run("ok", T0), T0 + 60 * 60_000)).toBe(true);
    expect(discoveryDue(run("error", T0), T0 + RETRY_AFTER_FAILURE_MS - 1)).toBe(false);
    expect(discoveryDue(run("error", T0), T0 + RETRY_AFTER_FAILURE_MS)).toBe(true);
    expect(nextScheduledRun(run("ok", T0))).toBe(new Date(T0 + 60 * 60_000).toISOString());
    expect(nextScheduledRun(run("error", T0))).toBe(new Date(T0 + RETRY_AFTER_FAILURE_MS).toISOString());
    // An interval shorter than the retry wait: a failure is retried at the interval.
    configure({ TETHER_DISCOVERY_INTERVAL_MINUTES: "2" });
    expect(discoveryDue(run("error", T0), T0 + 2 * 60_000)).toBe(true);
  });

  test("never scheduled with discovery off or TETHER_BACKGROUND=off", () => {
    configure({ AWS_REGION: "us-east-1", TETHER_ORGANIZATION: undefined });
    expect(nextScheduledRun(run("ok", T0))).toBeNull();
    configure({ TETHER_ORGANIZATION: '{"roleName":"R"}', TETHER_BACKGROUND: "off" });
    expect(nextScheduledRun(run("ok", T0))).toBeNull();
  });
});

test("the member role's ARN is in the partition of AWS_REGION", () => {
  configure({ AWS_REGION: "us-east-1" });
  expect(memberRoleArn("123456789012", "TetherReadOnly")).toBe("arn:aws:iam::123456789012:role/TetherReadOnly");
  configure({ AWS_REGION: "us-gov-west-1" });
  expect(memberRoleArn("123456789012", "TetherReadOnly")).toBe("arn:aws-us-gov:iam::123456789012:role/TetherReadOnly");
  configure({ AWS_REGION: "cn-north-1" });
  expect(memberRoleArn("123456789012", "R")).toBe("arn:aws-cn:iam::123456789012:role/R");
});

test("a stored run as the page shows it: its duration, its result parsed", () => {
  const v = toRunView({ ...run("ok", T0), result: '{"accounts":[],"skipped":[]}' });
  expect(v.durationMs).toBe(1500);
  expect(v.result).toEqual({ accounts: [], skipped: [] });
  expect(toRunView(run("error", T0)).result).toBeNull();
});
