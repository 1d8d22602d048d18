import { expect, type Locator, type Page } from "@playwright/test";

/** `/settings/tokens` (signed-in admins): create and revoke API tokens. */
export class TokensPage {
  readonly name: Locator;
  readonly role: Locator;
  readonly expires: Locator;
  readonly create: Locator;
  /** The token just created (shown once). */
  readonly newToken: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByLabel("Name");
    this.role = page.getByLabel("Role");
    this.expires = page.getByLabel("Expires");
    this.create = page.getByRole("button", { name: "Create token" });
    this.newToken = page.getByTestId("new-token");
  }

  async goto() {
    return this.page.goto("/settings/tokens");
  }

  /** Fills the form and submits it (`expiresInDays` "0": never). */
  async submit(name: string, role: "viewer" | "admin", expiresInDays = "30"): Promise<void> {
    await this.name.fill(name);
    await this.role.selectOption(role);
    await this.expires.selectOption(expiresInDays);
    await this.create.click();
  }

  /** Creates a token and returns it. */
  async createToken(name: string, role: "viewer" | "admin", expiresInDays = "30"): Promise<string> {
    await this.goto();
    await this.submit(name, role, expiresInDays);
    const token = (await this.newToken.textContent())?.trim() ?? "";
    expect(token).toMatch(/^tthr_/);
    return token;
  }

  /** A token's state cell: active, revoked, expired. */
  state(name: string): Locator {
    return this.page.locator(`tr[data-token-name="${name}"]`).getByTestId("token-state");
  }

  async revoke(name: string): Promise<void> {
    await this.page.getByRole("button", { name: `Revoke ${name}` }).click();
  }
}

/** `/settings/sessions` (signed-in admins): who is signed in; end every session of one user. */
export class SessionsPage {
  constructor(readonly page: Page) {}

  async goto() {
    return this.page.goto("/settings/sessions");
  }

  user(email: string): Locator {
    return this.page.locator(`tr[data-session-user="${email}"]`);
  }

  /** How many live sessions the user's row counts. */
  async sessionCount(email: string): Promise<number> {
    return Number(await this.user(email).getByRole("cell").nth(1).innerText());
  }

  /** "End sessions", confirmed in the dialog; the API's answer. */
  async endSessionsOf(email: string): Promise<{ status: number; body: { ended?: number; auditId?: number } }> {
    await this.user(email).getByRole("button", { name: `End sessions of ${email}` }).click();
    const [answer] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === "DELETE" && r.url().includes("/api/sessions?")),
      this.page.getByRole("dialog").getByRole("button", { name: "End sessions" }).click(),
    ]);
    return { status: answer.status(), body: (await answer.json()) as { ended?: number; auditId?: number } };
  }
}
