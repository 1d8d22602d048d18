import { AwsError } from "./protocol/errors";

/**
 * Fault injection (`/_emulator/faults`): rules that add latency to, or fail, the AWS calls they
 * match. A rule matches a call when every field it sets equals the call's (absent = any):
 * `account`, `region` (the caller's scope), `service` (the signing name), `operation`.
 *
 * Per call, the rules are read in creation order: the first matching rule with an `error`
 * applies (later error rules do not), and so does every matching rule without one (latency
 * only); the delay is the sum of the applied rules' `latencyMs`. Each applied rule uses one of
 * its `count` (absent = unlimited); a rule whose count is used up stays listed with
 * `remaining: 0` and matches nothing more. With `after: n`, a rule lets the first n calls it
 * matches through untouched and applies from the (n+1)th on — so a test can fail page 2 of a
 * listing while page 1 succeeds.
 */

export const FAULT_ERRORS = ["ThrottlingException", "AccessDeniedException", "InternalFailure", "ServiceUnavailable"] as const;
export type FaultError = (typeof FAULT_ERRORS)[number];

export const MAX_FAULT_LATENCY_MS = 120_000;
const MAX_RULES = 100;

export interface FaultMatch {
  account?: string;
  region?: string;
  service?: string;
  operation?: string;
}

export interface FaultRule extends FaultMatch {
  id: string;
  error?: FaultError;
  latencyMs?: number;
  count?: number;
  /** Matching calls to let through before the rule applies. */
  after?: number;
  /** How many calls the rule has applied to. */
  applied: number;
  /** How many matching calls it let through because of `after`. */
  passed: number;
}

/** The rule as the control API shows it. */
export function describeRule(r: FaultRule): Record<string, unknown> {
  return {
    id: r.id,
    ...(r.account !== undefined ? { account: r.account } : {}),
    ...(r.region !== undefined ? { region: r.region } : {}),
    ...(r.service !== undefined ? { service: r.service } : {}),
    ...(r.operation !== undefined ? { operation: r.operation } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.latencyMs !== undefined ? { latencyMs: r.latencyMs } : {}),
    ...(r.count !== undefined ? { count: r.count, remaining: r.count - r.applied } : {}),
    ...(r.after !== undefined ? { after: r.after, passed: r.passed } : {}),
    applied: r.applied,
  };
}

export interface AppliedFault {
  latencyMs: number;
  error?: FaultError;
}

export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(rule: Omit<FaultRule, "id" | "applied" | "passed">): FaultRule {
    if (this.rules.length >= MAX_RULES) throw new Error(`At most ${MAX_RULES} fault rules; DELETE /_emulator/faults first.`);
    const record: FaultRule = { ...rule, id: `fault-${this.nextId++}`, applied: 0, passed: 0 };
    this.rules.push(record);
    return record;
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
    this.nextId = 1;
  }

  /** The faults for one call; uses up one count of every rule that applies. */
  take(call: Required<FaultMatch>): AppliedFault {
    let latencyMs = 0;
    let error: FaultError | undefined;
    for (const rule of this.rules) {
      if (!matches(rule, call) || exhausted(rule)) continue;
      if (rule.after !== undefined && rule.passed < rule.after) {
        rule.passed++;
        continue;
      }
      if (rule.error !== undefined) {
        if (error !== undefined) continue;
        error = rule.error;
      }
      rule.applied++;
      latencyMs += rule.latencyMs ?? 0;
    }
    return { latencyMs, ...(error ? { error } : {}) };
  }
}

function matches(rule: FaultMatch, call: Required<FaultMatch>): boolean {
  return (
    (rule.account === undefined || rule.account === call.account) &&
    (rule.region === undefined || rule.region === call.region) &&
    (rule.service === undefined || rule.service === call.service) &&
    (rule.operation === undefined || rule.operation === call.operation)
  );
}

function exhausted(rule: FaultRule): boolean {
  return rule.count !== undefined && rule.applied >= rule.count;
}

/**
 * Reads a `POST /_emulator/faults` body. Returns the rule, or a message saying what is wrong.
 * `services` are the signing names the emulator serves.
 */
export function parseFaultRule(
  body: unknown,
  services: readonly string[],
): { ok: true; rule: Omit<FaultRule, "id" | "applied" | "passed"> } | { ok: false; message: string } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, message: "Expected a JSON object body." };
  }
  const input = body as Record<string, unknown>;
  const known = ["account", "region", "service", "operation", "error", "latencyMs", "count", "after"];
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length) return { ok: false, message: `Unknown field(s) ${unknown.join(", ")}; expected ${known.join(", ")}.` };
  const problems: string[] = [];
  const str = (name: string, test: (v: string) => boolean, expected: string): string | undefined => {
    const v = input[name];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !test(v)) {
      problems.push(`"${name}" must be ${expected}`);
      return undefined;
    }
    return v;
  };
  const int = (name: string, min: number, max: number): number | undefined => {
    const v = input[name];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      problems.push(`"${name}" must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return v;
  };
  const account = str("account", (v) => /^\d{12}$/.test(v), "a 12-digit account id");
  const region = str("region", (v) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(v), "a region name such as us-east-1");
  const service = str("service", (v) => services.includes(v), `one of the signing names ${services.join(", ")}`);
  const operation = str("operation", (v) => /^[A-Z][A-Za-z0-9]*$/.test(v), "an operation name such as ListPipelines");
  const error = str("error", (v) => (FAULT_ERRORS as readonly string[]).includes(v), `one of ${FAULT_ERRORS.join(", ")}`) as
    | FaultError
    | undefined;
  const latencyMs = int("latencyMs", 0, MAX_FAULT_LATENCY_MS);
  const count = int("count", 1, 1_000_000);
  const after = int("after", 1, 1_000_000);
  if (problems.length) return { ok: false, message: `Invalid fault rule: ${problems.join("; ")}.` };
  if (error === undefined && latencyMs === undefined) {
    return { ok: false, message: 'A fault rule needs "error", "latencyMs" or both.' };
  }
  return {
    ok: true,
    rule: {
      ...(account !== undefined ? { account } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(service !== undefined ? { service } : {}),
      ...(operation !== undefined ? { operation } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(after !== undefined ? { after } : {}),
    },
  };
}

/**
 * The AWS error an injected fault answers with, in the caller's protocol. AWS JSON and REST-JSON:
 * `ThrottlingException`, `AccessDeniedException` (HTTP 400 unless the service's model says
 * otherwise: connections 429 and 403), or the code the service's model uses instead
 * (`codeOverrides`: Organizations and Account throttle with `TooManyRequestsException`), `InternalFailure` 500, `ServiceUnavailable` 503. Query
 * (STS): `Throttling` 400, `AccessDenied` 403, `InternalFailure` 500, `ServiceUnavailable` 503.
 */
export function faultError(
  fault: FaultError,
  protocol: "json" | "query",
  call: { action: string; callerArn: string },
  statusOverrides: Readonly<Record<string, number>> = {},
  codeOverrides: Readonly<Record<string, string>> = {},
): AwsError {
  const json = (code: string, message: string) => {
    const modelled = codeOverrides[code] ?? code;
    return new AwsError(modelled, message, statusOverrides[modelled] ?? 400);
  };
  switch (fault) {
    case "ThrottlingException":
      return protocol === "json" ? json("ThrottlingException", "Rate exceeded") : new AwsError("Throttling", "Rate exceeded", 400);
    case "AccessDeniedException": {
      const message = `User: ${call.callerArn} is not authorized to perform: ${call.action} because no identity-based policy allows the ${call.action} action`;
      return protocol === "json" ? json("AccessDeniedException", message) : new AwsError("AccessDenied", message, 403);
    }
    case "InternalFailure":
      return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
    case "ServiceUnavailable":
      return new AwsError("ServiceUnavailable", "The service is unavailable. Please try again later.", 503);
  }
}
