import type { Locator, Page } from "@playwright/test";

/**
 * What every signed-in page has: the main navigation and the user menu. On a phone (below the
 * `md` breakpoint) the navigation opens from the Menu button; on a wider screen it is a sidebar.
 */
export class AppShell {
  readonly nav: Locator;
  readonly menuButton: Locator;
  readonly userMenu: Locator;
  readonly userName: Locator;
  readonly userRole: Locator;
  readonly signOutButton: Locator;
  /** The page a viewer gets for an admin page (HTTP 403). */
  readonly adminsOnly: Locator;
  /** How many alerts fire, next to "Alerts" in the navigation (absent when none). */
  readonly alertsBadge: Locator;
  /** The same count on the Menu button (a phone shows the links only when the menu is open). */
  readonly menuBadge: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.menuButton = page.getByRole("button", { name: "Menu" });
    this.userMenu = page.getByTestId("user-menu");
    this.userName = page.getByTestId("user-name");
    this.userRole = page.getByTestId("user-role");
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
    this.adminsOnly = page.getByRole("heading", { name: "Admins only" });
    this.alertsBadge = this.nav.getByTestId("alerts-badge");
    this.menuBadge = this.menuButton.getByTestId("menu-badge");
  }

  navLink(name: string): Locator {
    return this.nav.getByRole("link", { name });
  }

  /** What the Menu button's aria-controls names (found by id, so also while it is hidden). */
  async menuControls(): Promise<Locator> {
    const id = await this.menuButton.getAttribute("aria-controls");
    if (!id) throw new Error("the Menu button controls nothing (no aria-controls)");
    return this.page.locator(`[id="${id}"]`);
  }

  /** Whether the navigation sits behind the Menu button (a phone) rather than in a sidebar. */
  async isCompact(): Promise<boolean> {
    return this.menuButton.isVisible();
  }

  /** Shows the navigation by keyboard: on a phone, focus the Menu button and press Enter; a sidebar is always shown. */
  async openNavigation(): Promise<void> {
    if (!(await this.isCompact())) return;
    await this.menuButton.focus();
    await this.page.keyboard.press("Enter");
  }

  /** Moves the keyboard focus with Tab until it is on the navigation's link `name` (at most 20 presses). */
  async tabTo(name: string): Promise<void> {
    const link = this.navLink(name);
    for (let i = 0; i < 20; i++) {
      if (await link.evaluate((el) => el === document.activeElement)) return;
      await this.page.keyboard.press("Tab");
    }
    throw new Error(`Tab never reached the navigation link ${name}`);
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
