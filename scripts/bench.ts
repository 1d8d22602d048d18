/**
 * `npm run bench`: AWS call counts and render times of the inventory with the `large` fixture
 * (2 accounts × 3 Regions; 1,500 account-global connections, 750 per account), against the
 * production build, with background work off; `--only scale` the same pages with the `org` fixture
 * (99 accounts, 10,000 connections) beside `large`, the first listing and the streamed export.
 * Prints a table; docs/benchmarks.md records the results and this command.
 */
import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { buildIfStale } from "./build-if-stale.mjs";
import { demoEnv } from "./demo-env.mjs";
import { startGroup, stopAll, stopGroup, waitForUrl } from "./procs.mjs";
import { startPostgres } from "./postgres.mjs";
import { startEmulator } from "../emulator/server";
import { buildFixture } from "../emulator/fixtures";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import os from "node:os";
import Database from "better-sqlite3";
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

/** Deliveries as fast as `concurrency` clients can; any answer but 202 throws, unless `failures` counts them. */
async function blast(url: string, n: number, concurrency: number, failures?: Map<number, number>): Promise<number> {
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
        if (res.status === 202) continue;
        if (!failures) throw new Error(`${url} answered ${res.status}`);
        failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
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

interface IngestResult {
  tether: number;
  bare: number;
  ceiling: number;
  rounds: { tether: number; ceiling: number; bare: number }[];
  /**
   * On SQLite: another connection's small write transactions (ms from BEGIN IMMEDIATE to
   * committed), idle and during a Tether round; the deliveries of that round not answered 202.
   */
  otherWriter: { idle: number[]; busy: number[]; failures: Map<number, number> } | null;
  load: { before: number[]; after: number[] };
}

/**
 * Small write transactions from another connection to the app's database file, one every 20 ms
 * until `until` settles: how long a writer other than the receivers' waits (the app's own main
 * connection, or another process) while deliveries are being committed.
 */
async function probeWrites(databasePath: string, until: Promise<unknown>): Promise<number[]> {
  const db = new Database(databasePath);
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  const insert = db.prepare("INSERT INTO deliveries (provider, delivery_id, event, status, received_at) VALUES ('bench-probe', ?, 'probe', 'probe', ?)");
  const write = db.transaction(() => insert.run(randomUUID(), new Date().toISOString())).immediate;
  const waits: number[] = [];
  let done = false;
  // Settled either way (the caller awaits `until` itself and sees its error).
  until.then(
    () => (done = true),
    () => (done = true),
  );
  try {
    while (!done) {
      const t0 = performance.now();
      write();
      waits.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    db.close();
  }
  return waits;
}

/**
 * Deliveries to Tether's GitHub receiver, requests to a Next route that does nothing, and
 * deliveries to a bare node:http server that only checks the HMAC: ROUNDS rounds alternating the
 * three, the median of each. `sqliteFile`: the app's database, for the other-writer probe.
 */
async function webhookIngest(sqliteFile?: string): Promise<IngestResult> {
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
  const loadBefore = os.loadavg();
  try {
    // Warm-ups, then rounds alternating the three targets; the median of each (this machine's
    // disk flush time varies from run to run, and the rounds share whatever it does).
    await blast(bareUrl, 300, 16);
    await blast(`${APP}/api/webhooks/github`, 300, 16);
    await blastGet(`${APP}/api/health`, 300, 16);
    const rounds: IngestResult["rounds"] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Each target's 2,000 in slices of SLICE, the three alternating slice by slice: seconds
      // spent per target, summed (one slice of 2,000 each by default).
      const spent = { tether: 0, ceiling: 0, bare: 0 };
      for (let done = 0; done < 2000; done += SLICE) {
        const n = Math.min(SLICE, 2000 - done);
        spent.tether += n / (await blast(`${APP}/api/webhooks/github`, n, 16));
        spent.ceiling += n / (await blastGet(`${APP}/api/health`, n, 16));
        spent.bare += n / (await blast(bareUrl, n, 16));
      }
      rounds.push({ tether: 2000 / spent.tether, ceiling: 2000 / spent.ceiling, bare: 2000 / spent.bare });
    }
    const loadAfter = os.loadavg();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    let otherWriter: IngestResult["otherWriter"] = null;
    if (sqliteFile) {
      // After the measured rounds (so it costs them nothing): another connection's writes, first
      // with the receivers idle, then during one more Tether round.
      const idle = await probeWrites(sqliteFile, new Promise((r) => setTimeout(r, 2000)));
      const failures = new Map<number, number>();
      const round = blast(`${APP}/api/webhooks/github`, 2000, 16, failures);
      const busy = await probeWrites(sqliteFile, round);
      await round;
      otherWriter = { idle, busy, failures };
    }
    return {
      tether: median(rounds.map((r) => r.tether)),
      bare: median(rounds.map((r) => r.bare)),
      ceiling: median(rounds.map((r) => r.ceiling)),
      rounds,
      otherWriter,
      load: { before: loadBefore, after: loadAfter },
    };
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
const SECTIONS = ["inventory", "pipelines", "ingest", "metrics", "latency", "engines", "replicas", "scale"] as const;
const onlyArg = process.argv.find((a) => a.startsWith("--only"));
const only = onlyArg ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : process.argv[process.argv.indexOf(onlyArg) + 1]) : undefined;
const chosen = new Set(only ? only.split(",") : SECTIONS);
for (const name of chosen) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`--only: unknown section ${name}; one of ${SECTIONS.join(", ")}`);
const want = (name: (typeof SECTIONS)[number]) => chosen.has(name);
/** `--rounds N`: ingest rounds (3 by default; more, odd, for a steadier median on a busy machine). */
const roundsArg = process.argv.find((a) => a.startsWith("--rounds"));
const ROUNDS = roundsArg ? Number(roundsArg.includes("=") ? roundsArg.split("=")[1] : process.argv[process.argv.indexOf(roundsArg) + 1]) : 3;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS % 2 === 0) throw new Error("--rounds: an odd number (the median is a round's figure)");
/**
 * `--slice N`: within a round, the three targets alternate every N requests instead of every
 * 2,000 (the default), so load from other work on the machine falls on all three alike.
 */
const sliceArg = process.argv.find((a) => a.startsWith("--slice"));
const SLICE = sliceArg ? Number(sliceArg.includes("=") ? sliceArg.split("=")[1] : process.argv[process.argv.indexOf(sliceArg) + 1]) : 2000;
if (!Number.isInteger(SLICE) || SLICE < 16 || SLICE > 2000) throw new Error("--slice: a number of requests from 16 to 2,000");

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
/** The app server's lines about the writer thread, in the order printed. */
const appLog: string[] = [];

async function launchApp(engine: { sqlite: string } | { postgresUrl: string; database: string }, scopes?: unknown[], extraEnv: Record<string, string> = {}) {
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
    ...demoEnv({ appPort: APP_PORT, emulatorPort: EMULATOR_PORT, databasePath: "sqlite" in engine ? engine.sqlite : ".data/unused.db", authSecret: randomBytes(33).toString("base64"), ...(scopes ? { scopes } : {}) }),
    TETHER_BACKGROUND: "off",
    TETHER_MIN_REFRESH_SECONDS: "0",
    ...(databaseUrl ? { TETHER_DATABASE_URL: databaseUrl } : {}),
    ...extraEnv,
  };
  // The server's log stays quiet but for Tether's own lines about the SQLite writer thread (where
  // the receivers' commits run), which the ingest section reports.
  const onLine = (line: string) => {
    if (line.includes("writer thread")) appLog.push(line);
  };
  // TETHER_BENCH_CPU_PROF=<dir>: the app server (the process `next start` runs it in) writes a V8
  // CPU profile there when it stops.
  const prof = process.env.TETHER_BENCH_CPU_PROF;
  const child = prof
    ? startGroup("app", process.execPath, ["--cpu-prof", `--cpu-prof-dir=${prof}`, "node_modules/next/dist/bin/next", "start", "-p", String(APP_PORT)], { env, quiet: true, onLine })
    : startGroup("app", "node_modules/.bin/next", ["start", "-p", String(APP_PORT)], { env, quiet: true, onLine });
  await waitForUrl(`${APP}/api/health`, 60_000);
  await get("/api/health");
  return { stop: () => stopGroup(child), pgid: child.pid ?? 0 };
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
        const ingest = await webhookIngest(engine === "sqlite" ? sqliteFile : undefined);
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

/**
 * Background AWS calls with one replica and with two on one PostgreSQL database (a throwaway
 * cluster), background work on, nobody reading a page: every call counted is a job's. Each run
 * gets a new database; its replicas start together and warm up until the execution sweep has been
 * round all 600 pipelines once (a first sweep of a pipeline reads more pages than the later ones).
 * A poll lists each scope's hosts once (TETHER_MIN_REFRESH_SECONDS=0 here, so no forced refresh is
 * ever declined), so the emulator's ListHosts counter tells where the polls are: the window opens
 * when a poll's hosts are listed and closes when those of the REPLICA_WINDOW_POLLS-th poll after it
 * are, so it holds exactly that many polls' calls whatever a poll's length on this machine. Were
 * the poll to run on both replicas, the window would close twice as early with the same calls in it.
 */
const REPLICA_POLL_SECONDS = 10;
const REPLICA_SCOPES = 6;
const REPLICA_WARMUP_POLLS = 7;
const REPLICA_WINDOW_POLLS = 6;

interface ReplicaRun {
  calls: Record<string, number>;
  seconds: number;
}

async function backgroundCalls(emulatorUrl: string, clusterUrl: string, replicas: number): Promise<ReplicaRun> {
  const database = `tether_bench_replicas_${replicas}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(clusterUrl);
  url.pathname = `/${database}`;
  const env: Record<string, string> = {
    ...demoEnv({ appPort: APP_PORT, emulatorPort: EMULATOR_PORT, authSecret: randomBytes(33).toString("base64") }),
    TETHER_DATABASE_URL: url.toString(),
    TETHER_POLL_INTERVAL_SECONDS: String(REPLICA_POLL_SECONDS),
    TETHER_MIN_REFRESH_SECONDS: "0",
  };
  const flat = (s: Stats) => {
    const byOp: Record<string, number> = {};
    for (const [service, ops] of Object.entries(s.calls)) for (const [op, n] of Object.entries(ops)) byOp[`${service} ${op}`] = n;
    return byOp;
  };
  /** The emulator's counters once ListHosts reaches `hosts`. */
  const whenHosts = async (hosts: number, deadline: number) => {
    for (;;) {
      const s = await stats(emulatorUrl);
      if (count(s, "codestar-connections", "ListHosts") >= hosts) return { at: performance.now(), calls: flat(s) };
      if (Date.now() > deadline) throw new Error(`the replicas did not reach ${hosts / REPLICA_SCOPES} polls in time`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await resetStats(emulatorUrl);
  const children = Array.from({ length: replicas }, (_, i) => startGroup(`replica-${i + 1}`, "node_modules/.bin/next", ["start", "-p", String(APP_PORT + 1 + i)], { env, quiet: true }));
  try {
    for (let i = 0; i < replicas; i++) await waitForUrl(`http://127.0.0.1:${APP_PORT + 1 + i}/api/health`, 60_000);
    const deadline = Date.now() + 8 * 60_000;
    const open = await whenHosts(REPLICA_SCOPES * REPLICA_WARMUP_POLLS, deadline);
    const close = await whenHosts(REPLICA_SCOPES * (REPLICA_WARMUP_POLLS + REPLICA_WINDOW_POLLS), deadline);
    const calls: Record<string, number> = {};
    for (const [op, n] of Object.entries(close.calls)) if (n - (open.calls[op] ?? 0) > 0) calls[op] = n - (open.calls[op] ?? 0);
    return { calls, seconds: (close.at - open.at) / 1000 };
  } finally {
    for (const c of children) await stopGroup(c);
  }
}

async function replicaRuns(emulatorUrl: string): Promise<void> {
  const cluster = await startPostgres();
  try {
    const one = await backgroundCalls(emulatorUrl, cluster.url, 1);
    const two = await backgroundCalls(emulatorUrl, cluster.url, 2);
    const ops = [...new Set([...Object.keys(one.calls), ...Object.keys(two.calls)])].sort();
    const sum = (x: Record<string, number>) => Object.values(x).reduce((a, b) => a + b, 0);
    const perMinute = (r: ReplicaRun, n: number) => ((n * 60) / r.seconds).toFixed(0);
    console.log(`\nBackground AWS calls over ${REPLICA_WINDOW_POLLS} polls, one replica and two on one PostgreSQL database (large fixture, poll every ${REPLICA_POLL_SECONDS} s after the last ended, after ${REPLICA_WARMUP_POLLS} polls of warm-up; no page views)`);
    const table = [
      ["operation", "1 replica", "per minute", "2 replicas", "per minute"],
      ...ops.map((op) => [op, String(one.calls[op] ?? 0), perMinute(one, one.calls[op] ?? 0), String(two.calls[op] ?? 0), perMinute(two, two.calls[op] ?? 0)]),
      ["total", String(sum(one.calls)), perMinute(one, sum(one.calls)), String(sum(two.calls)), perMinute(two, sum(two.calls))],
      [`seconds for ${REPLICA_WINDOW_POLLS} polls`, one.seconds.toFixed(1), "", two.seconds.toFixed(1), ""],
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
    for (const r of table) console.log("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "));
  } finally {
    await cluster.stop();
  }
}

/** The server's memory: VmRSS and VmHWM (kB) of the largest process in the app's process group. */
function serverMemory(pgid: number): { pid: number; rssKb: number; hwmKb: number } {
  let best = { pid: 0, rssKb: 0, hwmKb: 0 };
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      // pgrp is the 5th field, after "pid (comm) state ppid"; comm may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const status = readFileSync(`/proc/${d}/status`, "utf8");
      const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
      const m = { pid: Number(d), rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
      if (m.rssKb > best.rssKb) best = m;
    } catch {
      // gone, or not ours
    }
  }
  return best;
}

/** Resets the process's peak RSS (VmHWM) to its current RSS (Linux: `5` into clear_refs); false when not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

const MiB = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

/** The pages the scale section times with `large` and with `org`, in the same run. */
const SCALE_PAGES: [string, string][] = [
  ["/ overview", "/"],
  ["/connections", "/connections"],
  ["/connections?status=PENDING&sort=name", "/connections?status=PENDING&sort=name"],
  ["/pending", "/pending"],
  ["/pipelines", "/pipelines"],
];
const SCALE_SAMPLES = 20;
/**
 * Listings kept 10 minutes: the renders measure rendering, not the relist that a render after the
 * TTL waits for (the first listing's figure is that cost; with the default 30 s the org renders
 * outlast it and every few of them relist 400 listings).
 */
const SCALE_ENV = { TETHER_CACHE_TTL_SECONDS: "600" };

/**
 * A fixture's scopes as organization discovery should find them (the minimums' reference): every ACTIVE account the
 * fixture knows × its enabled Regions (the defaults, then its ENABLED opt-ins), each reached
 * through its TetherReadOnly role.
 */
function orgScopes(): { scopes: { account: string; regions: string[]; roleArn: string }[]; connections: Map<string, number>; pipelines: number } {
  const f = buildFixture("org");
  const partition = f.regions?.partition ?? [];
  const scopes = f.accounts.map((account) => ({
    account,
    regions: [...partition.filter((r) => !r.optIn).map((r) => r.name), ...Object.entries(f.regions?.optIns[account] ?? {}).filter(([, s]) => s === "ENABLED").map(([r]) => r)],
    roleArn: `arn:aws:iam::${account}:role/TetherReadOnly`,
  }));
  const connections = new Map<string, number>();
  for (const c of f.connections) connections.set(c.account, (connections.get(c.account) ?? 0) + 1);
  return { scopes, connections, pipelines: f.pipelines.length };
}

/** Fills a new app's store the way a running Tether has it: a full listing, the pipeline map, one sweep of every pipeline. */
async function fillApp(pipelines: number): Promise<void> {
  const listed = await get("/connections?refresh=1");
  if (listed.status !== 200) throw new Error(`/connections answered ${listed.status}`);
  const mapped = await get("/pipelines?refresh=1");
  if (mapped.status !== 200) throw new Error(`/pipelines answered ${mapped.status}`);
  const swept = await fetch(`${APP}/api/pipelines/sweep?limit=${pipelines}`, { method: "POST", headers: adminHeader });
  if (!swept.ok) throw new Error(`the sweep answered ${swept.status}`);
}

/** One export: time, size, whether it came with a Content-Length (built whole) or chunked, and the server's peak RSS while it ran. */
async function exportRun(pgid: number, format: "json" | "csv") {
  const before = serverMemory(pgid);
  const reset = resetPeak(before.pid);
  const t0 = performance.now();
  const res = await fetch(`${APP}/api/connections?format=${format}`, { headers: authHeader });
  let firstByteMs = 0;
  let bytes = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
    if (chunk.done) break;
    if (bytes === 0) firstByteMs = performance.now() - t0;
    bytes += chunk.value.byteLength;
  }
  const ms = performance.now() - t0;
  const after = serverMemory(pgid);
  return { status: res.status, ms, firstByteMs, bytes, contentLength: res.headers.get("content-length"), chunked: res.headers.get("transfer-encoding") === "chunked", rssBefore: before.rssKb, peak: after.hwmKb, peakReset: reset };
}

/**
 * `--only scale` (issue 20): the fleet of a large company. The same pages with `large` (2 accounts,
 * 1,500 connections, 600 pipelines) and with `org` (99 ACTIVE accounts × 3 enabled Regions, 10,000
 * connections, 300 hosts, 3,000 pipelines), each app on a new SQLite database filled the same way;
 * the first full listing of the organization (wall time, calls against the minimum, the overview
 * while it runs); the export of 10,000 rows and the server's memory. The accounts are found by
 * organization discovery (TETHER_ORGANIZATION, run on first use); the minimums are computed from the
 * fixture's own accounts and Regions (`orgScopes`), so a discovery that found other scopes shows.
 */
async function scaleRun(emulatorUrl: string, running?: { stop: () => Promise<void> }): Promise<void> {
  await running?.stop();
  const seed = (fixture: string) => fetch(`${emulatorUrl}/_emulator/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fixture }) });
  const files: string[] = [];
  const times: Record<string, string[][]> = {};
  const load = () => os.loadavg().map((x) => x.toFixed(1)).join(", ");
  const loadBefore = load();
  try {
    // 1. `large`: the reference pages.
    if (!(await seed("large")).ok) throw new Error("seeding large failed");
    files.push(`.data/bench-scale-large-${Date.now()}.db`);
    let app = await launchApp({ sqlite: files[files.length - 1] as string }, undefined, SCALE_ENV);
    try {
      await fillApp(600);
      times.large = [];
      for (const [label, path] of SCALE_PAGES) await timed(label, path, SCALE_SAMPLES, times.large);
    } finally {
      await app.stop();
    }

    // 2. `org`: the first full listing, with the overview asked for while it runs.
    const org = orgScopes();
    if (!(await seed("org")).ok) throw new Error("seeding org failed");
    files.push(`.data/bench-scale-org-${Date.now()}.db`);
    // The accounts come from organization discovery, as a large company would configure Tether.
    app = await launchApp({ sqlite: files[files.length - 1] as string }, undefined, { ...SCALE_ENV, TETHER_SCOPES: "", TETHER_ORGANIZATION: JSON.stringify({ roleName: "TetherReadOnly" }) });
    try {
      await resetStats(emulatorUrl);
      const t0 = performance.now();
      let listingDone = false;
      const listing = get("/connections").finally(() => (listingDone = true));
      // The overview while the listing runs: what its first 3 s of HTML say.
      const seen: string[] = [];
      await new Promise((r) => setTimeout(r, 500));
      while (!listingDone) {
        const ctl = new AbortController();
        const started = performance.now();
        let html = "";
        try {
          const res = await fetch(`${APP}/`, { headers: authHeader, signal: ctl.signal });
          const reader = res.body?.getReader();
          const timer = setTimeout(() => ctl.abort(), 3000);
          try {
            for (;;) {
              const c = reader ? await reader.read() : { done: true as const, value: undefined };
              if (c.done) break;
              html += new TextDecoder().decode(c.value);
            }
          } finally {
            clearTimeout(timer);
          }
        } catch {
          // aborted: what arrived in 3 s is what a viewer sees
        }
        const progress = /data-testid="listing-progress"[^>]*>([^<]*)</.exec(html)?.[1];
        const text = progress ? progress.replaceAll("&#x27;", "'").trim() : html.includes('data-testid="total-connections"') ? "the full overview" : "no progress shown (a skeleton)";
        seen.push(`${((started - t0) / 1000).toFixed(1)} s: ${text}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      const first = await listing;
      const firstMs = performance.now() - t0;
      if (first.status !== 200) throw new Error(`/connections answered ${first.status}`);
      const s1 = await stats(emulatorUrl);
      const minConnections = [...org.connections.values()].reduce((n, c) => n + Math.ceil(c / 100), 0);
      const scopeCount = org.scopes.reduce((n, s) => n + s.regions.length, 0);
      console.log(`\nScale: the org fixture (${org.scopes.length} ACTIVE accounts × their 3 enabled Regions = ${scopeCount} scopes, ${[...org.connections.values()].reduce((a, b) => a + b, 0)} connections, ${org.pipelines} pipelines), the accounts and their Regions found by organization discovery (TETHER_ORGANIZATION)`);
      console.log(`  first full listing (GET /connections on a new server, discovery first, overview polled alongside): ${(firstMs / 1000).toFixed(1)} s`);
      const discovery = ["organizations", "account"].reduce((n, svc) => n + Object.values(s1.calls[svc] ?? {}).reduce((a, b) => a + b, 0), 0);
      console.log(`    discovery: ${Object.entries(s1.calls).filter(([svc]) => svc === "organizations" || svc === "account").flatMap(([svc, ops]) => Object.entries(ops).map(([op, n]) => `${svc}:${op} ${n}`)).join(", ")} (${discovery} calls)`);
      console.log(`    ListConnections ${count(s1, "codestar-connections", "ListConnections")} (minimum Σ per account ⌈n/100⌉ = ${minConnections}), ListHosts ${count(s1, "codestar-connections", "ListHosts")} (minimum ${scopeCount}, one per scope), AssumeRole ${count(s1, "sts", "AssumeRole")} (minimum ${org.scopes.length}, one per account), all calls ${total(s1)}`);
      console.log(`    by operation: ${Object.entries(s1.calls).flatMap(([svc, ops]) => Object.entries(ops).map(([op, n]) => `${svc}:${op} ${n}`)).join(", ")}`);
      console.log(`    the overview meanwhile: ${seen.join(" | ") || "(the listing ended before the first look)"}`);
      const afterListing = serverMemory(app.pgid);
      console.log(`  server RSS after the full listing: ${MiB(afterListing.rssKb)} (peak so far ${MiB(afterListing.hwmKb)}; pid ${afterListing.pid})`);

      // The pipeline map and one sweep of every pipeline.
      await resetStats(emulatorUrl);
      let t = performance.now();
      const mapped = await get("/pipelines?refresh=1");
      if (mapped.status !== 200) throw new Error(`/pipelines answered ${mapped.status}`);
      const mapMs = performance.now() - t;
      const s2 = await stats(emulatorUrl);
      await resetStats(emulatorUrl);
      t = performance.now();
      const swept = await fetch(`${APP}/api/pipelines/sweep?limit=${org.pipelines}`, { method: "POST", headers: adminHeader });
      if (!swept.ok) throw new Error(`the sweep answered ${swept.status}`);
      const sweepMs = performance.now() - t;
      const s3 = await stats(emulatorUrl);
      console.log(`  pipeline map, first build: ${(mapMs / 1000).toFixed(1)} s, ListPipelines ${count(s2, "codepipeline", "ListPipelines")} (minimum ${scopeCount}), GetPipeline ${count(s2, "codepipeline", "GetPipeline")} (one per pipeline: ${org.pipelines}), AssumeRole ${count(s2, "sts", "AssumeRole")} (0: credentials live on)`);
      console.log(`  sweep of all ${org.pipelines}: ${(sweepMs / 1000).toFixed(1)} s, ListPipelineExecutions ${count(s3, "codepipeline", "ListPipelineExecutions")}`);

      // 3. Pages.
      await resetStats(emulatorUrl);
      times.org = [];
      for (const [label, path] of SCALE_PAGES) await timed(label, path, SCALE_SAMPLES, times.org);
      const s4 = await stats(emulatorUrl);
      console.log(`  AWS calls during the ${SCALE_PAGES.length * SCALE_SAMPLES} page renders: ${total(s4)}`);
      console.log(`\n  p50 / p95 ms of ${SCALE_SAMPLES} sequential renders, large then org, same run (budget: org p50 ≤ 2 × large p50)`);
      const table = [["page", "large p50", "p95", "size", "org p50", "p95", "size", "org / large"]];
      for (const [i, [label]] of SCALE_PAGES.entries()) {
        const l = times.large?.[i] ?? [];
        const o = times.org?.[i] ?? [];
        const ratio = Number(o[2]) / Number(l[2]);
        table.push([label, l[2] ?? "", l[3] ?? "", l[5] ?? "", o[2] ?? "", o[3] ?? "", o[5] ?? "", `${ratio.toFixed(2)}${ratio <= 2 ? "" : " (over)"}`]);
      }
      const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
      for (const r of table) console.log("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "));

      // 4. The export of every row.
      console.log("\n  GET /api/connections, every row (the server's peak RSS during it: VmHWM after resetting it)");
      for (const format of ["json", "csv"] as const) {
        const e = await exportRun(app.pgid, format);
        if (e.status !== 200) throw new Error(`the ${format} export answered ${e.status}`);
        // Next sends any body chunked, a string built whole too: what tells a stream is the first byte
        // arriving long before the last, and the peak staying near the RSS before.
        console.log(`    ${format}: ${(e.bytes / 1048576).toFixed(1)} MiB in ${e.ms.toFixed(0)} ms, first byte at ${e.firstByteMs.toFixed(0)} ms (${((e.firstByteMs / e.ms) * 100).toFixed(0)}%), ${e.contentLength ? `Content-Length ${e.contentLength}` : e.chunked ? "Transfer-Encoding chunked" : "no length"}; RSS ${MiB(e.rssBefore)} before, peak ${MiB(e.peak)} (${e.peak >= e.rssBefore ? "+" : "−"}${MiB(Math.abs(e.peak - e.rssBefore))})${e.peakReset ? "" : " (peak since start: clear_refs refused)"}`);
      }
      const rows = ((await (await fetch(`${APP}/api/connections`, { headers: authHeader })).json()) as { connections: unknown[] }).connections.length;
      console.log(`    rows: ${rows}`);
      const end = serverMemory(app.pgid);
      console.log(`  server RSS at the end: ${MiB(end.rssKb)}, peak since start ${MiB(end.hwmKb)}`);
    } finally {
      await app.stop();
    }
  } finally {
    console.log(`  machine load (1, 5, 15 min, ${os.cpus().length} cores): ${loadBefore} before, ${load()} after`);
    await seed("large");
    for (const f of files) for (const suffix of ["", "-wal", "-shm"]) if (existsSync(`${f}${suffix}`)) rmSync(`${f}${suffix}`, { force: true });
  }
}

async function main() {
  // A server left on the port (another run's) would answer in this one's place.
  const stale = await fetch(`${APP}/api/health`).then(
    () => true,
    () => false,
  );
  if (stale) throw new Error(`something already answers on ${APP}: stop it, or move the bench with TETHER_BENCH_APP_PORT`);
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
      const ingest = await webhookIngest(databasePath);
      console.log(`\nWebhook ingest (GitHub push deliveries, ~2.5 KB each, 16 concurrent, signed; median of ${ROUNDS} rounds of 2,000, alternating${SLICE < 2000 ? ` every ${SLICE}` : ""}, same run)`);
      console.log(`  Tether POST /api/webhooks/github (verify + parse + commit at synchronous=FULL before the 202): ${ingest.tether.toFixed(0)} deliveries/s`);
      console.log(`  a Next route that does nothing (GET /api/health, outside the proxy):                       ${ingest.ceiling.toFixed(0)} requests/s`);
      console.log(`  a bare node:http server doing only the HMAC check:                                         ${ingest.bare.toFixed(0)} deliveries/s`);
      console.log(`  Tether / do-nothing route: ${(ingest.tether / ingest.ceiling).toFixed(2)} (goal ≥ 0.7); Tether / bare: ${(ingest.tether / ingest.bare).toFixed(2)} (goal ≥ 0.3)`);
      ingest.rounds.forEach((r, i) => console.log(`  round ${i + 1}: Tether ${r.tether.toFixed(0)}, do-nothing ${r.ceiling.toFixed(0)}, bare ${r.bare.toFixed(0)} (Tether / do-nothing ${(r.tether / r.ceiling).toFixed(2)})`));
      const fmt = (l: number[]) => l.map((x) => x.toFixed(1)).join(", ");
      console.log(`  machine load (1, 5, 15 min averages, ${os.cpus().length} cores): ${fmt(ingest.load.before)} before the rounds, ${fmt(ingest.load.after)} after`);
      const w = (xs: number[]) => {
        const s = summary(xs);
        return `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (n ${xs.length})`;
      };
      const o = ingest.otherWriter;
      if (o) console.log(`  another connection's write transaction (BEGIN IMMEDIATE … COMMIT): receivers idle ${w(o.idle)}; during a Tether round ${w(o.busy)}; deliveries of that round not answered 202: ${[...o.failures].map(([status, n]) => `${n} × ${status}`).join(", ") || "none"}`);
      console.log(`  the server's log on the writer thread: ${appLog.length ? appLog.join(" | ") : "nothing (the receivers committed on the main connection)"}`);
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
    else if (want("replicas")) await app.stop();
    if (want("replicas")) await replicaRuns(emulator.url);
    // Last of all: it stops whatever app runs, and reseeds the emulator with `org`.
    if (want("scale")) await scaleRun(emulator.url, want("engines") || want("replicas") ? undefined : app);
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
