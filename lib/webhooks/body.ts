/**
 * A delivery as the receivers read it, whatever server hands it over: its headers (looked up by
 * name, case-insensitively) and its body as a stream of bytes. The production receivers are Node
 * handlers (pages/api/, docs/webhooks.md "Why the receivers are Node handlers") and pass the
 * IncomingMessage itself; a web `Request` (tests, the emulator's tools) goes through `deliveryOf`.
 */
export type HeaderSource = Pick<Headers, "get" | "has">;

export interface Delivery {
  headers: HeaderSource;
  /** The body's bytes, read at most once; null when there is none. */
  body: AsyncIterable<Uint8Array> | null;
}

export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export class TooLarge extends Error {
  override name = "TooLarge";
}

/** A web Request as a Delivery. */
export function deliveryOf(req: Request): Delivery {
  return { headers: req.headers, body: req.body as AsyncIterable<Uint8Array> | null };
}

/** The Content-Length the sender declared, or 0 when there is none (chunked). */
export function declaredLength(d: Delivery): number {
  const declared = Number(d.headers.get("content-length") ?? "NaN");
  return Number.isFinite(declared) ? declared : 0;
}

/** Reads the body as UTF-8 text, refusing more than `max` bytes (declared or sent) without buffering them. */
export async function readCapped(d: Delivery, max = MAX_WEBHOOK_BYTES): Promise<string> {
  if (declaredLength(d) > max) throw new TooLarge(`body over ${max} bytes`);
  if (!d.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early (break or throw) cancels a web stream / destroys a Node stream.
  for await (const chunk of d.body) {
    size += chunk.byteLength;
    if (size > max) throw new TooLarge(`body over ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
