import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const eslintConfig = defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The emulator is a separate program: it must never reach into the app.
    files: ["emulator/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/*", "../app/*", "../lib/*", "../components/*"] }],
    },
  },
  {
    // Components receive DTOs; they never talk to AWS or the data layer directly.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/lib/aws/*", "@/lib/data/*", "@/lib/store/*", "@aws-sdk/*"] }],
    },
  },
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "test-results/**",
    "playwright-report/**",
    "e2e-out/**",
    ".test-results/**",
    "next-env.d.ts",
  ]),
]);

export default eslintConfig;
