import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/** Modules above the edges (lib/aws, lib/store): the domain, the data layer and the top. */
const ABOVE_EDGES = ["../*", "@/lib/data/*", "@/lib/fleet/*", "@/lib/pipelines/*", "@/lib/latency/*", "@/lib/watch/*", "@/lib/alerts/*", "@/lib/api", "@/lib/api-node", "@/lib/startup", "@/lib/background", "@/lib/auth"];

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
  // The layers (docs/architecture.md): each may import only from layers below it. Inside lib/, a
  // module reaches another folder through "@/lib/…" (never "../"), so these patterns see every import.
  //   top     lib/api.ts, lib/api-node.ts, lib/startup.ts, lib/background.ts, lib/auth.ts (and app/, pages/, proxy.ts)
  //   data    lib/data/**            the auth-checked data access layer
  //   domain  lib/{fleet,pipelines,latency,watch,alerts}/**
  //   edges   lib/aws/** (the only SDK user), lib/store/**
  //   base    lib/types/** and the small pure modules (env, errors, query, arn, …)
  {
    // Only lib/aws talks to the AWS SDK (tests may drive the SDK directly).
    files: ["**/*.ts", "**/*.tsx", "**/*.mjs"],
    ignores: ["lib/aws/**", "emulator/**", "e2e/**", "scripts/**", "**/*.test.ts", "**/*.contract.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@aws-sdk/*"], message: "Only lib/aws/** imports the AWS SDK: add a verb there that returns Tether's own types." }] }],
    },
  },
  {
    // Tether's domain types are the bottom of the house: they import nothing of Tether's.
    files: ["lib/types/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/*", "../*", "@aws-sdk/*"], message: "lib/types holds types and constants only; it imports nothing." }] }],
    },
  },
  {
    // The edges (AWS, the store) know nothing of the layers that use them.
    files: ["lib/aws/**"],
    ignores: ["**/*.test.ts", "**/*.contract.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: [...ABOVE_EDGES], message: "lib/aws sits below the domain and data layers: move the shared type to lib/types." }] }],
    },
  },
  {
    files: ["lib/store/**"],
    ignores: ["**/*.test.ts", "**/*.contract.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: [...ABOVE_EDGES, "@aws-sdk/*", "@/lib/aws/*"], message: "lib/store sits below the domain and data layers and beside lib/aws: move the shared type to lib/types." }] }],
    },
  },
  {
    files: ["lib/fleet/**", "lib/pipelines/**", "lib/latency/**", "lib/watch/**", "lib/alerts/**"],
    ignores: ["**/*.test.ts", "**/*.contract.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../*", "@/lib/data/*", "@/lib/api", "@/lib/api-node", "@/lib/startup", "@/lib/background", "@/lib/auth", "@aws-sdk/*"], message: "The domain layer sits below lib/data: pass what it needs in, or move it down." }] }],
    },
  },
  {
    files: ["lib/data/**"],
    ignores: ["**/*.test.ts", "**/*.contract.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../*", "@/lib/api", "@/lib/api-node", "@/lib/startup", "@/lib/background", "@aws-sdk/*"], message: "lib/data sits below the route helpers and the background jobs." }] }],
    },
  },
  {
    // Routes (app/, and the receivers' Node handlers in pages/api/) call the data layer only:
    // never the store or AWS directly.
    files: ["app/**", "pages/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/lib/store", "@/lib/store/*", "@/lib/aws/*", "@aws-sdk/*"], message: "app/ and pages/ call lib/data (or lib/api, lib/api-node); the data layer checks the caller first." }] }],
    },
  },
  {
    // Components receive DTOs; they never talk to AWS or the data layer directly.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/lib/aws/*", "@/lib/data/*", "@/lib/store", "@/lib/store/*", "@aws-sdk/*"], message: "Components render DTOs from @/lib/types; pages fetch them from lib/data." }] }],
    },
  },
  {
    // A promise nobody awaits loses its errors and its ordering: every store and AWS call is
    // asynchronous, so the type-aware rules check that each one is awaited (or explicitly voided).
    files: ["lib/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "components/**/*.tsx", "proxy.ts", "instrumentation.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
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
