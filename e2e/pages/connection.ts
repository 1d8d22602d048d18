import type { Locator, Page, Response } from "@playwright/test";

/** `/connections/[id]`: one connection, its pipelines, and (admins) Delete. */
export class ConnectionPage {
  readonly notFound: Locator;
  readonly consoleLink: Locator;
  readonly homeRegion: Locator;
  readonly homeRegionNotWatched: Locator;
  readonly prefix: Locator;
  readonly tags: Locator;
  readonly timeline: Locator;
  readonly pipelines: Locator;
  readonly deleteButton: Locator;
  readonly deleteExplanation: Locator;
  readonly actionResult: Locator;
  readonly deleted: Locator;

  constructor(readonly page: Page) {
    this.notFound = page.getByRole("heading", { name: "Connection not found" });
    this.consoleLink = page.getByTestId("console-link");
    this.homeRegion = page.getByTestId("home-region");
    this.homeRegionNotWatched = page.getByTestId("home-region-not-watched");
    this.prefix = page.getByTestId("prefix");
    this.tags = page.getByTestId("tags");
    this.timeline = page.getByTestId("timeline");
    this.pipelines = page.getByTestId("connection-pipelines");
    this.deleteButton = page.getByRole("button", { name: "Delete" });
    this.deleteExplanation = page.getByTestId("delete-explanation");
    this.actionResult = page.getByTestId("action-result");
    this.deleted = page.getByText("This connection was deleted");
  }

  /** `id`: the UUID, or a full ARN (URL-encoded here), which redirects to the UUID. */
  async goto(id: string): Promise<Response | null> {
    return this.page.goto(`/connections/${id.startsWith("arn:") ? encodeURIComponent(id) : id}`);
  }

  heading(name: string): Locator {
    return this.page.getByRole("heading", { name });
  }

  /** A pipeline that uses the connection. */
  pipeline(name: string): Locator {
    return this.pipelines.locator(`tr[data-pipeline="${name}"]`);
  }

  /** Delete, confirmed in the dialog. */
  async delete(): Promise<void> {
    await this.deleteButton.click();
    await this.page.getByRole("dialog").getByRole("button", { name: "Delete connection" }).click();
  }
}
