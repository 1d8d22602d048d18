import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

/** An alert as `GET /api/alerts` returns it (the fields the specs read). */
export interface ApiAlert {
  id: number;
  rule: string;
  state: "firing" | "resolved";
  since: string;
  subject: { kind: string; id: string; name: string; account: string | null; region: string | null };
  acknowledged: { by: string; reason: string } | null;
  deliveries: { channel: string; channelLabel: string; state: string; attempts: number; lastStatus: number | null }[];
}

/** The alerts through the API (`GET /api/alerts`), as `api`'s user sees them. */
export async function alertsFromApi(api: APIRequestContext, query: { state?: string; rule?: string } = {}): Promise<ApiAlert[]> {
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === "string")).toString();
  const res = await api.get(`/api/alerts${qs ? `?${qs}` : ""}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { alerts: ApiAlert[] }).alerts;
}

/** `/alerts`: firing first, then resolved; filters in the URL; admins acknowledge and silence. */
export class AlertsPage {
  readonly table: Locator;
  readonly rows: Locator;
  /** Any Acknowledge button (viewers have none). */
  readonly acknowledgeButtons: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("alerts-table");
    this.rows = this.table.locator("tbody tr");
    this.acknowledgeButtons = page.getByRole("button", { name: /^Acknowledge( again)? alert #/ });
  }

  async goto(filter: { state?: string; rule?: string } = {}) {
    const qs = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === "string")).toString();
    return this.page.goto(qs ? `/alerts?${qs}` : "/alerts");
  }

  row(id: number): Locator {
    return this.page.locator(`tr[data-alert-id="${id}"]`);
  }

  state(id: number): Locator {
    return this.row(id).locator("[data-alert-state]");
  }

  subject(id: number): Locator {
    return this.row(id).getByTestId("alert-subject");
  }

  /** The rows' states, top to bottom (firing first). */
  async states(): Promise<string[]> {
    return this.rows.locator("[data-alert-state]").evaluateAll((els) => els.map((e) => e.getAttribute("data-alert-state") ?? ""));
  }

  /** Channel → delivery state of the alert's latest notification. */
  async deliveries(id: number): Promise<Record<string, string>> {
    return this.row(id)
      .locator("[data-delivery-state]")
      .evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute("data-channel") ?? "", e.getAttribute("data-delivery-state") ?? ""])));
  }

  acknowledgeButton(id: number): Locator {
    return this.page.getByRole("button", { name: `Acknowledge alert #${id}` });
  }
}

/** `/alerts/[id]`: one alert, its subject and links, its timeline; admins act on it. */
export class AlertPage {
  readonly heading: Locator;
  readonly subject: Locator;
  readonly detail: Locator;
  readonly guidance: Locator;
  readonly timeline: Locator;
  readonly acknowledged: Locator;
  readonly consoleLink: Locator;
  readonly actionResult: Locator;
  /** The subject's ARN (connections and hosts). */
  readonly arn: Locator;

  constructor(readonly page: Page) {
    this.arn = page.getByTestId("alert-arn");
    this.heading = page.getByRole("heading", { level: 1 });
    this.subject = page.getByTestId("alert-subject");
    this.detail = page.getByTestId("alert-detail");
    this.guidance = page.getByTestId("alert-guidance");
    this.timeline = page.getByTestId("alert-timeline");
    this.acknowledged = page.getByTestId("alert-acknowledged");
    this.consoleLink = page.getByRole("link", { name: /AWS console/ });
    this.actionResult = page.getByTestId("alert-action-result");
  }

  async goto(id: number) {
    return this.page.goto(`/alerts/${id}`);
  }

  state(): Locator {
    return this.page.locator("main [data-alert-state]").first();
  }

  /** The transitions, oldest first (fired, acknowledged, silenced, resolved …). */
  async transitions(): Promise<string[]> {
    return this.timeline.locator("[data-transition]").evaluateAll((els) => els.map((e) => e.getAttribute("data-transition") ?? ""));
  }

  async acknowledge(id: number, reason: string): Promise<void> {
    await this.page.getByRole("button", { name: `Acknowledge alert #${id}` }).click();
    await this.page.getByLabel(/^Reason/).fill(reason);
    await this.page.getByRole("button", { name: "Acknowledge", exact: true }).click();
  }

  async silence(id: number, forLabel: string, reason: string): Promise<void> {
    await this.page.getByRole("button", { name: `Silence alert #${id}` }).click();
    await this.page.getByLabel("Hold its notifications for").selectOption({ label: forLabel });
    await this.page.getByLabel(/^Reason/).fill(reason);
    await this.page.getByRole("button", { name: `Silence for ${forLabel}` }).click();
  }

  /** Whether the page's content (not the navigation) is wider than its column: a phone would scroll sideways. */
  async contentOverflows(): Promise<boolean> {
    return this.page.locator("main#main").evaluate((main) => main.scrollWidth > main.clientWidth);
  }

  /** Whether an element lies within the window's width (nothing cut off on the right). */
  async fitsWidth(element: Locator): Promise<boolean> {
    const box = await element.boundingBox();
    const width = this.page.viewportSize()?.width ?? 0;
    return box !== null && box.x >= 0 && box.x + box.width <= width;
  }
}

/** `/alerts/rules`: the rules (admins edit), the channels (admins test), maintenance windows. */
export class AlertRulesPage {
  readonly rules: Locator;
  readonly channels: Locator;

  constructor(readonly page: Page) {
    this.rules = page.getByTestId("rules");
    this.channels = page.getByTestId("channels-table");
  }

  async goto() {
    return this.page.goto("/alerts/rules");
  }

  rule(id: string): Locator {
    return this.rules.locator(`li[data-rule="${id}"]`);
  }

  /** An admin's form for the rule (viewers have none). */
  form(title: string): Locator {
    return this.page.getByRole("form", { name: `Settings of ${title}` });
  }

  threshold(title: string, label: string): Locator {
    return this.page.getByRole("spinbutton", { name: `${title}: ${label}` });
  }

  async save(title: string): Promise<void> {
    await this.form(title).getByRole("button", { name: "Save" }).click();
  }

  result(title: string): Locator {
    return this.form(title).getByTestId("form-result");
  }

  testButtons(): Locator {
    return this.page.getByRole("button", { name: /^Send test notification to / });
  }

  /** Sends a test to the channel whose label starts with `label`; returns the result line. */
  async sendTest(label: string): Promise<Locator> {
    const row = this.channels.locator("tbody tr").filter({ hasText: label });
    await row.getByRole("button", { name: /^Send test notification/ }).click();
    return row.getByTestId("form-result");
  }
}
