#!/usr/bin/env node
// `npm run demo`: the emulator (AWS + identity provider + console pages) and the production
// build of the app with demo data, at http://localhost:3000. Ctrl-C stops everything.
import net from "node:net";
import path from "node:path";
import { demoAuthSecret, demoEnv, DEMO_PASSWORD } from "./demo-env.mjs";
import { buildIfStale } from "./build-if-stale.mjs";
import { startGroup, stopAll, waitForUrl } from "./procs.mjs";

const APP_PORT = Number(process.env.TETHER_DEMO_APP_PORT ?? 3000);
const EMULATOR_PORT = Number(process.env.TETHER_DEMO_EMULATOR_PORT ?? 4566);
const bin = (name) => path.join("node_modules", ".bin", name);

function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

async function main() {
  for (const [port, what] of [
    [APP_PORT, "the app"],
    [EMULATOR_PORT, "the emulator"],
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
  startGroup("app", bin("next"), ["start", "-p", String(APP_PORT)], { env });
  await waitForUrl(`http://localhost:${APP_PORT}/api/health`, 60_000);

  console.log(`
  Tether demo is up: http://localhost:${APP_PORT}
    sign in as alice (admin) or bob (viewer), password ${DEMO_PASSWORD}
    alerts: docs-site-github turns ERROR and back every ${process.env.TETHER_DEMO_STATUS_FLIP_MINUTES ?? "3"} min (TETHER_DEMO_STATUS_FLIP_MINUTES); what the channels got: curl http://127.0.0.1:${EMULATOR_PORT}/_emulator/sinks/slack
    emulated AWS at http://127.0.0.1:${EMULATOR_PORT} (try: AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url http://127.0.0.1:${EMULATOR_PORT} --region us-east-1 codestar-connections list-connections)
  Ctrl-C stops everything.
`);
}

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await stopAll();
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

main().catch(async (e) => {
  console.error(`demo: ${e instanceof Error ? e.message : e}`);
  await shutdown(1);
});
