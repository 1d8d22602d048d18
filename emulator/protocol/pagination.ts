/**
 * Opaque, stable pagination. A token names the position after the last item returned (by the
 * item's creation sequence), so deleting or adding items between pages never repeats or skips
 * the items that remain. Tokens are base64url JSON `{"k": <list kind>, "a": <seq>}`.
 */

export function encodeToken(kind: string, afterSeq: number): string {
  return Buffer.from(JSON.stringify({ k: kind, a: afterSeq })).toString("base64url");
}

/** The sequence number a token resumes after, or undefined when the token is not one of ours. */
export function decodeToken(token: string, kind: string): number | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const { k, a } = value as { k?: unknown; a?: unknown };
    return k === kind && typeof a === "number" && Number.isSafeInteger(a) && a >= 0 ? a : undefined;
  } catch {
    return undefined;
  }
}

/** A token carrying any small JSON object (services whose position is more than a sequence). */
export function encodeJsonToken(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** The object a `encodeJsonToken` token carries, or undefined when the token is not one of ours. */
export function decodeJsonToken(token: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextToken?: string;
}

/** `items` must be sorted by `seq`. `afterSeq` comes from `decodeToken` (undefined = first page). */
export function paginate<T extends { seq: number }>(
  items: readonly T[],
  kind: string,
  pageSize: number,
  afterSeq?: number,
): Page<T> {
  const remaining = afterSeq === undefined ? items : items.filter((item) => item.seq > afterSeq);
  const page = remaining.slice(0, pageSize);
  const last = page[page.length - 1];
  return remaining.length > page.length && last ? { items: page, nextToken: encodeToken(kind, last.seq) } : { items: page };
}
