import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorResponse, receiverHeaders } from "@/lib/api";
import type { Answer } from "@/lib/data/webhooks";
import type { Delivery, HeaderSource } from "@/lib/webhooks/body";

/**
 * The receivers as Node request handlers (the pages/api/ routes: docs/webhooks.md, "Why the
 * receivers are Node handlers"). Next hands a Pages API route Node's own request, whose body the
 * receiver reads straight off the socket; an App Router route first wraps it in a web Request and
 * a web stream, which costs more per delivery than everything the receiver itself does
 * (docs/benchmarks.md, "Webhook ingest").
 */

/** Node's request headers (names already lower-cased; repeated ones joined as Headers would). */
export function nodeHeaders(req: IncomingMessage): HeaderSource {
  const value = (name: string): string | null => {
    const v = req.headers[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  };
  return { get: value, has: (name) => value(name) !== null };
}

/**
 * A Node request as a Delivery. The body's iterator has no `return`, so a receiver that stops
 * reading early (a body over the cap) leaves the request alone: the answer still goes out, and
 * the connection is closed after it rather than reset before it.
 */
export function nodeDelivery(req: IncomingMessage): Delivery {
  return {
    headers: nodeHeaders(req),
    body: {
      [Symbol.asyncIterator]() {
        const it = req[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
        return { next: () => it.next() };
      },
    },
  };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  // An answer before the whole body arrived (refused from the headers, or over the cap): close
  // the connection after it instead of reading the rest.
  const unread = !req.complete;
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...(unread ? { connection: "close" } : {}) });
  res.end(body);
}

/** Only POST: anything else is 405 with `Allow: POST`, like an App Router route with only POST. */
export function refuseMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === "POST") return false;
  send(req, res, 405, JSON.stringify({ error: `${req.method ?? "this method"} is not allowed here: deliveries are POSTed` }), { ...receiverHeaders(), allow: "POST" });
  return true;
}

/** A receiver (lib/data/webhooks.ts) as a Node handler: its answer as JSON, any failure as errorResponse's. */
export function nodeReceiver(receive: (d: Delivery) => Promise<Answer>): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (refuseMethod(req, res)) return;
    try {
      const answer = await receive(nodeDelivery(req));
      send(req, res, answer.status, JSON.stringify(answer.body), receiverHeaders());
    } catch (e) {
      const failed = errorResponse(e);
      send(req, res, failed.status, await failed.text(), { ...Object.fromEntries(failed.headers), ...receiverHeaders() });
    }
  };
}
