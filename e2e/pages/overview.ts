import type { Locator, Page } from "@playwright/test";
import { ScopeErrors } from "./shell";

export type Total = "connections" | "AVAILABLE" | "PENDING" | "ERROR";

/** `/`: totals by status, per account its connections, per scope its hosts and pipelines. */
export class OverviewPage {
  readonly scopeErrors: ScopeErrors;
  readonly accounts: Locator;
  readonly scopes: Locator;
  /** The connections that are not AVAILABLE. */
  readonly attention: Locator;
  readonly attentionList: Locator;

  constructor(readonly page: Page) {
    this.scopeErrors = new ScopeErrors(page);
    this.accounts = page.getByTestId("account-health");
    this.scopes = page.getByTestId("scope-health");
    this.attentionList = page.getByTestId("attention-list");
    this.attention = this.attentionList.getByRole("listitem");
  }

  async goto({ refresh = false } = {}): Promise<void> {
    await this.page.goto(refresh ? "/?refresh=1" : "/");
  }

  /** The number a total's card shows. */
  total(kind: Total): Locator {
    return this.page.getByTestId(`total-${kind}`).locator("[data-value]");
  }

  /** An account's row: its connections, listed once through one of its Regions. */
  account(account: string): Locator {
    return this.accounts.locator(`tr[data-account="${account}"]`);
  }

  accountCount(account: string, status: "PENDING" | "ERROR" | "AVAILABLE"): Locator {
    return this.account(account).locator(`[data-count="${status}"]`);
  }

  /** Which Region answered an account's listing. */
  answeredBy(account: string): Locator {
    return this.account(account).getByTestId("answered-by");
  }

  /** An account × Region's row: its hosts and pipelines. */
  scope(scope: string): Locator {
    return this.scopes.locator(`tr[data-scope="${scope}"]`);
  }
}
