import { describe, expect, test } from "vitest";
import { assessHealth } from "./health";
import type { Diagnosis, ExecutionFacts } from "@/lib/types";

const now = Date.parse("2026-11-25T12:00:00Z");
const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();
const ex = (triggerType: string, h: number, revisionId: string | null = null): ExecutionFacts => ({ triggerType, startTime: hoursAgo(h), revisionId });
const ok: Diagnosis = { rule: "starts-on-push", verdict: "ok", explanation: "fine", fix: null };
const broken: Diagnosis = { rule: "connection-not-available", verdict: "broken", explanation: "The connection is PENDING.", fix: "resume" };
const warning: Diagnosis = { rule: "detect-changes-off", verdict: "warning", explanation: "DetectChanges is false.", fix: "x" };

describe("assessHealth: rules in order", () => {
  test("1. a broken diagnosis wins over everything", () => {
    expect(assessHealth({ diagnoses: [ok, broken], executions: [ex("WebhookV2", 1)], swept: true, now })).toMatchObject({ verdict: "broken", reason: "The connection is PENDING." });
  });

  test("2. only manual starts in 24 h while the branch moved", () => {
    const h = assessHealth({ diagnoses: [ok], executions: [ex("StartPipelineExecution", 1, "c3"), ex("StartPipelineExecution", 5, "c2"), ex("WebhookV2", 30, "c1")], swept: true, now });
    expect(h.verdict).toBe("degraded");
    expect(h.reason).toContain('manual "Release change" (2)');
    expect(h.reason).toContain("the branch moved");
    expect(h.last24h).toEqual({ push: 0, manual: 2, other: 0 });
    expect(h.lastPushStart).toBe(hoursAgo(30));
  });

  test("one manual start is not enough for rule 2", () => {
    expect(assessHealth({ diagnoses: [ok], executions: [ex("StartPipelineExecution", 1), ex("WebhookV2", 30)], swept: true, now }).verdict).toBe("healthy");
  });

  test("3. no push start for more than 3 days, but started by hand since", () => {
    const h = assessHealth({ diagnoses: [ok], executions: [ex("StartPipelineExecution", 30), ex("Webhook", 24 * 4)], swept: true, now });
    expect(h).toMatchObject({ verdict: "degraded" });
    expect(h.reason).toContain("more than 3 days");
  });

  test("4. a warning diagnosis is degraded", () => {
    expect(assessHealth({ diagnoses: [warning], executions: [ex("WebhookV2", 2)], swept: true, now })).toMatchObject({ verdict: "degraded", reason: "DetectChanges is false." });
  });

  test("5. no history yet is unknown; 6. otherwise healthy", () => {
    expect(assessHealth({ diagnoses: [ok], executions: [], swept: false, now }).verdict).toBe("unknown");
    expect(assessHealth({ diagnoses: [ok], executions: [ex("WebhookV2", 2), ex("CreatePipeline", 200)], swept: true, now })).toMatchObject({ verdict: "healthy", last24h: { push: 1, manual: 0, other: 0 } });
  });
});
