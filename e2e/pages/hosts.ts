import type { Locator, Page, Response } from "@playwright/test";

/** `/hosts` and `/hosts/[id]`. */
export class HostsPage {
  readonly table: Locator;
  readonly notFound: Locator;
  readonly notSetUp: Locator;
  /** On a host's page: the connections that use it. */
  readonly connections: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("hosts-table");
    this.notFound = page.getByRole("heading", { name: "Host not found" });
    this.notSetUp = page.getByText("This host is not set up yet");
    this.connections = page.getByTestId("connections-table");
  }

  async goto(id?: string): Promise<Response | null> {
    return this.page.goto(id === undefined ? "/hosts" : `/hosts/${id}`);
  }

  row(id: string): Locator {
    return this.table.locator(`tr[data-host-id="${id}"]`);
  }

  async open(name: string): Promise<void> {
    await this.page.getByRole("link", { name, exact: true }).click();
  }
}
