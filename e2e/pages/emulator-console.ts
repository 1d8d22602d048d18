import type { Locator, Page } from "@playwright/test";

/**
 * The emulator's AWS console page Tether opens in a new tab (Resume, Set up host): where the
 * admin completes the provider's handshake.
 *
 * Tests return to Tether's tab with `bringToFront()` and leave the popup to the context's
 * teardown: closing it once hung Chromium for over a minute (a CI run's trace showed "Close page"
 * still pending when the test timed out, the row long since updated).
 */
export class EmulatorConsole {
  /** The success message after a completed handshake or set-up. */
  readonly available: Locator;

  constructor(readonly page: Page) {
    this.available = page.getByText(/is now Available/);
  }

  /** The pending connection's "Update pending connection", then Connect (the provider accepts). */
  async completeHandshake(): Promise<void> {
    await this.page.getByRole("button", { name: "Update pending connection" }).click();
    await this.page.getByRole("button", { name: "Connect" }).click();
  }

  /** "Update pending connection", then Deny (the provider refuses). */
  async denyHandshake(): Promise<void> {
    await this.page.getByRole("button", { name: "Update pending connection" }).click();
    await this.page.getByRole("button", { name: "Deny" }).click();
  }

  /** The pending host's "Set up host", then "Complete setup". */
  async completeHostSetup(): Promise<void> {
    await this.page.getByRole("button", { name: "Set up host" }).click();
    await this.page.getByRole("button", { name: "Complete setup" }).click();
  }
}
