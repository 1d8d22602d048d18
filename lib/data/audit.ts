import "server-only";
import { getStore } from "@/lib/store";
import type { AuditFilter, AuditRecord } from "@/lib/store/types";
import { closeRefusalBursts } from "./refusals";
import { requireRole } from "./session";
import { toCsv, toSearchParams } from "@/lib/query";

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_FIELDS = ["id", "at", "actor", "actorRole", "via", "action", "targetKind", "target", "targetName", "outcome", "statusBefore", "detail", "relatedId"] as const;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

/** Filters from the URL: user, connection (name or account/region/id), action, outcome, time range (dates are UTC days). */
export function parseAuditQuery(input: Params): { filter: AuditFilter; page: number; problems: string[] } {
  const p = toSearchParams(input);
  const problems: string[] = [];
  const filter: AuditFilter = {};
  for (const key of ["actor", "target", "action", "outcome"] as const) {
    const v = p.get(key)?.trim();
    if (v) filter[key] = v.slice(0, 200);
  }
  const day = /^\d{4}-\d{2}-\d{2}$/;
  for (const key of ["from", "to"] as const) {
    const v = p.get(key)?.trim();
    if (!v) continue;
    const t = Date.parse(day.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(t)) {
      problems.push(`${key}: "${v}" is not a date (YYYY-MM-DD)`);
      continue;
    }
    // "to" is inclusive of that whole day.
    filter[key] = new Date(key === "to" && day.test(v) ? t + 86_400_000 : t).toISOString();
  }
  const pageText = p.get("page");
  const page = pageText && /^\d+$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  if (pageText && page === 1 && pageText !== "1") problems.push(`page: "${pageText}" is not a page number`);
  return { filter, page, problems };
}

export interface AuditView {
  /**
   * `unfinished`: an allowed action that records its outcome separately (resume, host set-up,
   * release, delete) with no outcome yet — still being watched, or interrupted (a crash between
   * the AWS call and its outcome).
   */
  records: (AuditRecord & { outcomes: AuditRecord[]; unfinished: boolean })[];
  total: number;
  page: number;
  pages: number;
  problems: string[];
  actors: string[];
  actions: string[];
  outcomes: string[];
}

/** Actions whose outcome is a second record pointing at the first. */
const OUTCOME_RECORDED = new Set(["connection.resume", "host.setup", "pipeline.release", "connection.delete", "discovery.run"]);

export async function getAuditLog(params: Params): Promise<AuditView> {
  await requireRole("admin");
  await closeRefusalBursts();
  const { filter, page, problems } = parseAuditQuery(params);
  const store = getStore();
  const { records, total } = await store.audit.list(filter, { limit: AUDIT_PAGE_SIZE, offset: (page - 1) * AUDIT_PAGE_SIZE });
  // The outcome of a watched resume is its own record pointing at the resume: show them together.
  const related = await store.audit.relatedTo(records.map((r) => r.id));
  return {
    records: records.map((r) => {
      const outcomes = related.filter((o) => o.relatedId === r.id);
      return { ...r, outcomes, unfinished: r.outcome === "allowed" && OUTCOME_RECORDED.has(r.action) && outcomes.length === 0 };
    }),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    problems,
    actors: await store.audit.distinct("actor"),
    actions: await store.audit.distinct("action"),
    outcomes: await store.audit.distinct("outcome"),
  };
}

/** Every matching record as CSV, header first. */
export async function exportAuditCsv(params: Params): Promise<{ csv: string; problems: string[] }> {
  await requireRole("admin");
  await closeRefusalBursts();
  const { filter, problems } = parseAuditQuery(params);
  if (problems.length) return { csv: "", problems };
  const { records } = await getStore().audit.list(filter, { limit: 1_000_000, offset: 0 });
  return { csv: toCsv(AUDIT_FIELDS, records), problems };
}
