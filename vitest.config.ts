import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import LongestFirst from "./scripts/vitest-sequencer.mjs";

const root = fileURLToPath(new URL(".", import.meta.url));

// Two suites: "unit" (colocated *.test.ts, no network but the local PostgreSQL) and "contract" (the
// real AWS SDK clients against the emulator on a random port). `npm test` runs both as one Vitest
// run (one PostgreSQL start, both cores busy to the end) and counts them apart.
// Both get a PostgreSQL server for the store's PostgreSQL tests: TETHER_TEST_DATABASE_URL, or a
// throwaway cluster started once per run (scripts/vitest-postgres.ts, scripts/postgres.mjs).
// TETHER_TEST_STORE_ENGINE=postgres runs both suites with every fresh store on PostgreSQL instead of
// SQLite's ":memory:" (scripts/vitest-store-postgres.ts), to find callers that depend on SQLite; the
// store's own tests (lib/store/**) already run on both engines and are left out of that run.
const onPostgres = process.env.TETHER_TEST_STORE_ENGINE === "postgres";
const shared = {
  environment: "node" as const,
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  globalSetup: ["scripts/vitest-postgres.ts"],
  setupFiles: onPostgres ? ["scripts/vitest-store-postgres.ts"] : [],
};
const storeTests = onPostgres ? ["lib/store/**"] : [];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\/(.*)$/, replacement: `${root}$1` },
      // Next resolves "server-only" itself; outside Next it is an empty marker module.
      { find: /^server-only$/, replacement: `${root}scripts/empty-module.ts` },
    ],
  },
  test: {
    // Every core: Vitest's default for a run is one fewer, which on a two-core machine is one
    // worker, and the files' own durations were then only half of the run (a file's import and its
    // worker's start-up are not in them).
    maxWorkers: availableParallelism(),
    // `npm test` runs both projects as one run: the longest files first, whichever their project
    // (scripts/vitest-sequencer.mjs).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: ["**/*.contract.test.ts", "node_modules/**", ".next/**", "e2e/**", ...storeTests],
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          name: "contract",
          include: ["**/*.contract.test.ts"],
          exclude: ["node_modules/**", ".next/**", ...storeTests],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
