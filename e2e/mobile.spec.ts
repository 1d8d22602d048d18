import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import type { Locator } from "@playwright/test";
import { ConnectionPage } from "./pages/connection";
import { ConnectionsPage } from "./pages/connections";
import { LatencyPage } from "./pages/latency";
import { Layout } from "./pages/layout";
import { OverviewPage } from "./pages/overview";
import { PendingPage } from "./pages/pending";
import { PipelinePage } from "./pages/pipeline";
import { PipelinesPage } from "./pages/pipelines";
import { AppShell } from "./pages/shell";

/**
 * On-call from a phone: every page at 390 × 844 (an iPhone 12–15 in Chromium) has nothing wider
 * than the screen and its primary action in view without scrolling sideways, the navigation opens
 * from the Menu button and works by keyboard; the same specs hold at 1400 px wide.
 */
const VIEWPORTS = [
  { name: "phone", size: { width: 390, height: 844 }, phone: true },
  { name: "desktop", size: { width: 1400, height: 900 }, phone: false },
] as const;

test.use({ user: "alice" });
test.describe.configure({ timeout: 60_000 });

/**
 * Nothing is wider than the window, nothing sticks out of the page's column, and `primary` is
 * shown between the window's left and right edges.
 */
async function expectFitsWidth(layout: Layout, primary: Locator): Promise<void> {
  await expect(primary).toBeVisible();
  const widths = await layout.widths();
  expect(widths.document, "the document is wider than the window: the page scrolls sideways").toBeLessThanOrEqual(widths.window);
  expect(await layout.overhangs(), "boxes wider than the page's column").toEqual([]);
  const span = await layout.horizontalSpan(primary);
  expect(span.left, "the primary action starts left of the screen").toBeGreaterThanOrEqual(0);
  expect(span.right, "the primary action ends right of the screen").toBeLessThanOrEqual(span.window);
}

for (const vp of VIEWPORTS) {
  test.describe(`${vp.name}, ${vp.size.width} × ${vp.size.height}`, () => {
    test.use({ viewport: vp.size });

    test("overview: the connections that are not AVAILABLE", async ({ page }) => {
      const overview = new OverviewPage(page);
      await overview.goto();
      await expectFitsWidth(new Layout(page), overview.attentionList);
    });

    test("pending: Resume of a PENDING connection", async ({ page }) => {
      const pending = new PendingPage(page);
      await pending.goto();
      await expectFitsWidth(new Layout(page), pending.resumeButton(DEMO_CASES.resumeTarget.name));
    });

    test("pipelines: the first pipeline's verdict", async ({ page }) => {
      const pipelines = new PipelinesPage(page);
      await pipelines.goto();
      await expectFitsWidth(new Layout(page), pipelines.firstVerdict);
    });

    test("a pipeline: Release change", async ({ page }) => {
      const pipeline = new PipelinePage(page);
      await pipeline.goto(DEMO_PIPELINE_CASES.healthyV2);
      await expectFitsWidth(new Layout(page), pipeline.releaseButton);
    });

    test("a connection: its AWS console link", async ({ page }) => {
      const connection = new ConnectionPage(page);
      await connection.goto(DEMO_CASES.resumeTarget.uuid);
      await expectFitsWidth(new Layout(page), connection.consoleLink);
    });

    test("latency: the chart, its time labels apart", async ({ page }) => {
      const latency = new LatencyPage(page);
      await latency.goto();
      // Recharts draws a day of 5-minute periods in the browser: seconds on a busy machine.
      await expect(latency.chart.plot).toBeVisible({ timeout: 30_000 });
      await expectFitsWidth(new Layout(page), latency.chart.plot);
      const labels = await latency.chart.timeLabels();
      expect(labels.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < labels.length; i++) expect(labels[i]!.left, `${labels[i - 1]!.text} and ${labels[i]!.text} overlap`).toBeGreaterThan(labels[i - 1]!.right);
    });

    test("the navigation works by keyboard and marks the page shown", async ({ page }) => {
      await page.goto("/");
      const shell = new AppShell(page);
      await shell.openNavigation();
      await expect(shell.navLink("Overview")).toHaveAttribute("aria-current", "page");
      await shell.tabTo("Pending");
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(/\/pending$/);
      await shell.openNavigation();
      await expect(shell.navLink("Pending")).toHaveAttribute("aria-current", "page");
      await expect(shell.navLink("Overview")).not.toHaveAttribute("aria-current");
    });

    test("connections: the filters still put the view in the URL", async ({ page }) => {
      const list = new ConnectionsPage(page);
      await list.goto();
      // Folded into the sheet on a phone, shown inline on a wide screen.
      await expect(list.filterGroup("Status")).toBeVisible({ visible: !vp.phone });
      await list.filterByStatus("PENDING");
      await expect(page).toHaveURL(/[?&]status=PENDING(&|$)/);
      await expect.poll(async () => [...new Set(await list.statuses())]).toEqual(["PENDING"]);
      await expectFitsWidth(new Layout(page), list.rows.first());
    });

    test("tables that stay tables say when they scroll sideways", async ({ page }) => {
      const overview = new OverviewPage(page);
      await overview.goto();
      await expect(overview.accounts).toBeVisible();
      const layout = new Layout(page);
      // Accounts and Scopes: wider than a phone, not than a desktop.
      await expect(layout.scrollHints).toHaveCount(vp.phone ? 2 : 0);
      await expect(layout.scrollRegions).toHaveCount(vp.phone ? 2 : 0);
    });

    if (vp.phone) {
      test("the Menu button opens the navigation; Escape closes it and gives the focus back", async ({ page }) => {
        await page.goto("/");
        const shell = new AppShell(page);
        await expect(shell.nav).toBeHidden();
        await expect(shell.menuButton).toHaveAttribute("aria-expanded", "false");
        await expect(await shell.menuControls()).toHaveAttribute("aria-label", "Main");
        await shell.openNavigation();
        await expect(shell.menuButton).toHaveAttribute("aria-expanded", "true");
        await expect(shell.nav).toBeVisible();
        await expect(shell.navLink("Overview"), "the focus moves to the page shown").toBeFocused();
        await page.keyboard.press("Escape");
        await expect(shell.nav).toBeHidden();
        await expect(shell.menuButton).toHaveAttribute("aria-expanded", "false");
        await expect(shell.menuButton).toBeFocused();
      });

      test.describe("by touch", () => {
        test.use({ hasTouch: true });

        test("latency: a tap beside a dot shows the nearest period's values, and so does the next tap", async ({ page }) => {
          const latency = new LatencyPage(page);
          await latency.goto();
          await expect(latency.chart.plot).toBeVisible({ timeout: 30_000 });
          // The demo seed's day is sparse: every value has a dot. One in the middle, off by a few pixels.
          const middle = Math.floor((await latency.chart.dots.count()) / 2);
          for (const dx of [4, -4]) {
            await latency.chart.tapBesideDot(middle, dx);
            await expect(latency.chart.touchTooltip).toBeVisible();
            await expect(latency.chart.touchTooltip).toContainText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
            await expect(latency.chart.touchTooltip).toContainText(/(p50|p90|p99|max): \d+(\.\d+)? s/);
          }
        });
      });
    } else {
      test("the navigation is a sidebar, with no Menu button", async ({ page }) => {
        await page.goto("/");
        const shell = new AppShell(page);
        await expect(shell.nav).toBeVisible();
        await expect(shell.menuButton).toBeHidden();
      });
    }
  });
}
