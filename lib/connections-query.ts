import { ARN_PREFIXES, CONNECTION_STATUSES, PROVIDERS, type Connection } from "./types";

/**
 * The inventory view's query: filters, text search, sort and page, as they appear in the URL of
 * /connections and of the export (GET /api/connections). One parser and one `applyQuery` serve
 * both, so an export always equals the filtered view.
 */

export const SORT_KEYS = ["status", "name", "provider", "account", "region", "prefix", "host", "since", "pipelines"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";
export const PAGE_SIZE = 50;

export interface ConnectionRow extends Connection {
  /** Name of the host (self-managed providers), when known. */
  hostName?: string;
  /** When the current status was first seen (ISO), from Tether's history; null when unknown. */
  statusSince: string | null;
  /** Set when its account's latest connection listing failed: the status is only known as of this time. */
  unknownSince: string | null;
  /** Whether a configured scope watches its home Region (the Region in its ARN, where AWS applies changes to it). */
  homeRegionWatched: boolean;
  /** Pipelines whose source actions use it (from the pipeline map); null before every scope of its account was mapped. */
  pipelines: number | null;
}

export interface ConnectionQuery {
  status: string[];
  provider: string[];
  account: string[];
  region: string[];
  prefix: string[];
  q: string;
  /** "unused": used by no pipeline (in a mapped scope); "used": by at least one. */
  usage: "" | "used" | "unused";
  sort: SortKey;
  dir: SortDir;
  page: number;
}

export const DEFAULT_QUERY: ConnectionQuery = { status: [], provider: [], account: [], region: [], prefix: [], q: "", usage: "", sort: "status", dir: "asc", page: 1 };

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

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

const MULTI: { key: "status" | "provider" | "account" | "region" | "prefix"; valid: (v: string) => boolean; hint: string }[] = [
  { key: "status", valid: (v) => (CONNECTION_STATUSES as readonly string[]).includes(v), hint: CONNECTION_STATUSES.join(", ") },
  { key: "provider", valid: (v) => (PROVIDERS as readonly string[]).includes(v), hint: PROVIDERS.join(", ") },
  { key: "account", valid: (v) => /^\d{12}$/.test(v), hint: "12 digits" },
  { key: "region", valid: (v) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(v), hint: "a region name like us-east-1" },
  { key: "prefix", valid: (v) => (ARN_PREFIXES as readonly string[]).includes(v), hint: ARN_PREFIXES.join(", ") },
];

/**
 * Parses a query; every value that is not understood is left out and described in `problems`
 * (pages show them as a notice, the export answers 400 with them).
 */
export function parseConnectionQuery(input: Params): { query: ConnectionQuery; problems: string[] } {
  const params = toSearchParams(input);
  const problems: string[] = [];
  const query: ConnectionQuery = { ...DEFAULT_QUERY, status: [], provider: [], account: [], region: [], prefix: [] };

  for (const { key, valid, hint } of MULTI) {
    // Repeated keys and comma-separated values both work: ?status=PENDING&status=ERROR or ?status=PENDING,ERROR.
    const values = params.getAll(key).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
    for (const v of values) {
      if (!valid(v)) problems.push(`${key}: "${v}" is not one of ${hint}`);
      else if (!query[key].includes(v)) query[key].push(v);
    }
  }

  const q = params.get("q")?.trim() ?? "";
  if (q.length > 200) problems.push("q: longer than 200 characters");
  else query.q = q;

  const usage = params.get("usage");
  if (usage !== null && usage !== "") {
    if (usage === "used" || usage === "unused") query.usage = usage;
    else problems.push(`usage: "${usage}" is not used or unused`);
  }

  const sort = params.get("sort");
  if (sort !== null && sort !== "") {
    if ((SORT_KEYS as readonly string[]).includes(sort)) query.sort = sort as SortKey;
    else problems.push(`sort: "${sort}" is not one of ${SORT_KEYS.join(", ")}`);
  }
  const dir = params.get("dir");
  if (dir !== null && dir !== "") {
    if (dir === "asc" || dir === "desc") query.dir = dir;
    else problems.push(`dir: "${dir}" is not asc or desc`);
  }
  const page = params.get("page");
  if (page !== null && page !== "") {
    const n = Number(page);
    if (Number.isInteger(n) && n >= 1 && n <= 100_000) query.page = n;
    else problems.push(`page: "${page}" is not a page number`);
  }
  return { query, problems };
}

/** The URL query string of a view (defaults left out, so links stay short). */
export function queryString(query: ConnectionQuery, overrides: Partial<ConnectionQuery> = {}): string {
  const q = { ...query, ...overrides };
  const out = new URLSearchParams();
  for (const { key } of MULTI) for (const v of q[key]) out.append(key, v);
  if (q.q) out.set("q", q.q);
  if (q.usage) out.set("usage", q.usage);
  if (q.sort !== DEFAULT_QUERY.sort) out.set("sort", q.sort);
  if (q.dir !== DEFAULT_QUERY.dir) out.set("dir", q.dir);
  if (q.page !== 1) out.set("page", String(q.page));
  const s = out.toString();
  return s ? `?${s}` : "";
}

/** Worst first: ERROR, PENDING, anything unexpected, AVAILABLE. */
const STATUS_RANK: Record<string, number> = { ERROR: 0, PENDING: 1, AVAILABLE: 3 };
export const statusRank = (s: string): number => STATUS_RANK[s] ?? 2;

// One collator for every comparison: localeCompare with options builds a collator per call,
// which made sorting 1,500 rows cost tens of milliseconds.
const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
const text = (a: string | undefined, b: string | undefined) => collator.compare(a ?? "", b ?? "");

function compareBy(key: SortKey): (a: ConnectionRow, b: ConnectionRow) => number {
  switch (key) {
    case "status":
      return (a, b) => statusRank(a.status) - statusRank(b.status);
    case "name":
      return (a, b) => text(a.name, b.name);
    case "provider":
      return (a, b) => text(a.provider, b.provider);
    case "account":
      return (a, b) => text(a.account, b.account);
    case "region":
      return (a, b) => text(a.region, b.region);
    case "prefix":
      return (a, b) => text(a.prefix, b.prefix);
    case "host":
      return (a, b) => text(a.hostName ?? a.hostArn, b.hostName ?? b.hostArn);
    case "pipelines":
      return (a, b) => (a.pipelines ?? -1) - (b.pipelines ?? -1);
    case "since":
      // Unknown "since" sorts after every known time.
      return (a, b) => text(a.statusSince ?? "\uffff", b.statusSince ?? "\uffff");
  }
}

const tieBreak = (a: ConnectionRow, b: ConnectionRow) => text(a.name, b.name) || text(a.account, b.account) || text(a.region, b.region) || text(a.id, b.id);

/** Filters and sorts (every matching row; paging is separate). */
export function applyQuery(rows: readonly ConnectionRow[], query: ConnectionQuery): ConnectionRow[] {
  const needle = query.q.toLowerCase();
  const match = (values: string[], v: string) => values.length === 0 || values.includes(v);
  const filtered = rows.filter(
    (r) =>
      match(query.status, r.status) &&
      match(query.provider, r.provider) &&
      match(query.account, r.account) &&
      match(query.region, r.region) &&
      match(query.prefix, r.prefix) &&
      (query.usage === "" || (r.pipelines !== null && (query.usage === "unused" ? r.pipelines === 0 : r.pipelines > 0))) &&
      (!needle || r.name.toLowerCase().includes(needle) || r.arn.toLowerCase().includes(needle)),
  );
  const primary = compareBy(query.sort);
  const sign = query.dir === "asc" ? 1 : -1;
  return filtered.sort((a, b) => sign * primary(a, b) || tieBreak(a, b));
}

export interface Page<T> {
  rows: T[];
  page: number;
  pages: number;
  total: number;
  pageSize: number;
}

export function paginate<T>(rows: readonly T[], page: number, pageSize = PAGE_SIZE): Page<T> {
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  return { rows: rows.slice((current - 1) * pageSize, current * pageSize), page: current, pages, total: rows.length, pageSize };
}

export const EXPORT_FIELDS = ["id", "arn", "name", "provider", "status", "account", "region", "prefix", "hostArn", "statusSince"] as const;

export function toExportRecord(r: ConnectionRow): Record<(typeof EXPORT_FIELDS)[number], string | null> {
  return { id: r.id, arn: r.arn, name: r.name, provider: r.provider, status: r.status, account: r.account, region: r.region, prefix: r.prefix, hostArn: r.hostArn ?? null, statusSince: r.statusSince };
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
