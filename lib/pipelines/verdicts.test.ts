import { describe, expect, test } from "vitest";
import type { StoredPipeline } from "@/lib/store/types";
import { assessPipeline, connectionLookup, connectionStateOf } from "./verdicts";

const A = "111111111111";
const uuid = "b46e6780-f86f-4021-b10c-ccba2f8e35b4";
const now = Date.parse("2026-11-25T12:00:00Z");

const pipeline = (connectionArn: string): StoredPipeline => ({
  account: A,
  region: "eu-west-1",
  name: "docs",
  version: 1,
  pipelineType: "V2",
  updated: null,
  fetchedAt: "2026-11-25T11:00:00Z",
  lastSweptAt: "2026-11-25T11:00:00Z",
  lastSweepAttemptAt: "2026-11-25T11:00:00Z",
  lastSweepError: null,
  definition: { account: A, region: "eu-west-1", name: "docs", pipelineType: "V2", version: 1, sourceActions: [{ stage: "Source", name: "Source", connectionArn, repository: "acme/docs", branch: "main", detectChanges: true, outputArtifactFormat: null }], triggers: [] },
});

describe("a pipeline's verdict from what is known of its connections", () => {
  const lookup = (status: string | null, listed: boolean | undefined) => connectionLookup(status ? [{ account: A, id: uuid.toUpperCase(), name: "docs-site-github", status }] : [], listed === undefined ? new Map() : new Map([[A, listed]]));

  test("a connection of another home Region is found by account and UUID, either ARN prefix, any case", () => {
    for (const arn of [`arn:aws:codeconnections:us-east-1:${A}:connection/${uuid}`, `arn:aws:codestar-connections:us-east-1:${A}:connection/${uuid}`]) {
      expect(connectionStateOf(lookup("AVAILABLE", true), A, uuid)).toEqual({ exists: true, status: "AVAILABLE", name: "docs-site-github" });
      const { sources, health } = assessPipeline(lookup("ERROR", true), pipeline(arn), [], now);
      expect(sources[0]?.connection).toMatchObject({ id: uuid, account: A, region: "us-east-1", name: "docs-site-github", status: "ERROR", state: "ok" });
      expect(health.verdict).toBe("broken");
    }
  });

  test("missing from a complete listing is broken; an account never listed or not configured is unknown, not broken", () => {
    const arn = `arn:aws:codeconnections:us-east-1:${A}:connection/${uuid}`;
    expect(connectionStateOf(lookup(null, true), A, uuid)).toEqual({ exists: false });
    expect(assessPipeline(lookup(null, true), pipeline(arn), [], now).health.verdict).toBe("broken");
    expect(connectionStateOf(lookup(null, false), A, uuid)).toEqual({ exists: "unknown", reason: `the connections of ${A} could not be listed` });
    expect(connectionStateOf(lookup(null, undefined), A, uuid)).toEqual({ exists: "unknown", reason: `account ${A} is not configured` });
    expect(assessPipeline(lookup(null, false), pipeline(arn), [], now).health.verdict).not.toBe("broken");
  });
});
