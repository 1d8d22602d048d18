import { test as setup } from "@playwright/test";
import { ALICE, BOB, signIn } from "./support/auth";

setup("alice signs in (admin)", async ({ page }) => {
  await signIn(page, "alice");
  await page.context().storageState({ path: ALICE });
});

setup("bob signs in (viewer)", async ({ page }) => {
  await signIn(page, "bob");
  await page.context().storageState({ path: BOB });
});
