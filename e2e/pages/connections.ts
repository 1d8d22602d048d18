import type { Locator, Page } from "@playwright/test";
import { downloadText } from "../support/download";
import { ScopeErrors } from "./shell";

/** What one row of the connections table shows. */
export interface ShownConnection {
  id: string;
  /** Each cell's own text (a cell's first text node: its value without the notes under it). */
  cells: string[];
  /** The status badge's `data-status`. */
  status: string | null;
}

/** `/connections`: filters, search, sort and paging in the URL; CSV / JSON export of the view. */
export class ConnectionsPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly search: Locator;
  readonly exportCsv: Locator;
  readonly pager: Locator;
  readonly scopeErrors: ScopeErrors;
  /** The filters: a sheet behind "Filters" on a phone, shown inline on a wider screen. */
  readonly filterSheet: Locator;
  readonly filtersButton: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("connections-table");
    this.rows = this.table.locator("tbody tr");
    this.search = page.getByRole("searchbox", { name: "Search name or ARN" });
    this.exportCsv = page.getByTestId("export-csv");
    this.pager = page.getByTestId("pager");
    this.scopeErrors = new ScopeErrors(page);
    this.filterSheet = page.getByTestId("filter-sheet");
    this.filtersButton = this.filterSheet.locator("summary").first();
  }

  /** A filter group's button (Status, Provider, …). */
  filterGroup(label: string): Locator {
    return this.filterSheet.locator(":scope details > summary", { hasText: label });
  }

  /** Opens the filter sheet where it is folded away (a phone); elsewhere the filters are already shown. */
  async openFilters(): Promise<void> {
    if (await this.filtersButton.isVisible()) await this.filtersButton.click();
  }

  /** `query`: the URL's query string, e.g. `status=PENDING&sort=name`. */
  async goto(query = ""): Promise<void> {
    await this.page.goto(query ? `/connections?${query}` : "/connections");
  }

  row(id: string): Locator {
    return this.table.locator(`tr[data-connection-id="${id}"]`);
  }

  homeRegionNotWatched(id: string): Locator {
    return this.row(id).getByTestId("home-region-not-watched");
  }

  pipelineCount(id: string): Locator {
    return this.row(id).getByTestId("pipeline-count");
  }

  /** The names in the table, top to bottom. */
  async names(): Promise<string[]> {
    return this.rows.locator("td:first-child").getByRole("link").allInnerTexts();
  }

  async ids(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-connection-id") ?? ""));
  }

  /** Each row's status badge (`data-status`), or null for a row without one. */
  async statuses(): Promise<(string | null)[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.querySelector("[data-status]")?.getAttribute("data-status") ?? null));
  }

  /** Every row as shown. */
  async shown(): Promise<ShownConnection[]> {
    return this.rows.evaluateAll((rows) =>
      rows.map((r) => ({
        id: r.getAttribute("data-connection-id") ?? "",
        cells: [...r.querySelectorAll("td")].map((td) => (td.firstChild?.textContent ?? td.textContent ?? "").trim()),
        status: r.querySelector("[data-status]")?.getAttribute("data-status") ?? null,
      })),
    );
  }

  /** How many pages the pager offers (1 without a pager). */
  async pageCount(): Promise<number> {
    if ((await this.pager.count()) === 0) return 1;
    return Number(await this.pager.getAttribute("data-pages"));
  }

  async filterByStatus(status: string): Promise<void> {
    await this.openFilters();
    await this.filterGroup("Status").click();
    await this.page.getByRole("checkbox", { name: status }).check();
  }

  /** Clicks a column header: ascending, or descending when it already sorts ascending. */
  async sortBy(column: string): Promise<void> {
    await this.page.getByRole("link", { name: new RegExp(`^${column}`) }).click();
  }

  async downloadCsv(): Promise<string> {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.exportCsv.click()]);
    return downloadText(download);
  }
}
