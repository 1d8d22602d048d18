import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

export interface AuditFilter {
  actor?: string;
  target?: string;
  action?: string;
  outcome?: string;
  from?: string;
}

const query = (filter: AuditFilter) => new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === "string")).toString();

/** `/audit` (admins): the audit log with its filters in the URL. */
export class AuditPage {
  readonly table: Locator;
  readonly rows: Locator;
  /** Each row's outcome cell: the action's outcome, then the outcomes watched for after it. */
  readonly outcomes: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("audit-table");
    this.rows = this.table.locator("tbody tr");
    this.outcomes = this.table.getByTestId("audit-outcome");
  }

  async goto(filter: AuditFilter = {}) {
    const qs = query(filter);
    return this.page.goto(qs ? `/audit?${qs}` : "/audit");
  }

  /** Rows of `action` (exact) by `actor`, newest first. */
  rowsOf(action: string, actor: string): Locator {
    return this.rows.filter({ has: this.page.getByRole("cell", { name: action, exact: true }) }).filter({ hasText: actor });
  }

  outcomeOf(row: Locator): Locator {
    return row.getByTestId("audit-outcome");
  }
}

/** The audit log as records (header → value), read through the admin's CSV export (`GET /api/audit`). */
export async function auditRecords(api: APIRequestContext, filter: AuditFilter): Promise<Record<string, string>[]> {
  const res = await api.get(`/api/audit?${query(filter)}`);
  expect(res.status()).toBe(200);
  const [header, ...lines] = parseCsv(await res.text());
  return lines.map((cells) => Object.fromEntries((header ?? []).map((h, i) => [h, cells[i] ?? ""])));
}

export const AUDIT_CSV_HEADER = "id,at,actor,actorRole,via,action,targetKind,target,targetName,outcome,statusBefore,detail,relatedId";

/** RFC 4180 CSV: quoted cells may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows.filter((r) => r.some(Boolean));
}
