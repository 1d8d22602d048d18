import { ARN_PREFIXES, CONNECTION_STATUSES, PROVIDERS } from "./types";
import { toSearchParams } from "@/lib/query";
import type { ConnectionRow } from "@/lib/types";

/**
 * The inventory view's query: filters, text search, sort and page, as they appear in the URL of
 * /connections and of the export (GET /api/connections). One parser and one `applyQuery` serve
 * both, so an export always equals the filtered view.
 */

export const SORT_KEYS = ["status", "name", "provider", "account", "region", "prefix", "host", "since", "pipelines"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";

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

export const EXPORT_FIELDS = ["id", "arn", "name", "provider", "status", "account", "region", "prefix", "hostArn", "statusSince"] as const;

export function toExportRecord(r: ConnectionRow): Record<(typeof EXPORT_FIELDS)[number], string | null> {
  return { id: r.id, arn: r.arn, name: r.name, provider: r.provider, status: r.status, account: r.account, region: r.region, prefix: r.prefix, hostArn: r.hostArn ?? null, statusSince: r.statusSince };
}

