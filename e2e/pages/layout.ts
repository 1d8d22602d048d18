import type { Locator, Page } from "@playwright/test";

/** Where things are on the screen, for the layout checks of a page at one viewport size. */
export class Layout {
  /** The scroll hints of tables that scroll sideways ("scroll → for more columns"). */
  readonly scrollHints: Locator;
  /** The boxes that scroll sideways, as keyboard and screen-reader users find them. */
  readonly scrollRegions: Locator;

  constructor(readonly page: Page) {
    this.scrollHints = page.getByTestId("scroll-hint");
    this.scrollRegions = page.getByRole("region", { name: /\(scrolls sideways\)$/ });
  }

  /** The document's width and the window's: the page scrolls sideways when the first is larger. */
  async widths(): Promise<{ document: number; window: number }> {
    return this.page.evaluate(() => ({ document: document.documentElement.scrollWidth, window: window.innerWidth }));
  }

  /** Left and right edges of the first match (page coordinates, unscrolled), with the window's width. */
  async horizontalSpan(locator: Locator): Promise<{ left: number; right: number; window: number }> {
    return locator.first().evaluate((el) => {
      const box = el.getBoundingClientRect();
      return { left: box.left + window.scrollX, right: box.right + window.scrollX, window: window.innerWidth };
    });
  }
}
