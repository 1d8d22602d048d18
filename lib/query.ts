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

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv<T extends object>(header: readonly (keyof T & string)[], records: readonly T[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [header.join(","), ...records.map((r) => header.map((h) => cell(r[h])).join(","))].join("\r\n") + "\r\n";
}
