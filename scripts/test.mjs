#!/usr/bin/env node
// `npm test`: lint and typecheck (at the same time), unit, contract, build and end-to-end suites, in that order (unit and
// contract as one Vitest run, counted apart; the end-to-end suite in two passes: every spec on
// SQLite, and a subset on PostgreSQL, run as two lanes at once).
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
  // Lint and typecheck run at the same time (each is one process on one core; see checking()).
  { name: "lint", alongside: "checks", steps: [[bin("eslint"), ".", "--max-warnings", "0"]] },
  { name: "typecheck", alongside: "checks", steps: [[bin("next"), "typegen"], [bin("tsc"), "--noEmit"]] },
  // One Vitest run for both (see vitesting()), counted per suite.
  { name: "unit", vitest: true },
  { name: "contract", vitest: true },
  // After a typecheck that passed in this run, the build skips Next's own pass of the same tsc
  // (TETHER_BUILD_TYPES_CHECKED, next.config.ts): 20 s of a 57 s build.
  { name: "build", run: (results) => check([bin("next"), "build"], results.some((r) => r.name === "typecheck" && r.failed === 0) ? { TETHER_BUILD_TYPES_CHECKED: "1" } : {}) },
  // The end-to-end passes run together, after the others (see e2e()).
  { name: "e2e", needs: "build", projects: ["sqlite"] },
  { name: "e2e-postgres", needs: "build", projects: ["postgres"] },
];

function exec(argv, extraEnv = {}) {
  const [cmd, ...args] = argv;
  return spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } }).status ?? 1;
}

/** A suite that is one check: it passes or fails as a whole. */
function check(argv, extraEnv = {}) {
  return exec(argv, extraEnv) === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/**
 * Suites of single-process steps run at the same time, each step after the one before it; each
 * suite's output is kept and printed whole when all have ended, so the two do not interleave.
 */
async function checking(suites) {
  const runOne = async (suite) => {
    const started = Date.now();
    let output = "";
    for (const [cmd, ...args] of suite.steps) {
      const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      const code = await new Promise((resolve) => {
        // A step that cannot start (no such binary) fails its suite instead of the whole run.
        child.once("error", (e) => {
          output += `${e.message}\n`;
          resolve(1);
        });
        child.once("close", (c) => resolve(c ?? 1));
      });
      if (code !== 0) return { name: suite.name, passed: 0, failed: 1, output, seconds: Math.round((Date.now() - started) / 1000) };
    }
    return { name: suite.name, passed: 1, failed: 0, output, seconds: Math.round((Date.now() - started) / 1000) };
  };
  const done = await Promise.all(suites.map(runOne));
  for (const r of done) console.log(`\n━━ ${r.name} (${r.seconds} s, ${r.failed ? "failed" : "passed"}) ━━\n${r.output.trimEnd()}`);
  return done.map(({ output: _output, ...r }) => r);
}

/** The Vitest project a test file belongs to (vitest.config.ts: `*.contract.test.ts` is contract). */
const projectOf = (file) => (file.endsWith(".contract.test.ts") ? "contract" : "unit");

/**
 * The unit and contract projects as one Vitest run (one start, one PostgreSQL cluster, every core
 * busy until the last file: scripts/vitest-sequencer.mjs), its report split by project into
 * .test-results/unit.json and contract.json. Returns passed and failed per project.
 */
function vitesting(projects) {
  const file = path.join(OUT, "vitest.json");
  for (const f of [file, ...projects.map((p) => path.join(OUT, `${p}.json`))]) rmSync(f, { force: true });
  const status = exec([bin("vitest"), "run", ...projects.map((p) => `--project=${p}`), "--reporter=default", "--reporter=json", `--outputFile.json=${file}`]);
  const report = readJson(file);
  return Object.fromEntries(
    projects.map((p) => {
      if (!report) return [p, { passed: 0, failed: 1, note: "no report (vitest crashed?)" }];
      const files = (report.testResults ?? []).filter((r) => projectOf(r.name) === p);
      const tests = files.flatMap((r) => r.assertionResults ?? []);
      writeFileSync(path.join(OUT, `${p}.json`), JSON.stringify({ ...report, testResults: files }));
      // A file that fails to load has no tests but is a failure.
      const brokenFiles = files.filter((r) => r.status === "failed" && (r.assertionResults ?? []).length === 0).length;
      const failed = tests.filter((t) => t.status === "failed").length + brokenFiles;
      // A run that failed outside any test (a global setup, an unhandled error) fails each project once.
      return [p, { passed: tests.filter((t) => t.status === "passed").length, failed: failed || (status === 0 ? 0 : 1) }];
    }),
  );
}

/** Per project (engine): passed and failed tests in a Playwright JSON report. */
function countByProject(report) {
  const counts = {};
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const c = (counts[t.projectName] ??= { passed: 0, failed: 0 });
        if (t.status === "expected" || t.status === "flaky") c.passed += 1;
        else if (t.status === "unexpected") c.failed += 1;
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  return counts;
}

/**
 * The end-to-end projects (playwright.config.ts): `sqlite` (every spec) and `postgres` (a subset,
 * the outage and the replicas specs). With both, they run as two lanes at the same time, each one
 * Playwright run with its own emulator and app ports (the lane's index added to
 * TETHER_E2E_APP_PORT and TETHER_E2E_EMULATOR_PORT), its own report and artifacts: lane 1 runs the
 * longest SQLite specs, lane 2 the other SQLite specs and then the PostgreSQL pass
 * (TETHER_E2E_LANE, playwright.config.ts), so both end at about the same time. One Playwright
 * run keeps about one core busy (the browser and the app mostly take turns); two use both cores,
 * three were slower again. Lane 1 prints as it goes; lane 2's output is kept in
 * .test-results/e2e-lane-2.log and printed when lane 1 ends. Results are counted per project
 * (engine), whichever lane ran them.
 */
async function e2e(projects) {
  let chromium;
  try {
    chromium = ensureChromium();
  } catch (e) {
    console.error(`\n${e.message}\n`);
    return Object.fromEntries(projects.map((p) => [p, { passed: 0, failed: 1, note: "no Chromium" }]));
  }
  const appPort = Number(process.env.TETHER_E2E_APP_PORT ?? 3100);
  const emulatorPort = Number(process.env.TETHER_E2E_EMULATOR_PORT ?? 4610);
  const both = projects.includes("sqlite") && projects.includes("postgres");
  const lanes = both
    ? [
        { name: "lane-1", lane: "1", projects: ["sqlite"] },
        { name: "lane-2", lane: "2", projects: ["sqlite", "postgres"] },
      ]
    : projects.map((p) => ({ name: p, lane: "", projects: [p] }));
  const runs = lanes.map((lane, i) => {
    const report = path.join(OUT, `e2e-${lane.name}.json`);
    rmSync(report, { force: true });
    const logFile = i === 0 ? null : path.join(OUT, `e2e-${lane.name}.log`);
    const child = spawn(bin("playwright"), ["test", ...lane.projects.map((p) => `--project=${p}`)], {
      stdio: logFile ? ["ignore", "pipe", "pipe"] : "inherit",
      env: {
        ...env,
        CHROMIUM_PATH: chromium,
        TETHER_E2E_LANE: lane.lane,
        TETHER_E2E_REPORT: report,
        TETHER_E2E_OUTPUT: path.join("test-results", lane.name),
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
    return { lane, report, logFile, done };
  });
  const results = Object.fromEntries(projects.map((p) => [p, { passed: 0, failed: 0, notes: [] }]));
  for (const run of runs) {
    const status = await run.done;
    if (run.logFile) console.log(`\n━━ e2e ${run.lane.name} (output of the run alongside) ━━\n${readFileSync(run.logFile, "utf8")}`);
    const report = readJson(run.report);
    const counts = report ? countByProject(report) : {};
    for (const p of run.lane.projects) {
      const r = results[p];
      const c = counts[p] ?? { passed: 0, failed: 0 };
      r.passed += c.passed;
      r.failed += c.failed;
      // A run that crashed, or failed outside any test (a fixture, the web server), fails each of its projects once.
      if (!report) r.notes.push(`no report from ${run.lane.name} (playwright crashed?)`);
      if (!report || report.errors?.length || (status !== 0 && c.failed === 0 && Object.values(counts).every((x) => x.failed === 0))) r.failed += 1;
    }
  }
  return Object.fromEntries(Object.entries(results).map(([p, r]) => [p, { passed: r.passed, failed: r.failed, ...(r.notes.length ? { note: r.notes.join("; ") } : {}) }]));
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
  let vitestDone = false;
  const checksDone = new Set();
  for (const suite of selected.filter((s) => !s.projects)) {
    if (suite.alongside) {
      if (checksDone.has(suite.alongside)) continue;
      checksDone.add(suite.alongside);
      results.push(...(await checking(selected.filter((s) => s.alongside === suite.alongside))));
      continue;
    }
    if (suite.vitest) {
      if (vitestDone) continue;
      vitestDone = true;
      const together = selected.filter((s) => s.vitest).map((s) => s.name);
      const started = Date.now();
      console.log(`\n━━ ${together.join(" + ")} ━━`);
      const outcomes = vitesting(together);
      const seconds = Math.round((Date.now() - started) / 1000);
      for (const name of together) results.push({ name, seconds, ...outcomes[name] });
      continue;
    }
    const started = Date.now();
    let result = blocked(suite);
    if (!result) {
      console.log(`\n━━ ${suite.name} ━━`);
      const r = suite.run(results);
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
      const mine = suite.projects.map((p) => outcomes[p]);
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
