import type { Locator, Page } from "@playwright/test";
import { EmulatorConsole } from "./emulator-console";

/** `/pending`: the handshake queue, oldest first; admins resume from here. */
export class PendingPage {
  readonly table: Locator;
  /** Any Resume button (viewers have none). */
  readonly resumeButtons: Locator;
  readonly actionsColumn: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("pending-table");
    this.resumeButtons = page.getByRole("button", { name: /^Resume / });
    this.actionsColumn = page.getByRole("columnheader", { name: "Actions" });
  }

  async goto({ refresh = false } = {}): Promise<void> {
    await this.page.goto(refresh ? "/pending?refresh=1" : "/pending");
  }

  /** A connection's (UUID) or host's (id) row, in the queue or among the resolved ones. */
  row(id: string): Locator {
    return this.page.locator(`tr[data-pending-id="${id}"]`);
  }

  /** The status badge of the item's first row (`data-status`). */
  status(id: string): Locator {
    return this.row(id).locator("[data-status]").first();
  }

  /** The live watch started by Resume (`data-watch-state`). */
  watch(id: string): Locator {
    return this.row(id).getByTestId("watch-status");
  }

  /** "blocks N pipelines". */
  blocks(id: string): Locator {
    return this.row(id).getByTestId("blocks");
  }

  /** The UUIDs of the queued connections, in the queue's order. */
  async connectionIds(): Promise<string[]> {
    return this.table.locator("tbody tr[data-pending-kind=connection]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-pending-id") ?? ""));
  }

  resumeButton(name: string): Locator {
    return this.page.getByRole("button", { name: `Resume ${name}` });
  }

  /** Resume: Tether opens the connection's console page in a new tab. */
  async resume(name: string): Promise<EmulatorConsole> {
    const [popup] = await Promise.all([this.page.waitForEvent("popup"), this.resumeButton(name).click()]);
    return new EmulatorConsole(popup);
  }

  /** Set up host: Tether opens the host's console page in a new tab. */
  async setUpHost(name: string): Promise<EmulatorConsole> {
    const [popup] = await Promise.all([this.page.waitForEvent("popup"), this.page.getByRole("button", { name: `Set up host ${name}` }).click()]);
    return new EmulatorConsole(popup);
  }
}
