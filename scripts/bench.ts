/**
 * `npm run bench`: AWS call counts and render times of the inventory with the `large` fixture
 * (2 accounts × 3 Regions; 1,500 account-global connections, 750 per account), against the
 * production build, with background work off.
 * Prints a table; docs/benchmarks.md records the results and this command.
 */
import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { buildIfStale } from "./build-if-stale.mjs";
import { demoEnv } from "./demo-env.mjs";
import { startGroup, stopAll, stopGroup, waitForUrl } from "./procs.mjs";
import { startPostgres } from "./postgres.mjs";
import { startEmulator } from "../emulator/server";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { newToken } from "../lib/api-tokens";
import { buildRequests, minimumRequests } from "../lib/latency/batch";
import { openSqliteStore } from "../lib/store/sqlite";
import { openPostgresStore } from "../lib/store/postgres";
import type { Store } from "../lib/store/types";
import pg from "pg";

// Ports of its own (TETHER_BENCH_APP_PORT / TETHER_BENCH_EMULATOR_PORT move them).
const APP_PORT = Number(process.env.TETHER_BENCH_APP_PORT ?? 3300);
const EMULATOR_PORT = Number(process.env.TETHER_BENCH_EMULATOR_PORT ?? 4630);
const APP = `http://localhost:${APP_PORT}`;

type Stats = { calls: Record<string, Record<string, number>> };

async function stats(emulatorUrl: string): Promise<Stats> {
  return (await fetch(`${emulatorUrl}/_emulator/stats`)).json() as Promise<Stats>;
}
const resetStats = (emulatorUrl: string) => fetch(`${emulatorUrl}/_emulator/stats/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
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

const SECRET = "tether-demo-webhook-secret";

function githubPush(i: number): string {
  const sha = createHmac("sha1", "bench").update(String(i)).digest("hex");
  return JSON.stringify({
    ref: "refs/heads/main",
    before: "0".repeat(39) + "1",
    after: sha,
    created: false,
    deleted: false,
    forced: false,
    repository: { id: 1, name: "bench", full_name: "acme/bench-repo", pushed_at: Math.floor(Date.now() / 1000), default_branch: "main", description: "x".repeat(400) },
    pusher: { name: "bench", email: "bench@example.com" },
    head_commit: { id: sha, message: "bench commit ".repeat(20), timestamp: new Date().toISOString(), added: ["src/a.ts"], removed: [], modified: ["src/b.ts", "README.md"] },
    commits: [{ id: sha, message: "bench commit ".repeat(20), added: ["src/a.ts"], removed: [], modified: ["src/b.ts", "README.md"] }],
  });
}

async function blast(url: string, n: number, concurrency: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const body = githubPush(i + Date.now());
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": randomUUID(), "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` },
          body,
        });
        await res.arrayBuffer();
        if (res.status !== 202) throw new Error(`${url} answered ${res.status}`);
      }
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

/** GET requests as fast as `concurrency` clients can: the framework's own ceiling on this machine. */
async function blastGet(url: string, n: number, concurrency: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      }
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

async function webhookIngest(): Promise<{ tether: number; bare: number; ceiling: number }> {
  const bare = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const expected = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
      const ok = expected === req.headers["x-hub-signature-256"];
      res.writeHead(ok ? 202 : 401, { "content-type": "application/json" });
      res.end(ok ? '{"status":"stored"}' : "{}");
    });
  });
  await new Promise<void>((r) => bare.listen(0, "127.0.0.1", () => r()));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  try {
    // Warm-ups, then three rounds alternating the three targets; the median of each (this
    // machine's disk flush time varies from run to run, and the rounds share whatever it does).
    await blast(bareUrl, 300, 16);
    await blast(`${APP}/api/webhooks/github`, 300, 16);
    await blastGet(`${APP}/api/health`, 300, 16);
    const runs = { tether: [] as number[], bare: [] as number[], ceiling: [] as number[] };
    for (let round = 0; round < 3; round++) {
      runs.tether.push(await blast(`${APP}/api/webhooks/github`, 2000, 16));
      runs.ceiling.push(await blastGet(`${APP}/api/health`, 2000, 16));
      runs.bare.push(await blast(bareUrl, 2000, 16));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] ?? 0;
    return { tether: median(runs.tether), bare: median(runs.bare), ceiling: median(runs.ceiling) };
  } finally {
    bare.close();
  }
}

async function publishBatch(emulatorUrl: string): Promise<{ requests: number; minimum: number; calls: number; accepted: boolean }> {
  const now = Date.now();
  const rows = Array.from({ length: 10_000 }, (_, i) => ({
    id: i + 1,
    metric: "PushToPipelineStartLatency",
    unit: "Milliseconds",
    value: Math.round(2000 + 30_000 * (((i * 7919) % 1000) / 1000) ** 3),
    at: new Date(now - (i % 1440) * 60_000).toISOString(),
    pipeline: `111111111111/us-east-1/bench-${i % 40}`,
    connectionId: `c-${i % 12}`,
    provider: ["GitHub", "Bitbucket", "GitLab"][i % 3] as string,
    fleet: true,
  }));
  const requests = buildRequests(rows);
  const minimum = minimumRequests(rows);
  await resetStats(emulatorUrl);
  const client = new CloudWatchClient({ region: "us-east-1", endpoint: emulatorUrl, credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  let accepted = true;
  for (const r of requests) {
    try {
      await client.send(new PutMetricDataCommand({ Namespace: "TetherBench", MetricData: r.datums as MetricDatum[] }));
    } catch (e) {
      accepted = false;
      console.error(e);
    }
  }
  const s = await stats(emulatorUrl);
  return { requests: requests.length, minimum, calls: count(s, "monitoring", "PutMetricData"), accepted };
}

/** `npm run bench -- --only inventory,ingest`: some sections (all by default). */
const SECTIONS = ["inventory", "pipelines", "ingest", "metrics", "latency", "engines"] as const;
const onlyArg = process.argv.find((a) => a.startsWith("--only"));
const only = onlyArg ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : process.argv[process.argv.indexOf(onlyArg) + 1]) : undefined;
const chosen = new Set(only ? only.split(",") : SECTIONS);
for (const name of chosen) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`--only: unknown section ${name}; one of ${SECTIONS.join(", ")}`);
const want = (name: (typeof SECTIONS)[number]) => chosen.has(name);

/** The viewer and admin API tokens the benchmark reads and acts with, written into `store`. */
async function writeTokens(store: Store): Promise<void> {
  const { token, hash, hint } = newToken();
  await store.tokens.create({ id: "bench", name: "bench", role: "viewer", hash, hint, createdBy: "bench", creatorGroups: [], createdAt: new Date().toISOString(), expiresAt: null });
  // A token acts with at most its creator's current role: the admin token is the demo admin's.
  const admin = newToken();
  await store.tokens.create({ id: "bench-admin", name: "bench-admin", role: "admin", hash: admin.hash, hint: admin.hint, createdBy: "alice@example.com", creatorGroups: [], createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
  authHeader = { authorization: `Bearer ${token}` };
  adminHeader = { authorization: `Bearer ${admin.token}` };
}

/**
 * The production server on APP_PORT with a new database: a SQLite file, or (postgresUrl) a new
 * database on that PostgreSQL server. Background work is off; every ?refresh=1 relists (the
 * benchmark measures what a relist costs).
 */
async function launchApp(engine: { sqlite: string } | { postgresUrl: string; database: string }) {
  let store: Store;
  let databaseUrl: string | undefined;
  if ("sqlite" in engine) {
    store = openSqliteStore(engine.sqlite);
  } else {
    const admin = new pg.Client({ connectionString: engine.postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${engine.database}`);
    await admin.end();
    const url = new URL(engine.postgresUrl);
    url.pathname = `/${engine.database}`;
    databaseUrl = url.toString();
    store = openPostgresStore(databaseUrl);
  }
  await writeTokens(store);
  await store.close();
  const env: Record<string, string> = {
    ...demoEnv({ appPort: APP_PORT, emulatorPort: EMULATOR_PORT, databasePath: "sqlite" in engine ? engine.sqlite : ".data/unused.db", authSecret: randomBytes(33).toString("base64") }),
    TETHER_BACKGROUND: "off",
    TETHER_MIN_REFRESH_SECONDS: "0",
    ...(databaseUrl ? { TETHER_DATABASE_URL: databaseUrl } : {}),
  };
  const child = startGroup("app", "node_modules/.bin/next", ["start", "-p", String(APP_PORT)], { env, quiet: true });
  await waitForUrl(`${APP}/api/health`, 60_000);
  await get("/api/health");
  return { stop: () => stopGroup(child) };
}

/**
 * The same pages and the same ingest on SQLite and on PostgreSQL (a throwaway cluster), one app
 * after the other in this run, each with a new database filled the same way (a full listing, the
 * pipeline map, one execution sweep of all 600 pipelines).
 */
async function engines(current: { stop: () => Promise<void> }, sqliteFile: string): Promise<void> {
  await current.stop();
  const cluster = await startPostgres();
  const pages: [string, string][] = [
    ["/connections (cached lists)", "/connections"],
    ["/connections?status=PENDING&sort=name", "/connections?status=PENDING&sort=name"],
    ["/ overview", "/"],
    ["/pending", "/pending"],
    ["/pipelines (history from the store)", "/pipelines"],
    ["/connections/<id> (timeline from the store)", ""],
    ["GET /api/connections (1,500 rows)", "/api/connections"],
  ];
  const results: Record<string, { rows: string[][]; ingest: { tether: number; ceiling: number } }> = {};
  try {
    for (const engine of ["sqlite", "postgres"] as const) {
      if (engine === "sqlite") for (const suffix of ["", "-wal", "-shm"]) rmSync(`${sqliteFile}${suffix}`, { force: true });
      const app = await launchApp(engine === "sqlite" ? { sqlite: sqliteFile } : { postgresUrl: cluster.url, database: "tether_bench" });
      try {
        const listed = await get("/connections?refresh=1");
        if (listed.status !== 200) throw new Error(`${engine}: /connections answered ${listed.status}`);
        await get("/pipelines?refresh=1");
        const swept = await fetch(`${APP}/api/pipelines/sweep?limit=600`, { method: "POST", headers: adminHeader });
        if (!swept.ok) throw new Error(`${engine}: the sweep answered ${swept.status}`);
        const first = ((await (await fetch(`${APP}/api/connections`, { headers: authHeader })).json()) as { connections: { id: string }[] }).connections[0];
        const rows: string[][] = [];
        for (const [label, path] of pages) await timed(label, path || `/connections/${first?.id}`, 30, rows);
        const ingest = await webhookIngest();
        results[engine] = { rows, ingest };
      } finally {
        await app.stop();
      }
    }
  } finally {
    await cluster.stop();
  }
  const sq = results.sqlite as (typeof results)[string];
  const pgr = results.postgres as (typeof results)[string];
  console.log("\nSQLite and PostgreSQL, same pages and pushes, same run (p50 / p95 ms of 30 sequential requests; PostgreSQL 15 on this machine over TCP on 127.0.0.1, pool of 10)");
  const table = [["request", "SQLite p50", "p95", "PostgreSQL p50", "p95"], ...sq.rows.map((r, i) => [r[0] ?? "", r[2] ?? "", r[3] ?? "", pgr.rows[i]?.[2] ?? "", pgr.rows[i]?.[3] ?? ""])];
  table.push(["POST /api/webhooks/github, deliveries/s (16 concurrent)", sq.ingest.tether.toFixed(0), "", pgr.ingest.tether.toFixed(0), ""]);
  table.push(["  … / a Next route that does nothing", (sq.ingest.tether / sq.ingest.ceiling).toFixed(2), "", (pgr.ingest.tether / pgr.ingest.ceiling).toFixed(2), ""]);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
  for (const r of table) console.log("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "));
}

async function main() {
  if (!buildIfStale("bench")) throw new Error("next build failed");
  const emulator = await startEmulator({ port: EMULATOR_PORT, fixture: "large" });
  const databasePath = `.data/bench-${Date.now()}.db`;
  try {
    const app = await launchApp({ sqlite: databasePath });

    const rows: string[][] = [];
    if (want("inventory")) {
      // 1. One refreshed render: AWS calls.
      await resetStats(emulator.url);
      const first = await get("/connections?refresh=1");
      if (first.status !== 200) throw new Error(`/connections answered ${first.status}`);
      const s1 = await stats(emulator.url);
      // 2. Twenty concurrent renders within the TTL.
      await resetStats(emulator.url);
      await Promise.all(Array.from({ length: 20 }, () => get("/connections")));
      const s2 = await stats(emulator.url);

      // 3. The export holds every connection once.
      const exported = (await (await fetch(`${APP}/api/connections`, { headers: authHeader })).json()) as { connections: unknown[] };

      console.log("\nAWS calls (large fixture: 2 accounts × 3 Regions; 750 account-global connections per account; emulator stats)");
      console.log(
        `  one refreshed render of /connections: ListConnections ${count(s1, "codestar-connections", "ListConnections")} (expected 16 = Σ per account ⌈750/100⌉), ListHosts ${count(s1, "codestar-connections", "ListHosts")} (expected 6, one per scope), AssumeRole ${count(s1, "sts", "AssumeRole")} (at most 1 per role; 1 role)`,
      );
      console.log(`  20 concurrent renders within the TTL: ${total(s2)} AWS calls (expected 0)`);
      console.log(`  GET /api/connections: ${exported.connections.length} rows (expected 1,500: each connection once)`);

      // 4. Server render times.
      await timed("/connections (cached lists)", "/connections", 30, rows);
      await timed("/connections?status=PENDING&sort=name (cached)", "/connections?status=PENDING&sort=name", 30, rows);
      await timed("/connections?refresh=1 (16 ListConnections + 6 ListHosts)", "/connections?refresh=1", 10, rows);
      await timed("/ overview (cached)", "/", 30, rows);
      await timed("GET /api/connections (JSON, 1,500 rows)", "/api/connections", 20, rows);
      await timed("GET /api/connections?format=csv (1,500 rows)", "/api/connections?format=csv", 20, rows);
    }
    if (want("pipelines")) {
      // 5. The pipeline map: first build, then a rebuild with nothing changed.
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

      // 6. Execution-history sweeps over all 600 pipelines.
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
    }
    if (want("ingest")) {

      // 7. Webhook ingest: signature check + durable storage, next to a bare HMAC-only server.
      const ingest = await webhookIngest();
      console.log("\nWebhook ingest (GitHub push deliveries, ~2.5 KB each, 16 concurrent, signed; median of 3 rounds of 2,000, alternating, same run)");
      console.log(`  Tether POST /api/webhooks/github (verify + parse + commit at synchronous=FULL before the 202): ${ingest.tether.toFixed(0)} deliveries/s`);
      console.log(`  a Next route that does nothing (GET /api/health, outside the proxy):                       ${ingest.ceiling.toFixed(0)} requests/s`);
      console.log(`  a bare node:http server doing only the HMAC check:                                         ${ingest.bare.toFixed(0)} deliveries/s`);
      console.log(`  Tether / do-nothing route: ${(ingest.tether / ingest.ceiling).toFixed(2)} (goal ≥ 0.7); Tether / bare: ${(ingest.tether / ingest.bare).toFixed(2)} (goal ≥ 0.3)`);
    }
    if (want("metrics")) {
      // 8. PutMetricData for 10,000 samples under the four dimension sets.
      const put = await publishBatch(emulator.url);
      console.log("\nPutMetricData for 10,000 latency samples (40 pipelines, 12 connections, 3 providers, one day)");
      console.log(`  requests built: ${put.requests}; minimum the limits allow: ${put.minimum}; calls the emulator counted: ${put.calls} (all accepted: ${put.accepted})`);

    }
    if (want("latency")) {
      // 9. GetMetricData for /latency.
      await resetStats(emulator.url);
      await get("/latency");
      const l = await stats(emulator.url);
      console.log(`\n/latency (fleet view: 6 series + 6 providers × 4 breakdown = 30 queries): GetMetricData ${count(l, "monitoring", "GetMetricData")} call(s); ⌈30 / 500⌉ = 1`);
      await timed("/latency (fleet, 24 h)", "/latency", 10, rows);
    }

    if (rows.length) console.log("\nServer response times, ms (sequential requests, production build, localhost)");
    const header = ["request", "n", "p50", "p95", "max", "size"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    if (rows.length) for (const r of [header, ...rows]) console.log("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "));
    // Last: it stops the app above and starts one per engine.
    if (want("engines")) await engines(app, databasePath);
  } finally {
    await stopAll();
    await emulator.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${databasePath}${suffix}`, { force: true });
  }
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  process.exit(1);
});
