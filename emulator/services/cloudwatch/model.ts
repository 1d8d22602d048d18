import { AwsError } from "../../protocol/errors";
import type { CallContext } from "../registry";
import type { AlarmStore } from "./alarm-store";
import type { Dimension, MetricStore } from "./store";

/**
 * Errors, input reading and shared rules of the CloudWatch operations. CloudWatch is AWS JSON
 * 1.0 with the `awsQueryCompatible` trait: every error has a shape name (`__type`, suffixed
 * `Exception` for most) and a query code (`x-amzn-query-error`, `<Code>` in the query
 * protocol). Messages follow CloudWatch's query-era wording and name members by their query
 * path (`MetricData.member.1.Value`).
 */

/** What the CloudWatch operations need of the emulator's state: the metric store. */
export interface CloudWatchState {
  readonly metrics: MetricStore;
  /** Metric alarms (PutMetricAlarm, DescribeAlarms, DeleteAlarms). */
  readonly alarms: AlarmStore;
}

export const XML_NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
export const ERROR_NAMESPACE = "com.amazonaws.cloudwatch";

/** Shape name → query code and HTTP status (client-cloudwatch 3.1164 schema; BEHAVIOR.md §11). */
const ERRORS = {
  InvalidParameterValueException: { query: "InvalidParameterValue", status: 400 },
  MissingRequiredParameterException: { query: "MissingParameter", status: 400 },
  InvalidParameterCombinationException: { query: "InvalidParameterCombination", status: 400 },
  InvalidNextToken: { query: "InvalidNextToken", status: 400 },
  LimitExceededFault: { query: "LimitExceeded", status: 400 },
  InternalServiceFault: { query: "InternalServiceError", status: 500 },
} as const;
export type CloudWatchErrorShape = keyof typeof ERRORS;
export const MODELLED_ERRORS: readonly string[] = Object.keys(ERRORS);

export function cloudWatchError(shape: CloudWatchErrorShape, message: string): AwsError {
  const e = ERRORS[shape];
  return new AwsError(shape, message, e.status, { queryCode: e.query });
}

export const invalidValue = (message: string) => cloudWatchError("InvalidParameterValueException", message);
export const missing = (path: string) => cloudWatchError("MissingRequiredParameterException", `The parameter ${path} is required.`);
export const combination = (message: string) => cloudWatchError("InvalidParameterCombinationException", message);

/** The caller's metric scope: account (from the identity) and region (credential scope). */
export function scopeOf(ctx: CallContext<CloudWatchState>): string {
  return `${ctx.account}/${ctx.region}`;
}

// ---------------------------------------------------------------------------------------------
// Input

type Json = Record<string, unknown>;

/**
 * Reads one structure of a request. The first problem throws (CloudWatch reports one error per
 * request): a missing required member → MissingParameter; a value of the wrong type or out of
 * range → InvalidParameterValue. Paths are query-style (`MetricDataQueries.member.2.Id`).
 * Accepts what both protocols deliver: JSON numbers, booleans and epoch-second timestamps, and
 * the query protocol's strings (numbers, `true`/`false`, ISO-8601 timestamps).
 */
export class Reader {
  constructor(
    private readonly input: Json,
    private readonly prefix = "",
  ) {}

  path(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  has(name: string): boolean {
    const v = this.input[name];
    return v !== undefined && v !== null;
  }

  raw(name: string): unknown {
    return this.input[name];
  }

  string(name: string, c: { required?: boolean; min?: number; max?: number } = {}): string | undefined {
    const v = this.get(name, c.required);
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw invalidValue(`The value ${show(v)} for parameter ${this.path(name)} is invalid.`);
    const min = c.min ?? 0;
    if (v.length < min || (c.max !== undefined && v.length > c.max)) {
      throw invalidValue(
        `The parameter ${this.path(name)} must be ${c.max === undefined ? `at least ${min}` : `between ${min} and ${c.max}`} characters long.`,
      );
    }
    return v;
  }

  /** A finite double; "NaN" / "Infinity" (how the SDKs write them) are refused by `finite`. */
  number(name: string, c: { required?: boolean } = {}): number | undefined {
    const v = this.get(name, c.required);
    return v === undefined ? undefined : toNumber(v, this.path(name));
  }

  integer(name: string, c: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const n = this.number(name, c);
    if (n === undefined) return undefined;
    if (!Number.isSafeInteger(n)) throw invalidValue(`The value ${show(n)} for parameter ${this.path(name)} is invalid.`);
    if (c.min !== undefined && n < c.min) {
      throw invalidValue(`The value ${n} for parameter ${this.path(name)} is less than the minimum ${c.min}.`);
    }
    if (c.max !== undefined && n > c.max) {
      throw invalidValue(`The value ${n} for parameter ${this.path(name)} is greater than the maximum ${c.max}.`);
    }
    return n;
  }

  boolean(name: string): boolean | undefined {
    const v = this.get(name, false);
    if (v === undefined) return undefined;
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    throw invalidValue(`The value ${show(v)} for parameter ${this.path(name)} is invalid.`);
  }

  /** Epoch ms from epoch seconds (JSON) or an ISO-8601 string (query). */
  timestamp(name: string, c: { required?: boolean } = {}): number | undefined {
    const v = this.get(name, c.required);
    if (v === undefined) return undefined;
    let ms = NaN;
    if (typeof v === "number") ms = v * 1000;
    else if (typeof v === "string") ms = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
    if (!Number.isFinite(ms)) throw invalidValue(`The value ${show(v)} for parameter ${this.path(name)} is invalid.`);
    return ms;
  }

  enumValue<T extends string>(name: string, values: readonly T[], c: { required?: boolean } = {}): T | undefined {
    const v = this.string(name, c);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      throw invalidValue(`The value ${v} for parameter ${this.path(name)} is invalid. Valid values: ${values.join(", ")}.`);
    }
    return v as T;
  }

  /** A list; an empty query value (`Dimensions=`) is an empty list. */
  list(name: string, c: { required?: boolean; max?: number } = {}): unknown[] | undefined {
    const v = this.get(name, c.required);
    if (v === undefined) return undefined;
    if (v === "") return [];
    if (!Array.isArray(v)) throw invalidValue(`The parameter ${this.path(name)} must be a list.`);
    if (c.max !== undefined && v.length > c.max) {
      throw invalidValue(`The collection ${this.path(name)} must not have a size greater than ${c.max}.`);
    }
    return v;
  }

  /** Reader for item i (0-based) of a list member. */
  item(name: string, i: number, value: unknown): Reader {
    return Reader.of(value, `${this.path(name)}.member.${i + 1}`);
  }

  struct(name: string, c: { required?: boolean } = {}): Reader | undefined {
    const v = this.get(name, c.required);
    return v === undefined ? undefined : Reader.of(v, this.path(name));
  }

  static of(value: unknown, path: string): Reader {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw invalidValue(`The parameter ${path} must be a structure.`);
    }
    return new Reader(value as Json, path);
  }

  private get(name: string, required = false): unknown {
    const v = this.input[name];
    if (v === undefined || v === null) {
      if (required) throw missing(this.path(name));
      return undefined;
    }
    return v;
  }
}

/** A number from JSON or a query string; "NaN" / "Infinity" come back non-finite (for `checkValue`). */
export function toNumber(v: unknown, path: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v === "NaN") return NaN;
    if (v === "Infinity" || v === "+Infinity") return Infinity;
    if (v === "-Infinity") return -Infinity;
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  }
  throw invalidValue(`The value ${show(v)} for parameter ${path} is invalid.`);
}

function show(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * A metric value CloudWatch accepts: finite, and 0 or of magnitude 2^-360 … 2^360 ("Values must
 * be in the range of -2^360 to 2^360 … NaN, +Infinity, -Infinity are not supported").
 */
export function checkValue(v: number, path: string): number {
  const abs = Math.abs(v);
  if (!Number.isFinite(v) || (abs !== 0 && (abs > 2 ** 360 || abs < 2 ** -360))) {
    throw invalidValue(`The value ${String(v)} for parameter ${path} is invalid.`);
  }
  return v;
}

export const STANDARD_UNITS = [
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
  "None",
] as const;

export function readNamespace(r: Reader, c: { required: boolean; forPut?: boolean }): string | undefined {
  const ns = r.string("Namespace", { required: c.required, min: 1, max: 255 });
  if (ns === undefined) return undefined;
  if (!/^[\x20-\x7e]+$/.test(ns) || ns.startsWith(":")) throw invalidValue(`The value ${ns} for parameter Namespace is invalid.`);
  if (c.forPut && ns.startsWith("AWS/")) {
    throw invalidValue(`The value ${ns} for parameter Namespace is invalid: namespaces starting with AWS/ are reserved for AWS services.`);
  }
  return ns;
}

/** Dimensions `{Name, Value}` (Value optional where `valueOptional`), at most `max`, names unique. */
export function readDimensions(
  r: Reader,
  c: { max: number; valueOptional?: boolean; member?: string },
): { Name: string; Value?: string }[] {
  const member = c.member ?? "Dimensions";
  const items = r.list(member, { max: c.max }) ?? [];
  const out: { Name: string; Value?: string }[] = [];
  const names = new Set<string>();
  items.forEach((item, i) => {
    const d = r.item(member, i, item);
    const Name = d.string("Name", { required: true, min: 1, max: 255 }) ?? "";
    const Value = d.string("Value", { required: !c.valueOptional, min: 1, max: 1024 });
    if (names.has(Name)) throw invalidValue(`The collection ${r.path(member)} must not contain duplicate dimension names (${Name}).`);
    names.add(Name);
    out.push(Value === undefined ? { Name } : { Name, Value });
  });
  return out;
}

export function readMetric(r: Reader): { namespace: string; metricName: string; dimensions: Dimension[] } {
  const namespace = readNamespace(r, { required: true }) ?? "";
  const metricName = r.string("MetricName", { required: true, min: 1, max: 255 }) ?? "";
  const dimensions = readDimensions(r, { max: 30 }) as Dimension[];
  return { namespace, metricName, dimensions };
}

/** `SampleCount | Sum | Average | Minimum | Maximum | pNN[.NN]`; other extended statistics are refused. */
export function checkStat(stat: string, path: string, percentileOk: (s: string) => boolean): void {
  if (["SampleCount", "Sum", "Average", "Minimum", "Maximum"].includes(stat) || percentileOk(stat)) return;
  if (/^(p|tm|wm|tc|ts|TM|WM|TC|TS|PR|IQM)/.test(stat)) {
    throw invalidValue(
      `The value ${stat} for parameter ${path} is not supported by this emulator: use SampleCount, Sum, Average, Minimum, Maximum or a percentile p0–p100 (up to two decimals, e.g. p99.9).`,
    );
  }
  throw invalidValue(`The value ${stat} for parameter ${path} is invalid.`);
}

/**
 * Period: ≥ 1, and 1, 5, 10, 20, 30 or a multiple of 60. Returns whether data can be returned
 * for this StartTime: AWS returns no data points (no error) when StartTime is more than 3 hours
 * ago and the period is not a multiple of 60, more than 15 days ago and not a multiple of 300,
 * more than 63 days ago and not a multiple of 3600.
 */
export function checkPeriod(period: number, path: string, startMs: number, nowMs: number): boolean {
  if (period < 1) throw invalidValue(`The parameter ${path} must be greater than 0.`);
  if (period % 60 !== 0 && ![1, 5, 10, 20, 30].includes(period)) {
    throw invalidValue(`The parameter ${path} must be a multiple of 60 or one of 1, 5, 10, 20, 30.`);
  }
  const age = nowMs - startMs;
  if (age > 63 * 86_400_000) return period % 3600 === 0;
  if (age > 15 * 86_400_000) return period % 300 === 0;
  if (age > 3 * 3_600_000) return period % 60 === 0;
  return true;
}

/** Data of sub-minute (high-resolution) periods is kept 3 hours. */
export const HIGH_RES_RETENTION_MS = 3 * 3_600_000;

// ---------------------------------------------------------------------------------------------
// Tokens (opaque base64url JSON)

export { decodeJsonToken as decodeToken, encodeJsonToken as encodeToken } from "../../protocol/pagination";
