import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { expect, test } from "./fixtures";
import { ConnectionPage } from "./pages/connection";
import { ConnectionsPage } from "./pages/connections";
import { PageErrorBanner } from "./pages/shell";
import { APP_ORIGIN } from "./support/ports";
import { githubPush, randomSha } from "./support/webhooks";

/**
 * PostgreSQL only (the `postgres` project): the network between the app and its database is cut
 * (open connections reset, new ones refused) while the app runs, then restored. Pages say so and
 * come back by themselves, receivers answer 503 so providers deliver again, nothing half-written
 * remains, and the app needs no restart.
 */

test.use({ user: "alice" });
test.describe.configure({ timeout: 120_000 });

test("the database goes away and comes back: a banner, 503s with Retry-After, no partial write, recovery without a restart", async ({ page, database, emulator }) => {
  const connections = new ConnectionsPage(page);
  const errors = new PageErrorBanner(page);
  await connections.goto();
  await expect(connections.rows.first()).toBeVisible();

  await database.relay.cutOff();

  // A page: the banner that says what is wrong, not a crash or a generic error.
  await connections.goto();
  await expect(errors.databaseDown).toBeVisible();
  await expect(errors.banner).toContainText("Tether's database is unreachable");

  // The API: 503, the reason in plain words, and when to come back.
  const api = await page.request.get("/api/connections");
  expect(api.status()).toBe(503);
  expect(api.headers()["retry-after"]).toBe("10");
  expect((await api.json()).error).toMatch(/^Tether's database is unreachable right now \(connection (refused|lost)\)/);

  // A push: 503, so GitHub delivers it again.
  const push = githubPush(DEMO_PIPELINE_CASES.sharedA.repository, randomSha());
  const refused = await fetch(`${APP_ORIGIN}/api/webhooks/github`, { method: "POST", headers: push.headers, body: push.body });
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).toBe("10");

  // While it is away, AWS moves on: a pending handshake is denied.
  await emulator.handshake(DEMO_CASES.denyTarget.uuid, "deny");

  // The app is still up (liveness needs no database).
  expect((await fetch(`${APP_ORIGIN}/api/health`)).status).toBe(200);

  await database.relay.restore();

  // The page that showed the banner comes back by itself (it retries every 10 s).
  await expect(connections.rows.first()).toBeVisible({ timeout: 30_000 });
  await expect(errors.banner).toHaveCount(0);

  // The redelivered push is stored now: the refused attempt left nothing behind (not "duplicate").
  const redelivered = await fetch(`${APP_ORIGIN}/api/webhooks/github`, { method: "POST", headers: push.headers, body: push.body });
  expect(redelivered.status).toBe(202);
  expect(await redelivered.json()).toEqual({ status: "stored" });

  // What AWS did meanwhile reaches the store: the denied connection's timeline has ERROR.
  await connections.goto("refresh=1");
  const detail = new ConnectionPage(page);
  await detail.goto(DEMO_CASES.denyTarget.uuid);
  await expect(detail.timeline).toContainText("ERROR");
});
