import { expect, type Locator, type Page } from "@playwright/test";
import { downloadText } from "../support/download";

/** One period of the chart's CSV ("Download CSV": what the chart shows). Latencies in ms. */
export interface LatencyRow {
  time: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  samples: number;
  missed: number | null;
}

export const LATENCY_CSV_HEADER = "time,p50_ms,p90_ms,p99_ms,max_ms,samples,missed_triggers";

/** The push-to-start latency chart (on /latency and on a pipeline's page). */
export class LatencyChart {
  readonly chart: Locator;
  /** The drawing itself (Recharts' wrapper: the plot, its axes and legend). */
  readonly plot: Locator;
  readonly csvButton: Locator;
  /** The dots Recharts draws on a line (a lone value, or every value of a sparse series). */
  readonly dots: Locator;
  /** The dotted lines that join a sparse series across its empty periods. */
  readonly joins: Locator;
  /** The tooltip a tap shows on a phone (a narrow chart). */
  readonly touchTooltip: Locator;
  /** What the panel shows instead of the chart when the range has no value. */
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.chart = page.getByTestId("latency-chart");
    this.plot = this.chart.locator(".recharts-wrapper");
    this.csvButton = page.getByTestId("latency-csv");
    this.dots = this.chart.locator(".recharts-line-dot");
    this.joins = this.chart.locator(".latency-join");
    this.touchTooltip = this.chart.getByTestId("chart-tooltip");
    this.empty = page.getByText("No samples in this range");
  }

  /**
   * Until the panel has settled: the chart drawn (in the browser, after the page loaded: over 15 s
   * on a busy machine), or its empty state. Then fails at once unless it is the chart, so a caller
   * retrying until the data arrives reloads as soon as the page says it has none yet.
   */
  async expectDrawn(timeout = 45_000): Promise<void> {
    await expect(this.chart.or(this.empty)).toBeVisible({ timeout });
    await expect(this.chart).toBeVisible({ timeout: 1 });
  }

  /** Taps the plot `dx` px beside the `n`th dot (a finger rarely lands on one); needs a touch context (`hasTouch`). */
  async tapBesideDot(n: number, dx: number): Promise<void> {
    await this.plot.scrollIntoViewIfNeeded();
    const dot = await this.dots.nth(n).boundingBox();
    if (!dot) throw new Error(`dot ${n} is not drawn`);
    await this.page.touchscreen.tap(dot.x + dot.width / 2 + dx, dot.y + dot.height / 2);
  }

  /** Where the time axis's labels are drawn, left to right (to check they do not overlap). */
  async timeLabels(): Promise<{ text: string; left: number; right: number }[]> {
    const labels = this.chart.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value");
    const boxes = await labels.evaluateAll((els) => els.map((el) => ({ text: el.textContent ?? "", ...(({ left, right }) => ({ left, right }))(el.getBoundingClientRect()) })));
    return boxes.sort((a, b) => a.left - b.left);
  }

  /** The CSV of the shown series, parsed; the header is checked. */
  async csv(timeout?: number): Promise<LatencyRow[]> {
    const [download] = await Promise.all([this.page.waitForEvent("download", timeout === undefined ? {} : { timeout }), this.csvButton.click()]);
    const [header, ...lines] = (await downloadText(download)).trim().split("\r\n");
    expect(header).toBe(LATENCY_CSV_HEADER);
    const num = (v: string | undefined) => (v === undefined || v === "" ? null : Number(v));
    return lines.map((l) => {
      const [time, p50, p90, p99, max, samples, missed] = l.split(",");
      return { time: Date.parse(time ?? ""), p50: num(p50), p90: num(p90), p99: num(p99), max: num(max), samples: Number(samples), missed: num(missed) };
    });
  }
}

/** `/latency`: latency over time, the by-provider table, missed triggers, publishing health. */
export class LatencyPage {
  readonly chart: LatencyChart;
  readonly charts: Locator;
  readonly health: Locator;
  readonly publishRetrying: Locator;

  constructor(readonly page: Page) {
    this.chart = new LatencyChart(page);
    this.charts = page.locator(".recharts-surface");
    this.health = page.getByTestId("latency-health");
    this.publishRetrying = page.getByTestId("publish-retrying");
  }

  async goto(): Promise<void> {
    await this.page.goto("/latency");
  }

  /** A missed trigger's row, by the SHA of the push that started nothing. */
  missed(sha: string): Locator {
    return this.page.locator(`[data-missed-sha="${sha}"]`);
  }

  /** The metric-value outbox ("Metric values waiting / published / dropped"), read from the page. */
  async outbox(): Promise<{ pending: number; published: number; dropped: number }> {
    await this.goto();
    const shown = (await this.health.textContent()) ?? "";
    const m = /Metric values waiting \/ published \/ dropped\s*(\d+) \/ (\d+) \/ (\d+)/.exec(shown);
    if (!m) throw new Error(`no outbox counts in: ${shown}`);
    return { pending: Number(m[1]), published: Number(m[2]), dropped: Number(m[3]) };
  }
}
