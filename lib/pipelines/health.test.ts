import { describe, expect, test } from "vitest";
import { assessHealth, healthChangesAt } from "./health";
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

describe("healthChangesAt: how long a verdict stands", () => {
  const HOUR = 3_600_000;
  // A small deterministic generator, so a failure names its seed.
  const random = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const triggers = ["WebhookV2", "Webhook", "StartPipelineExecution", "CloudWatchEvent", null];

  test("over 300 random histories, the verdict at every instant before it equals the verdict now", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = random(seed);
      const n = Math.floor(r() * 6);
      const executions: ExecutionFacts[] = Array.from({ length: n }, () => ({
        triggerType: triggers[Math.floor(r() * triggers.length)] ?? null,
        // up to 7 days back, now and then none or a little in the future
        startTime: r() < 0.1 ? null : new Date(now - Math.floor((r() * 7.2 - 0.2) * 24 * HOUR)).toISOString(),
        revisionId: r() < 0.5 ? `c${Math.floor(r() * 3)}` : null,
      }));
      executions.sort((a, b) => (b.startTime ?? "").localeCompare(a.startTime ?? ""));
      const input = { diagnoses: [r() < 0.2 ? warning : ok], executions, swept: r() < 0.9 };
      const at = healthChangesAt(executions, now);
      expect(at, `seed ${seed}`).toBeGreaterThan(now);
      const then = assessHealth({ ...input, now });
      const end = Number.isFinite(at) ? at - 1 : now + 30 * 24 * HOUR;
      for (const t of [now + 1, now + (end - now) / 3, now + ((end - now) * 2) / 3, end]) expect(assessHealth({ ...input, now: Math.floor(t) }), `seed ${seed}, ${new Date(t).toISOString()}`).toEqual(then);
    }
  });

  test("it is the moment the oldest start of the last 24 h leaves it, or the last push turns stale", () => {
    const execs = [ex("StartPipelineExecution", 2, "c2"), ex("StartPipelineExecution", 20, "c1"), ex("WebhookV2", 50)];
    const at = healthChangesAt(execs, now);
    expect(at).toBe(now + 4 * HOUR); // the start 20 h ago leaves the last 24 h in 4 h
    const input = { diagnoses: [ok], executions: execs, swept: true };
    expect(assessHealth({ ...input, now }).verdict).toBe("degraded"); // two manual starts, no push
    expect(assessHealth({ ...input, now: at + 1 }).verdict).toBe("healthy"); // one manual start left

    const stale = [ex("WebhookV2", 70)];
    expect(healthChangesAt(stale, now)).toBe(now + 2 * HOUR); // 72 h after the push
    expect(healthChangesAt([], now)).toBe(Infinity);
  });
});
