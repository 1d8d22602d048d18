/**
 * `npm run bench`: AWS call counts and render times of the inventory with the `large` fixture
 * (1,500 connections in 6 scopes), against the production build, with background work off.
 * Prints a table; docs/benchmarks.md records the results and this command.
 */
import { performance } from "node:perf_hooks";
import { buildIfStale } from "./build-if-stale.mjs";
import { demoEnv } from "./demo-env.mjs";
import { startGroup, stopAll, waitForUrl } from "./procs.mjs";
import { startEmulator } from "../emulator/server";
import { newToken } from "../lib/api-tokens";
import { openSqliteStore } from "../lib/store/sqlite";

const APP_PORT = 3200;
const EMULATOR_PORT = 4620;
const APP = `http://localhost:${APP_PORT}`;

type Stats = { calls: Record<string, Record<string, number>> };

async function stats(emulatorUrl: string): Promise<Stats> {
  return (await fetch(`${emulatorUrl}/_emulator/stats`)).json() as Promise<Stats>;
}
const resetStats = (emulatorUrl: string) => fetch(`${emulatorUrl}/_emulator/stats/reset`, { method: "POST" });
const count = (s: Stats, service: string, op: string) => s.calls[service]?.[op] ?? 0;
const total = (s: Stats) => Object.values(s.calls).reduce((n, ops) => n + Object.values(ops).reduce((a, b) => a + b, 0), 0);

// The benchmark reads pages as a viewer with an API token (written into its own database).
let authHeader: Record<string, string> = {};
let adminHeader: Record<string, string> = {};

async function get(path: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(APP + path, { headers: authHeader, redirect: "manual" });
  const body = await res.arrayBuffer();
  return { ms: performance.now() - t0, bytes: body.byteLength, status: res.status };
}

function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
  return { p50: at(50), p95: at(95), max: s[s.length - 1] ?? 0 };
}

async function timed(label: string, path: string, n: number, rows: string[][]) {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const r = await get(path);
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    samples.push(r.ms);
    bytes = r.bytes;
  }
  const s = summary(samples);
  rows.push([label, String(n), s.p50.toFixed(1), s.p95.toFixed(1), s.max.toFixed(1), `${(bytes / 1024).toFixed(0)} KiB`]);
}

async function main() {
  if (!buildIfStale("bench")) throw new Error("next build failed");
  const emulator = await startEmulator({ port: EMULATOR_PORT, fixture: "large" });
  const databasePath = `.data/bench-${Date.now()}.db`;
  const store = openSqliteStore(databasePath);
  const { token, hash, hint } = newToken();
  store.tokens.create({ id: "bench", name: "bench", role: "viewer", hash, hint, createdBy: "bench", createdAt: new Date().toISOString(), expiresAt: null });
  const admin = newToken();
  store.tokens.create({ id: "bench-admin", name: "bench-admin", role: "admin", hash: admin.hash, hint: admin.hint, createdBy: "bench", createdAt: new Date().toISOString(), expiresAt: null });
  store.close();
  authHeader = { authorization: `Bearer ${token}` };
  adminHeader = { authorization: `Bearer ${admin.token}` };
  const env = { ...demoEnv({ appPort: APP_PORT, emulatorPort: EMULATOR_PORT, databasePath }), TETHER_BACKGROUND: "off" };
  try {
    startGroup("app", "node_modules/.bin/next", ["start", "-p", String(APP_PORT)], { env, quiet: true });
    await waitForUrl(`${APP}/api/health`, 60_000);
    await get("/api/health");

    // 1. One refreshed render: AWS calls.
    await resetStats(emulator.url);
    const first = await get("/connections?refresh=1");
    if (first.status !== 200) throw new Error(`/connections answered ${first.status}`);
    const s1 = await stats(emulator.url);
    // 2. Twenty concurrent renders within the TTL.
    await resetStats(emulator.url);
    await Promise.all(Array.from({ length: 20 }, () => get("/connections")));
    const s2 = await stats(emulator.url);

    console.log("\nAWS calls (large fixture: 6 scopes × 250 connections; emulator stats)");
    console.log(`  one refreshed render of /connections: ListConnections ${count(s1, "codestar-connections", "ListConnections")} (expected 18 = 3 per scope), ListHosts ${count(s1, "codestar-connections", "ListHosts")}, AssumeRole ${count(s1, "sts", "AssumeRole")} (at most 1 per role; 1 role)`);
    console.log(`  20 concurrent renders within the TTL: ${total(s2)} AWS calls (expected 0)`);

    // 3. Server render times.
    const rows: string[][] = [];
    await timed("/connections (cached lists)", "/connections", 30, rows);
    await timed("/connections?status=PENDING&sort=name (cached)", "/connections?status=PENDING&sort=name", 30, rows);
    await timed("/connections?refresh=1 (18 ListConnections + 6 ListHosts)", "/connections?refresh=1", 10, rows);
    await timed("/ overview (cached)", "/", 30, rows);
    await timed("GET /api/connections (JSON, 1,500 rows)", "/api/connections", 20, rows);
    await timed("GET /api/connections?format=csv (1,500 rows)", "/api/connections?format=csv", 20, rows);
    // 4. The pipeline map: first build, then a rebuild with nothing changed.
    await resetStats(emulator.url);
    const mapFirst = await get("/pipelines?refresh=1");
    if (mapFirst.status !== 200) throw new Error(`/pipelines answered ${mapFirst.status}`);
    const m1 = await stats(emulator.url);
    await resetStats(emulator.url);
    await get("/pipelines?refresh=1");
    const m2 = await stats(emulator.url);
    console.log("\nPipeline map (large fixture: 600 pipelines in 6 scopes)");
    console.log(`  first build: ListPipelines ${count(m1, "codepipeline", "ListPipelines")}, GetPipeline ${count(m1, "codepipeline", "GetPipeline")} (expected one per pipeline: 600)`);
    console.log(`  rebuild with nothing changed: ListPipelines ${count(m2, "codepipeline", "ListPipelines")}, GetPipeline ${count(m2, "codepipeline", "GetPipeline")} (expected 0)`);

    // 5. Execution-history sweeps over all 600 pipelines.
    const sweep = async () => {
      await resetStats(emulator.url);
      const t0 = performance.now();
      const res = await fetch(`${APP}/api/pipelines/sweep?limit=600`, { method: "POST", headers: adminHeader });
      const body = (await res.json()) as { pipelines: number; listCalls: number; saved: number; errors: string[] };
      const s = await stats(emulator.url);
      return { ...body, ms: performance.now() - t0, calls: count(s, "codepipeline", "ListPipelineExecutions") };
    };
    const sweep1 = await sweep();
    const sweep2 = await sweep();
    console.log("\nExecution-history sweep (POST /api/pipelines/sweep?limit=600)");
    console.log(`  first sweep: ${sweep1.pipelines} pipelines, ${sweep1.calls} ListPipelineExecutions, ${sweep1.saved} executions saved, ${sweep1.ms.toFixed(0)} ms, errors ${sweep1.errors.length}`);
    console.log(`  second sweep (nothing new): ${sweep2.pipelines} pipelines, ${sweep2.calls} ListPipelineExecutions, ${sweep2.saved} saved, ${sweep2.ms.toFixed(0)} ms`);
    await resetStats(emulator.url);
    await timed("/pipelines (600 pipelines, map and history in the store)", "/pipelines", 20, rows);
    await timed("/pipelines?verdict=broken (filtered)", "/pipelines?verdict=broken", 20, rows);
    const s3 = await stats(emulator.url);
    console.log(`  AWS calls during the ${40} /pipelines renders above: ${total(s3)} (the map is cached; executions come from the store)`);

    console.log("\nServer response times, ms (sequential requests, production build, localhost)");
    const header = ["request", "n", "p50", "p95", "max", "size"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    for (const r of [header, ...rows]) console.log("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "));
  } finally {
    await stopAll();
    await emulator.close();
  }
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  process.exit(1);
});
