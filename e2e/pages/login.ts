import type { Locator, Page } from "@playwright/test";

/** Tether's sign-in page (`/login`). */
export class LoginPage {
  readonly notice: Locator;
  readonly singleSignOn: Locator;

  constructor(readonly page: Page) {
    this.notice = page.getByTestId("signin-notice");
    this.singleSignOn = page.getByRole("button", { name: "Sign in with Single sign-on" });
  }

  async goto(callbackUrl?: string): Promise<void> {
    await this.page.goto(callbackUrl === undefined ? "/login" : `/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  }

  /** Goes on to the identity provider (the emulator's). */
  async startSingleSignOn(): Promise<IdentityProviderPage> {
    await this.singleSignOn.click();
    return new IdentityProviderPage(this.page);
  }
}

/** The emulator's OpenID Connect provider: its login form. */
export class IdentityProviderPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly invalidLogin: Locator;

  constructor(readonly page: Page) {
    this.username = page.getByLabel("Username or email");
    this.password = page.getByLabel("Password");
    this.submit = page.getByRole("button", { name: "Sign in" });
    this.invalidLogin = page.getByText("Invalid username or password.");
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
