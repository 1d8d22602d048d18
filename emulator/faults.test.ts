import { describe, expect, it } from "vitest";
import { describeRule, faultError, FaultRules, parseFaultRule } from "./faults";

const SERVICES = ["codepipeline", "sts"];
const call = { account: "111111111111", region: "us-east-1", service: "codepipeline", operation: "ListPipelines" };

describe("parseFaultRule", () => {
  it("accepts a full rule and keeps only the fields given", () => {
    const body = { account: "111111111111", region: "eu-west-1", service: "sts", operation: "AssumeRole", error: "InternalFailure", latencyMs: 5, count: 2 };
    expect(parseFaultRule(body, SERVICES)).toEqual({ ok: true, rule: body });
    expect(parseFaultRule({ latencyMs: 0 }, SERVICES)).toEqual({ ok: true, rule: { latencyMs: 0 } });
  });

  it("lists every problem at once", () => {
    const out = parseFaultRule({ region: "Mars", latencyMs: 1.5, error: "Nope" }, SERVICES);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.message).toContain('"region" must be a region name');
      expect(out.message).toContain('"error" must be one of');
      expect(out.message).toContain('"latencyMs" must be an integer from 0 to 120000');
    }
  });

  it.each([[null], ["x"], [[]], [{}], [{ foo: 1, error: "InternalFailure" }], [{ service: "s3", error: "InternalFailure" }]])("refuses %j", (body) => {
    expect(parseFaultRule(body, SERVICES).ok).toBe(false);
  });
});

describe("FaultRules", () => {
  it("matches on the fields a rule sets; absent fields match anything", () => {
    const rules = new FaultRules();
    rules.add({ region: "eu-west-1", error: "ThrottlingException" });
    expect(rules.take(call)).toEqual({ latencyMs: 0 });
    expect(rules.take({ ...call, region: "eu-west-1" })).toEqual({ latencyMs: 0, error: "ThrottlingException" });
  });

  it("applies the first matching error rule and every latency rule, and counts down", () => {
    const rules = new FaultRules();
    rules.add({ latencyMs: 10, count: 1 });
    rules.add({ error: "InternalFailure", latencyMs: 5, count: 1 });
    rules.add({ error: "ServiceUnavailable" });
    expect(rules.take(call)).toEqual({ latencyMs: 15, error: "InternalFailure" });
    expect(rules.take(call)).toEqual({ latencyMs: 0, error: "ServiceUnavailable" });
    expect(rules.list().map(describeRule)).toEqual([
      { id: "fault-1", latencyMs: 10, count: 1, remaining: 0, applied: 1 },
      { id: "fault-2", error: "InternalFailure", latencyMs: 5, count: 1, remaining: 0, applied: 1 },
      { id: "fault-3", error: "ServiceUnavailable", applied: 1 },
    ]);
    expect(rules.remove("fault-3")).toBe(true);
    expect(rules.remove("fault-3")).toBe(false);
    expect(rules.take(call)).toEqual({ latencyMs: 0 });
    rules.clear();
    expect(rules.add({ latencyMs: 1 }).id).toBe("fault-1");
  });
});

describe("after", () => {
  it("lets the first n matching calls through, then applies (with count: for how many)", () => {
    const rules = new FaultRules();
    rules.add({ operation: "ListPipelines", error: "AccessDeniedException", after: 2, count: 1 });
    expect(rules.take(call)).toEqual({ latencyMs: 0 });
    expect(rules.take({ ...call, operation: "GetPipeline" })).toEqual({ latencyMs: 0 }); // not matching: not counted
    expect(rules.take(call)).toEqual({ latencyMs: 0 });
    expect(rules.take(call)).toEqual({ latencyMs: 0, error: "AccessDeniedException" });
    expect(rules.take(call)).toEqual({ latencyMs: 0 });
    expect(rules.list().map(describeRule)).toEqual([{ id: "fault-1", operation: "ListPipelines", error: "AccessDeniedException", count: 1, remaining: 0, after: 2, passed: 2, applied: 1 }]);
  });

  it("is parsed as an integer of at least 1", () => {
    expect(parseFaultRule({ error: "InternalFailure", after: 3 }, SERVICES)).toEqual({ ok: true, rule: { error: "InternalFailure", after: 3 } });
    expect(parseFaultRule({ error: "InternalFailure", after: 0 }, SERVICES).ok).toBe(false);
    expect(parseFaultRule({ error: "InternalFailure", after: "1" }, SERVICES).ok).toBe(false);
  });
});

describe("faultError", () => {
  const who = { action: "codepipeline:ListPipelines", callerArn: "arn:aws:iam::111111111111:user/tether-demo" };
  it("uses the JSON codes, with per-service statuses", () => {
    expect(faultError("ThrottlingException", "json", who)).toMatchObject({ code: "ThrottlingException", status: 400, message: "Rate exceeded" });
    expect(faultError("ThrottlingException", "json", who, { ThrottlingException: 429 }).status).toBe(429);
    expect(faultError("AccessDeniedException", "json", who, { AccessDeniedException: 403 })).toMatchObject({
      status: 403,
      message:
        "User: arn:aws:iam::111111111111:user/tether-demo is not authorized to perform: codepipeline:ListPipelines because no identity-based policy allows the codepipeline:ListPipelines action",
    });
    expect(faultError("InternalFailure", "json", who).status).toBe(500);
    expect(faultError("ServiceUnavailable", "json", who).status).toBe(503);
  });

  it("uses the query codes for STS", () => {
    expect(faultError("ThrottlingException", "query", who)).toMatchObject({ code: "Throttling", status: 400 });
    expect(faultError("AccessDeniedException", "query", who)).toMatchObject({ code: "AccessDenied", status: 403 });
    expect(faultError("InternalFailure", "query", who).fault).toBe("Receiver");
  });
});
