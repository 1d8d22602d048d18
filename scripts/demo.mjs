#!/usr/bin/env node
// `npm run demo`: the emulator (AWS + identity provider + console pages) and the production
// build of the app with demo data, at http://localhost:3000. Ctrl-C stops everything.
// `npm run demo -- --replicas 2`: a throwaway PostgreSQL (or TETHER_DATABASE_URL's), that many app
// replicas on the ports after 3000, and a round-robin proxy on 3000 in front of them, so one can be
// killed (its process group, printed) while the other takes its background jobs over.
import net from "node:net";
import path from "node:path";
import { demoAuthSecret, demoEnv, DEMO_PASSWORD } from "./demo-env.mjs";
import { buildIfStale } from "./build-if-stale.mjs";
import { startGroup, stopAll, waitForUrl } from "./procs.mjs";
import { startPostgres } from "./postgres.mjs";
import { startRoundRobin } from "./round-robin.mjs";

const APP_PORT = Number(process.env.TETHER_DEMO_APP_PORT ?? 3000);
const EMULATOR_PORT = Number(process.env.TETHER_DEMO_EMULATOR_PORT ?? 4566);
const bin = (name) => path.join("node_modules", ".bin", name);

/** `--replicas N` (1 by default: one app on SQLite, no proxy). */
function replicasArg(argv) {
  const i = argv.indexOf("--replicas");
  if (i === -1) return 1;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 8) {
    console.error(`demo: --replicas takes a whole number from 1 to 8 (got ${argv[i + 1] ?? "nothing"})`);
    process.exit(1);
  }
  return n;
}
const REPLICAS = replicasArg(process.argv.slice(2));
/** Cleanup that is not a process group (the throwaway PostgreSQL, the proxy). */
const cleanups = [];

function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

async function main() {
  const replicaPorts = REPLICAS > 1 ? Array.from({ length: REPLICAS }, (_, i) => APP_PORT + 1 + i) : [];
  for (const [port, what] of [
    [APP_PORT, REPLICAS > 1 ? "the round-robin proxy" : "the app"],
    [EMULATOR_PORT, "the emulator"],
    ...replicaPorts.map((p, i) => [p, `replica ${i + 1}`]),
  ]) {
    if (await portInUse(port)) {
      console.error(`demo: port ${port} (for ${what}) is already in use; stop whatever holds it (ss -ltnp 'sport = :${port}') and retry`);
      process.exit(1);
    }
  }
  if (!buildIfStale("demo")) {
    console.error("demo: next build failed; see the output above");
    process.exit(1);
  }

  // The demo's own AUTH_SECRET, generated on first run next to its database (.data/, git-ignored).
  const env = demoEnv({ appPort: APP_PORT, emulatorPort: EMULATOR_PORT, authSecret: demoAuthSecret(".data") });
  startGroup("emulator", bin("tsx"), ["emulator/main.ts", "--port", String(EMULATOR_PORT), "--fixture", "demo", "--app-url", `http://localhost:${APP_PORT}`, "--pushes-per-minute", process.env.TETHER_DEMO_PUSHES_PER_MINUTE ?? "2", "--status-flip-minutes", process.env.TETHER_DEMO_STATUS_FLIP_MINUTES ?? "3"], { env });
  await waitForUrl(`http://127.0.0.1:${EMULATOR_PORT}/_emulator/health`, 30_000);
  if (REPLICAS === 1) {
    startGroup("app", bin("next"), ["start", "-p", String(APP_PORT)], { env });
    await waitForUrl(`http://localhost:${APP_PORT}/api/health`, 60_000);
    console.log(`
  Tether demo is up: http://localhost:${APP_PORT}
    sign in as alice (admin) or bob (viewer), password ${DEMO_PASSWORD}
    alerts: docs-site-github turns ERROR and back every ${process.env.TETHER_DEMO_STATUS_FLIP_MINUTES ?? "3"} min (TETHER_DEMO_STATUS_FLIP_MINUTES); what the channels got: curl http://127.0.0.1:${EMULATOR_PORT}/_emulator/sinks/slack
    events: curl http://127.0.0.1:${EMULATOR_PORT}/_emulator/event-buses/tether-demo/events (status changes, alert transitions)
    emulated AWS at http://127.0.0.1:${EMULATOR_PORT} (try: AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url http://127.0.0.1:${EMULATOR_PORT} --region us-east-1 codestar-connections list-connections)
  Ctrl-C stops everything.
`);
    return;
  }

  // Several replicas share one PostgreSQL database (SQLite is one process) and one AUTH_SECRET;
  // AUTH_URL stays the proxy's, the public URL.
  let databaseUrl = process.env.TETHER_DATABASE_URL;
  if (!databaseUrl) {
    const cluster = await startPostgres();
    cleanups.push(cluster.stop);
    databaseUrl = cluster.url;
  }
  const replicas = [];
  for (const [i, port] of replicaPorts.entries()) {
    const name = `replica-${i + 1}`;
    const child = startGroup(name, bin("next"), ["start", "-p", String(port)], { env: { ...env, TETHER_DATABASE_URL: databaseUrl } });
    // One after the other, so the first takes the background jobs' leases and the demo's log says where they run.
    await waitForUrl(`http://127.0.0.1:${port}/api/health`, 60_000);
    replicas.push({ name, port, pid: child.pid });
  }
  const proxy = await startRoundRobin({ port: APP_PORT, backends: replicas, log: (line) => console.log(line) });
  cleanups.push(proxy.close);
  console.log(`
  Tether demo is up with ${REPLICAS} replicas behind a round-robin proxy: http://localhost:${APP_PORT}
    sign in as alice (admin) or bob (viewer), password ${DEMO_PASSWORD}
    store: PostgreSQL ${process.env.TETHER_DATABASE_URL ? "at TETHER_DATABASE_URL" : "(a throwaway cluster, removed on exit)"}
${replicas.map((r) => `    ${r.name}: http://localhost:${r.port}  (kill it: kill -9 -- -${r.pid})`).join("\n")}
    the log says which replica runs each background job ("this replica runs it now"); kill that one and
    another takes its jobs over within TETHER_LEASE_SECONDS (30) and a third of it
  Ctrl-C stops everything.
`);
}

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await stopAll();
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(`demo: ${e instanceof Error ? e.message : e}`));
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

main().catch(async (e) => {
  console.error(`demo: ${e instanceof Error ? e.message : e}`);
  await shutdown(1);
});
