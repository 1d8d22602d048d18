import { expect, type Locator, type Page } from "@playwright/test";
import type { PipelineRef } from "../support/emulator";
import { LatencyChart } from "./latency";
import { pipelineKey } from "./pipelines";

/** `/pipelines/[account]/[region]/[name]`: one pipeline's diagnosis, latency, simulator, Release change. */
export class PipelinePage {
  readonly verdict: Locator;
  /** The first source action's decision-table row (`data-rule`). */
  readonly diagnosis: Locator;
  readonly lastPush: Locator;
  readonly releaseButton: Locator;
  readonly actionResult: Locator;
  readonly simulatorForm: Locator;
  readonly latency: LatencyChart;

  constructor(readonly page: Page) {
    this.verdict = page.getByTestId("verdict");
    this.diagnosis = page.getByTestId("diagnosis").first();
    this.lastPush = page.getByTestId("last-push");
    this.releaseButton = page.getByRole("button", { name: "Release change" });
    this.actionResult = page.getByTestId("action-result");
    this.simulatorForm = page.getByTestId("simulator-form");
    this.latency = new LatencyChart(page);
  }

  /** `p`: a pipeline, or its `account/region/name` key. `query`: e.g. `lrange=1h`. */
  async goto(p: PipelineRef | string, query = ""): Promise<void> {
    const key = typeof p === "string" ? p : pipelineKey(p);
    await this.page.goto(`/pipelines/${key}${query ? `?${query}` : ""}`);
  }

  /** Until the pipeline's page answers 200: Tether has mapped it (a freshly started app maps on its first poll). */
  async waitUntilMapped(p: PipelineRef, timeout = 90_000): Promise<void> {
    await expect(async () => expect((await this.page.goto(`/pipelines/${pipelineKey(p)}`))?.status()).toBe(200)).toPass({ timeout });
  }

  connectionLink(name: string): Locator {
    return this.page.getByRole("link", { name });
  }

  /** The trigger simulator: a push to `branch` of the pipeline's repository. */
  async simulatePush(branch: string): Promise<void> {
    await this.simulatorForm.getByLabel("Branch pushed to").fill(branch);
    await this.simulatorForm.getByRole("button", { name: "Simulate push" }).click();
  }

  /** A pipeline's answer in the simulator's results (`data-outcome`: starts / no / …). */
  simulated(pipeline: string): Locator {
    return this.page.locator(`[data-sim-pipeline="${pipeline}"]`);
  }

  /** "Release change", confirmed in the dialog. */
  async releaseChange(): Promise<void> {
    await this.releaseButton.click();
    await this.page.getByRole("dialog").getByRole("button", { name: "Release change" }).click();
  }

  missed(sha: string): Locator {
    return this.page.locator(`[data-missed-sha="${sha}"]`);
  }
}
