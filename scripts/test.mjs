#!/usr/bin/env node
// `npm test`: lint, typecheck, unit, contract, build and end-to-end suites, in that order.
// Every suite runs even when an earlier one failed (except e2e, which needs the build), and
// the run ends with one plain line `N passed, N failed` over all suites (also written to
// .test-results/summary.txt for .ci/run). Exit status is non-zero on any failure.
//   npm test -- --only unit,contract      run some suites
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureChromium } from "./chromium.mjs";

const OUT = ".test-results";
const bin = (name) => path.join("node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

const SUITES = [
  { name: "lint", run: () => check([bin("eslint"), ".", "--max-warnings", "0"]) },
  { name: "typecheck", run: () => check([bin("next"), "typegen"]) && check([bin("tsc"), "--noEmit"]) },
  { name: "unit", run: () => vitest("unit") },
  { name: "contract", run: () => vitest("contract") },
  { name: "build", run: () => check([bin("next"), "build"]) },
  { name: "e2e", needs: "build", run: () => e2e() },
];

function exec(argv, extraEnv = {}) {
  const [cmd, ...args] = argv;
  return spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } }).status ?? 1;
}

/** A suite that is one check: it passes or fails as a whole. */
function check(argv) {
  return exec(argv) === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function vitest(project) {
  const file = path.join(OUT, `${project}.json`);
  rmSync(file, { force: true });
  const status = exec([bin("vitest"), "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${file}`]);
  const report = readJson(file);
  if (!report) return { passed: 0, failed: 1, note: "no report (vitest crashed?)" };
  // A file that fails to load has no tests but is a failure.
  const brokenFiles = (report.testResults ?? []).filter((r) => r.status === "failed" && (r.assertionResults ?? []).length === 0).length;
  const failed = report.numFailedTests + brokenFiles;
  return { passed: report.numPassedTests, failed: failed || (status === 0 ? 0 : 1) };
}

function e2e() {
  let chromium;
  try {
    chromium = ensureChromium();
  } catch (e) {
    console.error(`\n${e.message}\n`);
    return { passed: 0, failed: 1, note: "no Chromium" };
  }
  const file = path.join(OUT, "e2e.json");
  rmSync(file, { force: true });
  const status = exec([bin("playwright"), "test"], { CHROMIUM_PATH: chromium, TETHER_E2E_REPORT: file });
  const report = readJson(file);
  if (!report) return { passed: 0, failed: 1, note: "no report (playwright crashed?)" };
  const s = report.stats ?? {};
  const failed = (s.unexpected ?? 0) + (report.errors?.length ? 1 : 0);
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: failed || (status === 0 ? 0 : 1) };
}

function main() {
  const onlyArg = process.argv.find((a) => a.startsWith("--only"));
  const only = onlyArg ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : process.argv[process.argv.indexOf(onlyArg) + 1]) : undefined;
  let selected = SUITES;
  if (only) {
    const names = new Set(only.split(","));
    for (const s of SUITES) if (names.has(s.name) && s.needs) names.add(s.needs);
    const unknown = [...names].filter((n) => !SUITES.some((s) => s.name === n));
    if (unknown.length) {
      console.error(`unknown suite(s): ${unknown.join(", ")}; suites are ${SUITES.map((s) => s.name).join(", ")}`);
      process.exit(2);
    }
    selected = SUITES.filter((s) => names.has(s.name));
  }

  mkdirSync(OUT, { recursive: true });
  const results = [];
  for (const suite of selected) {
    const dep = suite.needs && results.find((r) => r.name === suite.needs);
    const started = Date.now();
    let result;
    if (dep && dep.failed > 0) {
      result = { passed: 0, failed: 1, note: `not run: ${suite.needs} failed` };
    } else {
      console.log(`\n━━ ${suite.name} ━━`);
      const r = suite.run();
      result = typeof r === "boolean" ? { passed: r ? 1 : 0, failed: r ? 0 : 1 } : r;
    }
    results.push({ name: suite.name, seconds: Math.round((Date.now() - started) / 1000), ...result });
  }

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log("\nsuite       passed  failed  seconds");
  for (const r of results) {
    console.log(`${r.name.padEnd(12)}${String(r.passed).padStart(6)}${String(r.failed).padStart(8)}${String(r.seconds).padStart(9)}${r.note ? `  (${r.note})` : ""}`);
  }
  const line = `${passed} passed, ${failed} failed`;
  writeFileSync(path.join(OUT, "summary.txt"), `${line}\n`);
  console.log(line);
  process.exit(failed > 0 || !existsSync(path.join(OUT, "summary.txt")) ? 1 : 0);
}

main();
