import type { ServerResponse } from "node:http";
import type { AwsError } from "./errors";

/**
 * REST-JSON (Account Management): the operation is the HTTP method and path, the input a JSON
 * body, the output JSON (`Content-Type: application/json`, timestamps as epoch seconds). An error
 * names its shape in the `x-amzn-ErrorType` header (what API Gateway-fronted services send; the
 * SDKs read it first) and writes `{"message", …the shape's other members}` as the body.
 */

export function sendRestJsonResult(res: ServerResponse, requestId: string, output: object): void {
  write(res, 200, requestId, output);
}

export function sendRestJsonError(res: ServerResponse, requestId: string, err: AwsError): void {
  write(res, err.status, requestId, { message: err.message, ...err.fields }, { "x-amzn-ErrorType": err.code });
}

function write(res: ServerResponse, status: number, requestId: string, payload: object, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(payload, function (this: unknown, key: string, value: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "x-amzn-RequestId": requestId,
    ...headers,
  });
  res.end(body);
}
