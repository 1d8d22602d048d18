import type { IncomingMessage } from "node:http";
import { gunzipSync } from "node:zlib";

/** Largest request body accepted, after decompression. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Reads the whole request body, gunzipping it when `Content-Encoding: gzip` says so. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyError(413, `Request body exceeds ${limit} bytes.`);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  const encoding = String(req.headers["content-encoding"] ?? "").trim().toLowerCase();
  if (encoding === "" || encoding === "identity") return raw;
  if (encoding !== "gzip") throw new BodyError(415, `Unsupported Content-Encoding '${encoding}'.`);
  try {
    return gunzipSync(raw, { maxOutputLength: limit });
  } catch (e) {
    if (e instanceof RangeError) throw new BodyError(413, `Decompressed request body exceeds ${limit} bytes.`);
    throw new BodyError(400, "Request body is not valid gzip.");
  }
}
