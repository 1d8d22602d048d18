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

  /**
   * What sticks out of the right edge of the page's column (`main` less its padding): a card wider
   * than the column that the window still holds, so `widths()` misses it. Boxes that scroll or clip
   * sideways are one element each (what they hold may be wider); positioned elements are left out.
   * One line per element, empty when everything fits.
   */
  async overhangs(): Promise<string[]> {
    return this.page.locator("main").evaluate((main) => {
      const limit = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
      const found: string[] = [];
      const stack: Element[] = [main];
      while (stack.length > 0) {
        for (const child of Array.from(stack.pop()!.children)) {
          const style = getComputedStyle(child);
          if (style.display === "none" || style.visibility === "hidden" || style.position === "absolute" || style.position === "fixed") continue;
          const right = child.getBoundingClientRect().right;
          if (right > limit + 0.5) found.push(`<${child.tagName.toLowerCase()} class="${child.getAttribute("class") ?? ""}"> ends at ${Math.round(right)} px, the column at ${Math.round(limit)} px`);
          if (!["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) stack.push(child);
        }
      }
      return found;
    });
  }

  /** Left and right edges of the first match (page coordinates, unscrolled), with the window's width. */
  async horizontalSpan(locator: Locator): Promise<{ left: number; right: number; window: number }> {
    return locator.first().evaluate((el) => {
      const box = el.getBoundingClientRect();
      return { left: box.left + window.scrollX, right: box.right + window.scrollX, window: window.innerWidth };
    });
  }
}
