import type { Locator, Page } from "@playwright/test";

/** What every signed-in page has: the main navigation and the user menu. */
export class AppShell {
  readonly nav: Locator;
  readonly userMenu: Locator;
  readonly userName: Locator;
  readonly userRole: Locator;
  readonly signOutButton: Locator;
  /** The page a viewer gets for an admin page (HTTP 403). */
  readonly adminsOnly: Locator;
  /** How many alerts fire, next to "Alerts" in the navigation (absent when none). */
  readonly alertsBadge: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.userMenu = page.getByTestId("user-menu");
    this.userName = page.getByTestId("user-name");
    this.userRole = page.getByTestId("user-role");
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
    this.adminsOnly = page.getByRole("heading", { name: "Admins only" });
    this.alertsBadge = this.nav.getByTestId("alerts-badge");
  }

  navLink(name: string): Locator {
    return this.nav.getByRole("link", { name });
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }
}

/** The error banner pages show when a listing failed: one item per failed account or scope. */
export class ScopeErrors {
  readonly banner: Locator;
  readonly items: Locator;

  constructor(page: Page) {
    this.banner = page.getByTestId("scope-errors");
    this.items = this.banner.locator("[data-scope]");
  }

  /** `account` for an account's connections, `account/region` for a scope's hosts. */
  of(scope: string): Locator {
    return this.banner.locator(`[data-scope="${scope}"]`);
  }
}

/** What a page shows when it could not be rendered (components/layout/page-error.tsx). */
export class PageErrorBanner {
  readonly banner: Locator;
  /** The database-unreachable variant (it retries by itself every 10 s). */
  readonly databaseDown: Locator;
  readonly retry: Locator;

  constructor(page: Page) {
    this.banner = page.getByTestId("page-error");
    this.databaseDown = page.locator('[data-testid="page-error"][data-error="database-unavailable"]');
    this.retry = this.banner.getByRole("button", { name: "Try again" });
  }
}
