/** Reads a request body as UTF-8 text, refusing more than `max` bytes without buffering them. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export class TooLarge extends Error {
  override name = "TooLarge";
}

/** The Content-Length the sender declared, or 0 when there is none (chunked). */
export function declaredLength(req: Request): number {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  return Number.isFinite(declared) ? declared : 0;
}

export async function readCapped(req: Request, max = MAX_WEBHOOK_BYTES): Promise<string> {
  if (declaredLength(req) > max) throw new TooLarge(`body over ${max} bytes`);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new TooLarge(`body over ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
