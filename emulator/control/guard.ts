import type { IncomingHttpHeaders } from "node:http";

/**
 * What keeps a web page from driving the control API. A page on any origin can make the
 * browser POST to 127.0.0.1 (a "no-cors" fetch or a form), but only with a form or plain-text
 * body, or none, never application/json; and a page on a hostile domain that re-resolves to
 * 127.0.0.1 (DNS rebinding) still sends its own name as Host. So every control call must come
 * to a loopback Host, and every call that changes something must be JSON. One exception: a call
 * with no body at all (`curl -XPOST …/stats/reset`) is taken when no web page sent it, that is
 * without an Origin header (browsers send one on every request that is not GET or HEAD).
 * A notification sink's receiving endpoint (`POST /_emulator/sinks/<name>`) is not the control API:
 * it accepts what real receivers accept (any content type, whatever Host the sender names). Reading
 * a sink, making it fail and emptying it are control calls like the others.
 */
export interface Refusal {
  status: number;
  body: { error: string };
}

const SINK_RECEIVER = /^\/_emulator\/sinks\/[^/]+\/?$/;
const CONTROL = /^\/_emulator(\/|$)/;

/** localhost, 127.0.0.0/8 or [::1], with any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = (host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.replace(/:\d+$/, "")).toLowerCase();
  return name === "localhost" || name === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** `application/json` or `application/<something>+json`, with or without parameters. */
export function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[\w.-]+\+json$/.test(type);
}

/** No Content-Type, and no body announced (Content-Length absent or 0, not chunked). */
function hasNoBody(headers: IncomingHttpHeaders): boolean {
  return headers["content-type"] === undefined && headers["transfer-encoding"] === undefined && (headers["content-length"] === undefined || headers["content-length"] === "0");
}

export function controlRefusal(path: string, method: string, headers: IncomingHttpHeaders): Refusal | undefined {
  if (!CONTROL.test(path) || (method === "POST" && SINK_RECEIVER.test(path))) return undefined;
  if (!isLoopbackHost(headers.host)) {
    return { status: 403, body: { error: `The control API answers only on a loopback Host (localhost, 127.0.0.1 or [::1]), not ${JSON.stringify(headers.host ?? "")}.` } };
  }
  if (method !== "GET" && method !== "HEAD" && !isJson(headers["content-type"]) && !(hasNoBody(headers) && headers.origin === undefined)) {
    return { status: 415, body: { error: "The control API takes JSON: send Content-Type: application/json." } };
  }
  return undefined;
}
