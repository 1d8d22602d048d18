#!/usr/bin/env node
// `npm test`: lint, typecheck, unit, contract, build and end-to-end suites, in that order (the
// end-to-end suite in two passes at once: every spec on SQLite, and a subset on PostgreSQL).
// Every suite runs even when an earlier one failed (except e2e, which needs the build), and
// the run ends with one plain line `N passed, N failed` over all suites (also written to
// .test-results/summary.txt for .ci/run). Exit status is non-zero on any failure.
//   npm test -- --only unit,contract      run some suites
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  // The end-to-end passes run together, after the others (see e2e()).
  { name: "e2e", needs: "build", projects: ["sqlite"] },
  { name: "e2e-postgres", needs: "build", projects: ["postgres"] },
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

/**
 * The end-to-end projects (playwright.config.ts): `sqlite` (every spec) and `postgres` (a subset,
 * the outage and the replicas specs). They run at the same time, each with its own emulator and
 * app ports (the project's index added to TETHER_E2E_APP_PORT and TETHER_E2E_EMULATOR_PORT) and its
 * own report: the browser tests often wait (for pages, polls and sign-ins), and two at once took
 * 688 s here against about 830 s one after the other (three at once took longer again: two cores). The first prints as it goes; the others' output is kept in
 * .test-results/e2e-<project>.log and printed when the first ends.
 */
async function e2e(passes) {
  let chromium;
  try {
    chromium = ensureChromium();
  } catch (e) {
    console.error(`\n${e.message}\n`);
    return passes.map(() => ({ passed: 0, failed: 1, note: "no Chromium" }));
  }
  const appPort = Number(process.env.TETHER_E2E_APP_PORT ?? 3100);
  const emulatorPort = Number(process.env.TETHER_E2E_EMULATOR_PORT ?? 4610);
  const runs = passes.map((project, i) => {
    const report = path.join(OUT, `${project === "sqlite" ? "e2e" : `e2e-${project}`}.json`);
    rmSync(report, { force: true });
    // The first pass prints as it goes; the others are kept and printed after it.
    const logFile = i === 0 ? null : path.join(OUT, `e2e-${project}.log`);
    const child = spawn(bin("playwright"), ["test", `--project=${project}`], {
      stdio: logFile ? ["ignore", "pipe", "pipe"] : "inherit",
      env: {
        ...env,
        CHROMIUM_PATH: chromium,
        TETHER_E2E_REPORT: report,
        TETHER_E2E_OUTPUT: path.join("test-results", project),
        TETHER_E2E_APP_PORT: String(appPort + i),
        TETHER_E2E_EMULATOR_PORT: String(emulatorPort + i),
      },
    });
    if (logFile) {
      const out = createWriteStream(logFile);
      child.stdout.pipe(out);
      child.stderr.pipe(out);
    }
    const done = new Promise((resolve) => child.once("close", (code) => resolve(code ?? 1)));
    return { project, report, logFile, done };
  });
  const results = [];
  for (const run of runs) {
    const status = await run.done;
    if (run.logFile) console.log(`\n━━ e2e-${run.project} (output of the pass that ran alongside) ━━\n${readFileSync(run.logFile, "utf8")}`);
    const report = readJson(run.report);
    if (!report) {
      results.push({ passed: 0, failed: 1, note: "no report (playwright crashed?)" });
      continue;
    }
    const st = report.stats ?? {};
    const failed = (st.unexpected ?? 0) + (report.errors?.length ? 1 : 0);
    results.push({ passed: (st.expected ?? 0) + (st.flaky ?? 0), failed: failed || (status === 0 ? 0 : 1) });
  }
  return results;
}

async function main() {
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
  const blocked = (suite) => {
    const dep = suite.needs && results.find((r) => r.name === suite.needs);
    return dep && dep.failed > 0 ? { passed: 0, failed: 1, note: `not run: ${suite.needs} failed` } : null;
  };
  for (const suite of selected.filter((s) => !s.projects)) {
    const started = Date.now();
    let result = blocked(suite);
    if (!result) {
      console.log(`\n━━ ${suite.name} ━━`);
      const r = suite.run();
      result = typeof r === "boolean" ? { passed: r ? 1 : 0, failed: r ? 0 : 1 } : r;
    }
    results.push({ name: suite.name, seconds: Math.round((Date.now() - started) / 1000), ...result });
  }
  const passes = selected.filter((s) => s.projects);
  const runnable = passes.filter((s) => !blocked(s));
  for (const suite of passes.filter((s) => blocked(s))) results.push({ name: suite.name, seconds: 0, ...blocked(suite) });
  if (runnable.length) {
    const started = Date.now();
    console.log(`\n━━ ${runnable.map((s) => s.name).join(" + ")} ━━`);
    const projects = runnable.flatMap((s) => s.projects);
    const outcomes = await e2e(projects);
    const seconds = Math.round((Date.now() - started) / 1000);
    for (const suite of runnable) {
      const mine = suite.projects.map((p) => outcomes[projects.indexOf(p)]);
      const notes = mine.map((o) => o.note).filter(Boolean);
      results.push({ name: suite.name, seconds, passed: mine.reduce((n, o) => n + o.passed, 0), failed: mine.reduce((n, o) => n + o.failed, 0), ...(notes.length ? { note: notes.join("; ") } : {}) });
    }
  }

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log("\nsuite        passed  failed  seconds");
  for (const r of results) {
    console.log(`${r.name.padEnd(13)}${String(r.passed).padStart(6)}${String(r.failed).padStart(8)}${String(r.seconds).padStart(9)}${r.note ? `  (${r.note})` : ""}`);
  }
  const line = `${passed} passed, ${failed} failed`;
  writeFileSync(path.join(OUT, "summary.txt"), `${line}\n`);
  console.log(line);
  process.exit(failed > 0 || !existsSync(path.join(OUT, "summary.txt")) ? 1 : 0);
}

await main();
