import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { findChromium } from "./scripts/chromium.mjs";
import { DEMO_ROLE_ARN, DEMO_SCOPES, demoEnv } from "./scripts/demo-env.mjs";
import { APP_ORIGIN, E2E_APP_PORT, E2E_EMULATOR_PORT } from "./e2e/support/ports";

const baseURL = APP_ORIGIN;

// One database file per run; set here once so the workers inherit the same value.
process.env.TETHER_E2E_DATABASE ??= path.join(os.tmpdir(), `tether-e2e-${Date.now()}-${process.pid}.db`);
// A fresh AUTH_SECRET per run (production refuses one under 32 characters).
process.env.TETHER_E2E_AUTH_SECRET ??= randomBytes(33).toString("base64");

// The six demo scopes plus one whose account the emulator does not know: its AssumeRole fails,
// and the tests check that only that scope shows an error.
export const E2E_BROKEN_SCOPE = { account: "333333333333", regions: ["us-east-1"], roleArn: DEMO_ROLE_ARN.replace("222222222222", "333333333333") };

const appEnv = {
  ...demoEnv({
    appPort: E2E_APP_PORT,
    emulatorPort: E2E_EMULATOR_PORT,
    databasePath: process.env.TETHER_E2E_DATABASE,
    authSecret: process.env.TETHER_E2E_AUTH_SECRET,
    scopes: [...DEMO_SCOPES, E2E_BROKEN_SCOPE],
  }),
  // Every PENDING connection Tether has just seen is old enough to delete, so the test can.
  TETHER_DELETE_PENDING_AFTER_DAYS: "0",
  // A dropped push becomes a missed trigger after 6 s instead of 5 min.
  TETHER_MISSED_TRIGGER_MINUTES: "0.1",
  // Specs reseed the emulator and then read with ?refresh=1: every forced refresh must relist.
  TETHER_MIN_REFRESH_SECONDS: "0",
};

// Signed-in browser states written by e2e/auth.setup.ts (real OIDC sign-ins at the emulator's IdP).
export const AUTH_DIR = ".test-results/auth";

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: process.env.TETHER_E2E_REPORT ?? ".test-results/e2e.json" }]],
  use: {
    baseURL,
    browserName: "chromium",
    headless: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's chromium; never a browser download.
      executablePath: findChromium() ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", testIgnore: /auth\.setup\.ts/, dependencies: ["setup"] },
  ],
  webServer: [
    {
      command: `node_modules/.bin/tsx emulator/main.ts --port ${E2E_EMULATOR_PORT} --fixture demo --app-url http://localhost:${E2E_APP_PORT}`,
      url: `http://127.0.0.1:${E2E_EMULATOR_PORT}/_emulator/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `node_modules/.bin/next start -p ${E2E_APP_PORT}`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
      env: appEnv,
    },
  ],
});
