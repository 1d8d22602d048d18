import type { Locator, Page } from "@playwright/test";

/** `/settings/discovery` (admins): the accounts organization discovery watches and skips, and Discover now. */
export class DiscoveryPage {
  readonly discoverNow: Locator;
  readonly pending: Locator;
  readonly result: Locator;
  readonly watched: Locator;
  readonly skipped: Locator;
  readonly lastRun: Locator;
  readonly nextRun: Locator;

  constructor(readonly page: Page) {
    this.discoverNow = page.getByRole("button", { name: /Discover now|Discovering…/ });
    this.pending = page.getByTestId("discovery-pending");
    this.result = page.getByTestId("discovery-result");
    this.watched = page.getByTestId("discovered-accounts");
    this.skipped = page.getByTestId("skipped-accounts");
    this.lastRun = page.getByTestId("discovery-last-run");
    this.nextRun = page.getByTestId("discovery-next-run");
  }

  async goto() {
    return this.page.goto("/settings/discovery");
  }

  /** A watched account's row. */
  watchedAccount(id: string): Locator {
    return this.watched.locator(`tr[data-account="${id}"]`);
  }

  /** A skipped account's row (`data-reason` says why), the folded ones outside includeOus too. */
  skippedAccount(id: string): Locator {
    return this.page.locator(`[data-testid="skipped-accounts"] tr[data-account="${id}"], [data-testid="skipped-outside-accounts"] tr[data-account="${id}"]`);
  }
}
