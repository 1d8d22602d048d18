import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { expect, test } from "vitest";
import { DEMO_AUTH_SECRET_FILE, DEMO_SCOPES, demoAuthSecret, demoEnv } from "./demo-env.mjs";

test("12. the demo generates its AUTH_SECRET on first run, keeps it in its (git-ignored) data directory and reuses it", () => {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "tether-demo-")), ".data");
  const first = demoAuthSecret(dir);
  expect(first.length).toBeGreaterThanOrEqual(32);
  const file = path.join(dir, DEMO_AUTH_SECRET_FILE);
  expect(readFileSync(file, "utf8").trim()).toBe(first);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(demoAuthSecret(dir)).toBe(first);
  expect(demoAuthSecret(path.join(dir, "..", "other"))).not.toBe(first);

  // The app is given that secret; the demo settings carry no fixed one.
  expect(demoEnv({ authSecret: first }).AUTH_SECRET).toBe(first);
  expect(demoEnv()).not.toHaveProperty("AUTH_SECRET");
  // The demo's data directory is ignored by git, so the secret is never committed.
  const ignored = execFileSync("git", ["check-ignore", "-v", `.data/${DEMO_AUTH_SECRET_FILE}`], { encoding: "utf8" });
  expect(ignored).toContain(".gitignore");
});

test("the demo's alert channels point at the emulator's sinks (http to the emulator, which Tether accepts), signed with the demo's key", () => {
  const env = demoEnv({ emulatorPort: 4999 });
  expect(env.TETHER_NOTIFY_SLACK_URLS).toBe("http://127.0.0.1:4999/_emulator/sinks/slack");
  expect(env.TETHER_NOTIFY_WEBHOOK_URLS).toBe("http://127.0.0.1:4999/_emulator/sinks/webhook");
  expect(env.TETHER_NOTIFY_WEBHOOK_SECRET?.length).toBeGreaterThanOrEqual(16);
});

test("the demo's events go to the emulator's EventBridge bus tether-demo, in a demo scope; eventBus: false leaves it out", () => {
  const env = demoEnv();
  expect(env.TETHER_NOTIFY_EVENT_BUS).toBe("arn:aws:events:us-east-1:111111111111:event-bus/tether-demo");
  expect(DEMO_SCOPES.some((s) => s.account === "111111111111" && s.regions.includes("us-east-1"))).toBe(true);
  expect(demoEnv({ eventBus: false })).not.toHaveProperty("TETHER_NOTIFY_EVENT_BUS");
});
