import { expect, type Locator, type Page } from "@playwright/test";
import type { PipelineRef } from "../support/emulator";

export const pipelineKey = (p: PipelineRef) => `${p.account}/${p.region}/${p.name}`;

/** `/pipelines`: per pipeline its verdict and reason, last push start, missed triggers. */
export class PipelinesPage {
  readonly table: Locator;
  /** The verdict badge of the first pipeline listed (the worst). */
  readonly firstVerdict: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("pipelines-table");
    this.firstVerdict = this.table.locator("tbody tr").first().locator("[data-verdict]");
  }

  /** `query`: e.g. `account=222222222222`. */
  async goto(query = ""): Promise<void> {
    await this.page.goto(query ? `/pipelines?${query}` : "/pipelines");
  }

  /**
   * Relists, and waits until the background sweep has read execution history: the page then
   * calls `healthy` healthy (before, its verdict is "unknown").
   */
  async gotoWhenSwept(healthy: PipelineRef): Promise<void> {
    await expect(async () => {
      await this.page.goto("/pipelines?refresh=1");
      await expect(this.table).toBeVisible({ timeout: 1000 });
      await expect(this.verdict(healthy)).toHaveAttribute("data-verdict", "healthy", { timeout: 1000 });
    }).toPass({ timeout: 60_000 });
  }

  row(p: PipelineRef): Locator {
    return this.page.locator(`[data-pipeline="${pipelineKey(p)}"]`);
  }

  /** The verdict badge (`data-verdict`). */
  verdict(p: PipelineRef): Locator {
    return this.row(p).locator("[data-verdict]");
  }

  reason(p: PipelineRef): Locator {
    return this.row(p).getByTestId("verdict-reason");
  }

  /** `account/region/name` of the first pipeline listed in `account`. */
  async firstKeyIn(account: string): Promise<string> {
    return (await this.page.locator(`[data-pipeline^='${account}/']`).first().getAttribute("data-pipeline")) ?? "";
  }

  missed(sha: string): Locator {
    return this.page.locator(`[data-missed-sha="${sha}"]`);
  }
}
