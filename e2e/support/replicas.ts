import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { startRoundRobin } from "../../scripts/round-robin.mjs";
import { appEnv } from "./app-env";
import { childEnv, LOG_DIR, NEXT_START_ARGS, running, signalGroup, waitForFreePort, waitForHealth, type AppServer } from "./app-server";
import { APP_ORIGIN, E2E_APP_PORT } from "./ports";

/**
 * Several Tether replicas (`next start` each, in its own process group, on a free port) on one
 * PostgreSQL database, behind the round-robin proxy of `npm run demo -- --replicas N`
 * (scripts/round-robin.mjs) on the app's port: the emulator's OIDC client and push simulator reach
 * the replicas through it, as users reach a deployment through its load balancer.
 */
export interface Replica {
  name: string;
  port: number;
  origin: string;
  log: string;
  tail(lines?: number): string;
  /** SIGKILL to its process group: the replica dies without releasing anything. */
  kill(): Promise<void>;
  /** Resolves once its log has a line matching `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export interface ReplicaStack extends AppServer {
  replicas: Replica[];
  /** Every request through the proxy to one replica (by name), or round robin again (null). */
  pin(name: string | null): void;
}

/** Background jobs the first replica takes before the next one starts (their leases' names). */
const JOBS = ["watches", "poll", "latency cycle"];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startReplica(name: string, env: NodeJS.ProcessEnv, samePort?: number): Promise<Replica> {
  const port = samePort ?? (await freePort());
  mkdirSync(LOG_DIR, { recursive: true });
  const log = path.join(LOG_DIR, `${name}.log`);
  // A restarted replica (same port) appends to its log.
  const out = createWriteStream(log, { flags: samePort === undefined ? "w" : "a" });
  const child: ChildProcess = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port), ...NEXT_START_ARGS], { detached: true, stdio: ["ignore", "pipe", "pipe"], env });
  running.add(child);
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => running.delete(child));
  const tail = (lines = 40) => {
    try {
      return readFileSync(log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(child, "SIGKILL");
      await exited;
    }
    await waitForFreePort(port, 10_000).catch(() => undefined);
    out.end();
  };
  const waitForLog = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(tail(100_000))) {
      if (Date.now() > deadline) throw new Error(`${name}'s log has no line matching ${pattern} after ${timeoutMs / 1000} s:\n${tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await waitForHealth(`http://127.0.0.1:${port}/api/health`, 60_000, () => child.exitCode !== null);
  } catch (e) {
    await kill();
    throw new Error(`replica ${name} did not start: ${e instanceof Error ? e.message : String(e)}\n${tail()}`);
  }
  return { name, port, origin: `http://localhost:${port}`, log, tail, kill, waitForLog };
}

/**
 * `count` replicas on `postgresUrl`, started one after the other: the first has taken every
 * background job's lease before the second starts, so a spec knows where the jobs run.
 * `extraEnv`: settings of this stack (a short lease, a fast poll).
 */
export async function startReplicas(name: string, opts: { postgresUrl: string; count: number; extraEnv?: Record<string, string> }): Promise<ReplicaStack> {
  await waitForFreePort(E2E_APP_PORT, 30_000);
  const authSecret = process.env.TETHER_E2E_AUTH_SECRET;
  if (!authSecret) throw new Error("TETHER_E2E_AUTH_SECRET is not set (playwright.config.ts sets it)");
  // The SQLite path is never read: every replica is on PostgreSQL.
  const env = { ...childEnv(appEnv("/nonexistent/unused.db", authSecret), opts.postgresUrl), ...opts.extraEnv };
  const replicas: Replica[] = [];
  let proxy: Awaited<ReturnType<typeof startRoundRobin>> | null = null;
  const stop = async () => {
    await proxy?.close();
    for (const r of replicas) await r.kill();
  };
  try {
    for (let i = 0; i < opts.count; i++) {
      const replica = await startReplica(`${name}-${String.fromCharCode(97 + i)}`, env);
      replicas.push(replica);
      if (i === 0) for (const job of JOBS) await replica.waitForLog(new RegExp(`\\[tether\\] ${job}: this replica runs it now`));
    }
    proxy = await startRoundRobin({ port: E2E_APP_PORT, backends: replicas.map((r) => ({ name: r.name, port: r.port })) });
  } catch (e) {
    await stop();
    throw e;
  }
  const p = proxy;
  return {
    origin: APP_ORIGIN,
    database: opts.postgresUrl,
    log: replicas[0]?.log ?? "",
    tail: (lines = 40) => replicas.map((r) => `── ${r.name} ──\n${r.tail(lines)}`).join("\n"),
    stop,
    // A rolling restart, as a deployment does: each replica is stopped and started again on its port.
    restart: async () => {
      for (const [i, r] of replicas.entries()) {
        await r.kill();
        replicas[i] = await startReplica(r.name, env, r.port);
      }
    },
    replicas,
    pin: (n) => p.pin(n),
  };
}
