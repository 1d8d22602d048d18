import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Two suites: "unit" (colocated *.test.ts, no network but the local PostgreSQL) and "contract" (the
// real AWS SDK clients against the emulator on a random port). `npm test` runs both and counts them.
// Both get a PostgreSQL server for the store's PostgreSQL tests: TETHER_TEST_DATABASE_URL, or a
// throwaway cluster started once per run (scripts/vitest-postgres.ts, scripts/postgres.mjs).
const shared = {
  environment: "node" as const,
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  globalSetup: ["scripts/vitest-postgres.ts"],
};

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
          exclude: ["**/*.contract.test.ts", "node_modules/**", ".next/**", "e2e/**"],
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          name: "contract",
          include: ["**/*.contract.test.ts"],
          exclude: ["node_modules/**", ".next/**"],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
