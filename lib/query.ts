/**
 * Generic helpers for list views and exports: a page of rows, query strings, CSV. Nothing here
 * knows what is listed.
 */

/** Rows a list page shows at once. */
export const PAGE_SIZE = 50;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

export interface Page<T> {
  rows: T[];
  page: number;
  pages: number;
  total: number;
  pageSize: number;
}


/** The same page with the same filters, asking for a fresh listing (`refresh=1`). */
export function refreshHref(path: string, params: Params): string {
  const q = new URLSearchParams(toSearchParams(params));
  q.set("refresh", "1");
  return `${path}?${q}`;
}

export function toSearchParams(params: Params): URLSearchParams {
  if (params instanceof URLSearchParams) return params;
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, item);
  }
  return out;
}

export function paginate<T>(rows: readonly T[], page: number, pageSize = PAGE_SIZE): Page<T> {
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  return { rows: rows.slice((current - 1) * pageSize, current * pageSize), page: current, pages, total: rows.length, pageSize };
}

function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** RFC 4180 CSV, line by line (each ends in CRLF); cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function* csvLines<T extends object>(header: readonly (keyof T & string)[], records: Iterable<T>): Generator<string> {
  yield header.join(",") + "\r\n";
  for (const r of records) yield header.map((h) => csvCell(r[h])).join(",") + "\r\n";
}

/** The whole CSV as one string (small exports); big ones stream `csvLines` through `textStream`. */
export function toCsv<T extends object>(header: readonly (keyof T & string)[], records: readonly T[]): string {
  return [...csvLines(header, records)].join("");
}

/**
 * `JSON.stringify({...head, [key]: items, ...tail})`, as pieces: the opening, then one item at a
 * time, then the rest, so an export of every row never holds its whole text.
 */
export function* jsonWithArray(head: Record<string, unknown>, key: string, items: Iterable<unknown>, tail: Record<string, unknown>): Generator<string> {
  const open = JSON.stringify({ ...head, [key]: [] });
  yield open.slice(0, -2); // without "]}"
  let first = true;
  for (const item of items) {
    yield (first ? "" : ",") + JSON.stringify(item);
    first = false;
  }
  const rest = JSON.stringify(tail);
  yield rest === "{}" ? "]}" : `],${rest.slice(1)}`;
}

/**
 * A response body that encodes `pieces` as they are read: pieces are gathered to about `chunkBytes`
 * characters per chunk and taken from the iterator only when the reader wants more (pull), so a
 * slow client holds back the producer instead of the server buffering the whole body.
 */
export function textStream(pieces: Iterable<string>, chunkBytes = 64 * 1024): ReadableStream<Uint8Array> {
  const it = pieces[Symbol.iterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let chunk = "";
        while (chunk.length < chunkBytes) {
          const next = it.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += next.value;
        }
        controller.enqueue(encoder.encode(chunk));
      },
      cancel() {
        it.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
