import { randomBytes } from "node:crypto";
import { defineConfig } from "@playwright/test";
import { findChromium } from "./scripts/chromium.mjs";
import type { StoreEngine } from "./e2e/support/database";
import { APP_ORIGIN, E2E_APP_PORT, E2E_EMULATOR_PORT } from "./e2e/support/ports";

// Set here once so that the workers inherit the same values: a fresh AUTH_SECRET per run
// (production refuses one under 32 characters), and a run id that names the apps' databases.
process.env.TETHER_E2E_AUTH_SECRET ??= randomBytes(33).toString("base64");
process.env.TETHER_E2E_RUN_ID ??= `${Date.now()}-${process.pid}`;

/**
 * Isolation: every spec file starts from a known state, whatever ran before it and in whatever
 * order the files run (`--shuffle` checks it).
 *
 * - The emulator (AWS, the identity provider, the console pages) is started once, below.
 * - The app is started per spec file by the `stack` fixture (e2e/fixtures.ts): when a worker
 *   reaches a test of another file, it stops the previous file's app, reseeds the emulator with
 *   the demo fixture, or the file's own (`FILE_FIXTURE` in e2e/support/app-env.ts: `org` for the
 *   discovery spec) (`POST /_emulator/seed`, which also clears faults and counters), then starts
 *   `next start` with a new, empty database, and signs alice and bob in through the real OIDC
 *   flow when a test of the file first needs them (its HTTP requests, without drawing its pages:
 *   e2e/support/auth.ts; auth.spec.ts and `app.signInAgain` go through the browser). The app's first poll therefore reads the fresh
 *   seed; reads after a reseed within a file use `?refresh=1`.
 * - Every file's app takes the same port, one after the other, so the emulator's OIDC client
 *   (redirect URI bound to `--app-url`) and its push simulator (which delivers webhooks and events
 *   to that URL) always reach the app of the file that runs.
 * - Tests within a file may share the file's app (e.g. its sessions) but not rely on each other's
 *   writes: after a failure Playwright continues the file in a new worker, with a new stack.
 *
 * Cost: about 2 s to start an app and under a second per sign-in (3–5 s in the browser), per file; no test waits for a database
 * reset, and no store table is known to the tests.
 */
/**
 * The second pass, on PostgreSQL: the pending queue (sign-in and sessions, resume, watches, audit,
 * tokens), the outage spec, which only PostgreSQL can have (a network between the app and its
 * database), and the replicas spec (two replicas on one database: sign-in on both, pushes received
 * by each joined and published once, a watch finished by the survivor). The whole suite on
 * PostgreSQL takes as long again as on SQLite and would push `npm test` past its time budget (the
 * e2e suites are bound by two cores: a third project at once made them slower, not faster); every
 * repository method is already proven on both engines by the shared store suite
 * (lib/store/store.suite.ts). docs/testing.md says the same.
 */
const POSTGRES_SPECS = ["pending.spec.ts", "database-outage.spec.ts", "replicas.spec.ts"];
/** PostgreSQL only: they need a database that several processes share, or a network to cut. */
const POSTGRES_ONLY = ["database-outage.spec.ts", "replicas.spec.ts"];
/**
 * `npm test` runs the two passes as two Playwright runs at once (scripts/test.mjs), split so that
 * both end at about the same time: lane 1 runs these SQLite specs (the longest: their measured
 * times are in docs/testing.md), lane 2 the other SQLite specs and the PostgreSQL pass. A spec not
 * listed runs in lane 2. TETHER_E2E_LANE unset (a plain `npx playwright test`): no split.
 */
const LANE_ONE = ["alerts.spec.ts", "mobile.spec.ts", "latency.spec.ts", "pipelines.spec.ts", "inventory.spec.ts", "discovery.spec.ts", "faults.spec.ts", "faults-cloudwatch.spec.ts"];
const lane = process.env.TETHER_E2E_LANE;
if (lane && lane !== "1" && lane !== "2") throw new Error(`TETHER_E2E_LANE=${lane}: 1, 2 or unset`);
const sqliteFiles = lane === "1" ? { testMatch: LANE_ONE } : { testIgnore: lane === "2" ? [...POSTGRES_ONLY, ...LANE_ONE] : POSTGRES_ONLY };


export default defineConfig<object, { storeEngine: StoreEngine }>({
  testDir: "./e2e",
  // A pass of its own when two run at once (scripts/test.mjs).
  outputDir: process.env.TETHER_E2E_OUTPUT ?? "./test-results",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // One worker: the emulator, and the app's port, are shared by the files one after the other.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: process.env.TETHER_E2E_REPORT ?? ".test-results/e2e.json" }]],
  use: {
    baseURL: APP_ORIGIN,
    browserName: "chromium",
    headless: true,
    screenshot: "only-on-failure",
    // A trace of every test, kept when it fails, costs about a quarter of the suite's time on two
    // cores (mobile.spec.ts: 80 s with it, 63 s without). CI shows only what the run prints and
    // keeps no files, so there none is recorded: a CI failure is read from the printed error and the
    // app's log tail; rerun the test locally with `--trace on` for the rest.
    trace: process.env.CI ? "off" : "retain-on-failure",
    launchOptions: {
      // Debian's chromium; never a browser download.
      executablePath: findChromium() ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    },
  },
  // Every file on SQLite, and POSTGRES_SPECS on a throwaway PostgreSQL cluster (or
  // TETHER_TEST_DATABASE_URL's server). `npm test` runs the two at once on their own ports
  // (scripts/test.mjs); `npx playwright test` alone runs them one after the other (one worker);
  // `--project=<name>` runs one.
  projects: [
    { name: "sqlite", use: { storeEngine: "sqlite" }, ...sqliteFiles },
    { name: "postgres", use: { storeEngine: "postgres" }, testMatch: POSTGRES_SPECS },
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
  ],
});
