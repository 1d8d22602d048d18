import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Two suites: "unit" (colocated *.test.ts, no network but the local PostgreSQL) and "contract" (the
// real AWS SDK clients against the emulator on a random port). `npm test` runs both and counts them.
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
