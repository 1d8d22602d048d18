import type { ServerResponse } from "node:http";
import type { AwsError } from "./errors";

/**
 * AWS query protocol: form-encoded `Action=<Op>&Version=<v>&…` in, XML out. Lists arrive as
 * `Name.member.N`, maps as `Name.entry.N.key` / `.value`; `decodeQueryParams` rebuilds them.
 */

export function parseForm(body: Buffer): Record<string, string> {
  const out = dict<string>();
  for (const [key, value] of new URLSearchParams(body.toString("utf8"))) out[key] = value;
  return out;
}

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };

type Tree = { [key: string]: Tree | string };

/** A record without a prototype, so keys such as `__proto__` from a request stay plain data. */
function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * Turns flat dotted keys into nested values: `A.member.2.B=x` → `{A: [{B: "x"}]}` (list items
 * ordered by index), `M.entry.1.key=k&M.entry.1.value=v` → `{M: {k: "v"}}`. `Action` and
 * `Version` are dropped.
 */
export function decodeQueryParams(params: Record<string, string>): Record<string, QueryValue> {
  const root = dict<Tree | string>();
  for (const [key, value] of Object.entries(params)) {
    if (key === "Action" || key === "Version") continue;
    insert(root, key.split("."), value);
  }
  const out = dict<QueryValue>();
  for (const [key, value] of Object.entries(root)) out[key] = normalize(value);
  return out;
}

function insert(node: Tree, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    node[head] = value;
    return;
  }
  let child = node[head];
  if (typeof child !== "object") node[head] = child = dict<Tree | string>();
  insert(child, rest, value);
}

function normalize(value: Tree | string): QueryValue {
  if (typeof value === "string") return value;
  const keys = Object.keys(value);
  const only = keys.length === 1 ? keys[0] : undefined;
  const container = only === "member" || only === "entry" ? value[only] : undefined;
  if (only && container !== undefined && typeof container === "object") {
    const items = Object.entries(container)
      .filter(([index]) => /^\d+$/.test(index))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => normalize(item));
    if (only === "member") return items;
    const map = dict<QueryValue>();
    for (const item of items) {
      if (typeof item === "object" && !Array.isArray(item) && typeof item.key === "string") {
        map[item.key] = item.value ?? "";
      }
    }
    return map;
  }
  const out = dict<QueryValue>();
  for (const key of keys) {
    const child = value[key];
    if (child !== undefined) out[key] = normalize(child);
  }
  return out;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A value that can be rendered as XML members. Arrays become `<member>` lists; Dates ISO-8601. */
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | XmlValue[]
  | Map<string, XmlValue>
  | { [key: string]: XmlValue | undefined };

/** Maps render as `<entry><key>k</key><value>v</value></entry>` (CloudWatch's ExtendedStatistics). */
export function toXml(value: XmlValue): string {
  if (value instanceof Date) return isoSeconds(value);
  if (value instanceof Map) {
    return [...value].map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${toXml(v)}</value></entry>`).join("");
  }
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join("");
  if (typeof value === "object") {
    return Object.entries(value)
      .filter((entry): entry is [string, XmlValue] => entry[1] !== undefined)
      .map(([key, member]) => `<${key}>${toXml(member)}</${key}>`)
      .join("");
  }
  return escapeXml(String(value));
}

/** ISO-8601 without milliseconds, as AWS writes timestamps in XML. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function sendQueryResult(
  res: ServerResponse,
  namespace: string,
  operation: string,
  requestId: string,
  result: Record<string, XmlValue | undefined>,
): void {
  const body =
    `<${operation}Response xmlns="${escapeXml(namespace)}">` +
    `<${operation}Result>${toXml(result)}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${operation}Response>`;
  write(res, 200, requestId, body);
}

/** `namespace` is omitted when the request could not be attributed to a service. */
export function sendQueryError(res: ServerResponse, namespace: string | undefined, requestId: string, err: AwsError): void {
  const xmlns = namespace ? ` xmlns="${escapeXml(namespace)}"` : "";
  const body =
    `<ErrorResponse${xmlns}><Error><Type>${err.fault}</Type><Code>${escapeXml(err.queryCode ?? err.code)}</Code>` +
    `<Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  write(res, err.status, requestId, body);
}

function write(res: ServerResponse, status: number, requestId: string, xml: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`;
  res.writeHead(status, {
    "Content-Type": "text/xml",
    "Content-Length": Buffer.byteLength(body),
    "x-amzn-RequestId": requestId,
  });
  res.end(body);
}
