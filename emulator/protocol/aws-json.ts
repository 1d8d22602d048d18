import type { ServerResponse } from "node:http";
import { AwsError } from "./errors";

/** AWS JSON 1.0 / 1.1: `POST /`, `X-Amz-Target: <prefix>.<Operation>`, JSON in and out. */

export type JsonVersion = "1.0" | "1.1";

export interface Target {
  prefix: string;
  operation: string;
}

/** The operation is the text after the LAST '.', so short and `com.amazonaws.…` prefixes both work. */
export function splitTarget(target: string): Target | undefined {
  const dot = target.lastIndexOf(".");
  if (dot <= 0 || dot === target.length - 1) return undefined;
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

/** AWS JSON timestamps are epoch seconds (fractions allowed); ISO strings break the JS SDK. */
export function toEpochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** Writes every `Date` in an output as epoch seconds (JSON.stringify has already ISO-formatted it). */
function epochSecondsReplacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Date ? toEpochSeconds(raw) : value;
}

/** An empty body means `{}`; anything but a JSON object is a SerializationException. */
export function parseJsonInput(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AwsError("SerializationException", "Request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AwsError("SerializationException", "Request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

export function sendJsonResult(
  res: ServerResponse,
  version: JsonVersion,
  requestId: string,
  output: object,
): void {
  write(res, 200, version, requestId, output);
}

/**
 * Error body: `__type` (the short code) plus the message under both `Message` (connections
 * shapes) and `message` (most other services); the SDKs read either.
 */
export function sendJsonError(
  res: ServerResponse,
  version: JsonVersion,
  requestId: string,
  err: AwsError,
  queryCompatible?: QueryCompatibility,
): void {
  if (!queryCompatible) {
    write(res, err.status, version, requestId, { __type: err.code, Message: err.message, message: err.message, ...err.fields }, {
      "x-amzn-ErrorType": err.code,
    });
    return;
  }
  const type = queryCompatible.modelledErrors.includes(err.code) ? `${queryCompatible.errorNamespace}#${err.code}` : err.code;
  write(res, err.status, version, requestId, { __type: type, Message: err.message, message: err.message }, {
    "x-amzn-ErrorType": err.code,
    "x-amzn-query-error": `${err.queryCode ?? err.code};${err.fault}`,
  });
}

/**
 * An AWS JSON service with the `awsQueryCompatible` trait (CloudWatch): errors carry the
 * namespaced shape in `__type` (`com.amazonaws.cloudwatch#InvalidParameterValueException`) and
 * the query code in `x-amzn-query-error: InvalidParameterValue;Sender`, which the JS SDK reads
 * first.
 */
export interface QueryCompatibility {
  /** `com.amazonaws.cloudwatch` */
  errorNamespace: string;
  /** Shape names written with the namespace; any other code is written as it is. */
  modelledErrors: readonly string[];
}

function write(
  res: ServerResponse,
  status: number,
  version: JsonVersion,
  requestId: string,
  payload: object,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(payload, epochSecondsReplacer);
  res.writeHead(status, {
    "Content-Type": `application/x-amz-json-${version}`,
    "Content-Length": Buffer.byteLength(body),
    "x-amzn-RequestId": requestId,
    ...headers,
  });
  res.end(body);
}
