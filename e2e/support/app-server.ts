import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { appEnv } from "./app-env";
import { APP_ORIGIN, E2E_APP_PORT } from "./ports";

/**
 * One Tether app (`next start` of the production build) with a database of its own: a spec file
 * starts one, and stops it before the next file starts its own on the same port (see the isolation
 * note in playwright.config.ts).
 */
export interface AppServer {
  origin: string;
  /** The SQLite file, or the PostgreSQL URL (through the file's relay) the app was given. */
  database: string;
  /** Where the app's stdout and stderr go. */
  log: string;
  /** The last lines of the log (attached to a failed test). */
  tail(lines?: number): string;
  stop(): Promise<void>;
  /**
   * Stops the app (SIGTERM to its process group, as a deployment would) and starts it again on the
   * same port with the same database: what a restart does to state kept in the store.
   */
  restart(): Promise<void>;
}

export const LOG_DIR = ".test-results/e2e-apps";

/**
 * `next start --keepAliveTimeout`: longer than any spec file's app lives. Node closes a kept-alive
 * socket after 5 s idle by default, and a test's request context (Playwright keeps its sockets)
 * that sent a request just as the server closed it got `read ECONNRESET` (seen on an alert's
 * POST in alerts.spec.ts); no idle socket is closed under a test now.
 */
export const NEXT_START_ARGS = ["--keepAliveTimeout", String(10 * 60_000)];
export const running = new Set<ChildProcess>();

// A worker that exits without tearing its fixtures down must not leave a server on the port.
process.on("exit", () => {
  for (const child of running) signalGroup(child, "SIGKILL");
});

/**
 * Each line prefixed with the seconds since `since` (`[+12.3s] `): the log of a failed test says
 * when the app did what, next to the test's own trace.
 */
function stamped(since: number): Transform {
  let atLineStart = true;
  const decoder = new StringDecoder("utf8");
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const stamp = `[+${((Date.now() - since) / 1000).toFixed(1)}s] `;
      let text = "";
      for (const ch of decoder.write(chunk).split(/(?<=\n)/)) {
        text += (atLineStart ? stamp : "") + ch;
        atLineStart = ch.endsWith("\n");
      }
      done(null, text);
    },
  });
}

/**
 * `name` names the log (and the SQLite file); `file` is the spec file's name, for its own settings
 * (FILE_ENV); `postgresUrl`: the app runs on that PostgreSQL database instead of a SQLite file.
 */
export async function startApp(name: string, opts: { file?: string; postgresUrl?: string } = {}): Promise<AppServer> {
  await waitForFreePort(E2E_APP_PORT, 30_000);
  const dir = path.join(os.tmpdir(), `tether-e2e-${process.env.TETHER_E2E_RUN_ID ?? process.pid}`);
  mkdirSync(dir, { recursive: true });
  const sqliteFile = path.join(dir, `${name}.db`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
  const database = opts.postgresUrl ?? sqliteFile;
  mkdirSync(LOG_DIR, { recursive: true });
  const log = path.join(LOG_DIR, `${name}.log`);
  const out = createWriteStream(log, { flags: "w" });
  // Every line of the log says when it came, in seconds since the file's app was first started.
  const started = Date.now();
  const authSecret = process.env.TETHER_E2E_AUTH_SECRET;
  if (!authSecret) throw new Error("TETHER_E2E_AUTH_SECRET is not set (playwright.config.ts sets it)");

  const tail = (lines = 40) => {
    try {
      return readFileSync(log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  };

  /** One `next start` on the file's database; its stop keeps the database. */
  const launch = async () => {
    // Its own process group: `next start` forks the server, and stopping must stop both.
    const child = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(E2E_APP_PORT), ...NEXT_START_ARGS], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: childEnv(appEnv(sqliteFile, authSecret, opts.file ?? name), opts.postgresUrl),
    });
    running.add(child);
    child.stdout?.pipe(stamped(started)).pipe(out, { end: false });
    child.stderr?.pipe(stamped(started)).pipe(out, { end: false });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.once("exit", () => running.delete(child));
    const halt = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup(child, "SIGTERM");
        const killed = setTimeout(() => signalGroup(child, "SIGKILL"), 5_000);
        await exited;
        clearTimeout(killed);
      }
      // The forked server may outlive the parent for a moment: the port must be free for the next start.
      await waitForFreePort(E2E_APP_PORT, 10_000).catch(() => signalGroup(child, "SIGKILL"));
    };
    try {
      await waitForHealth(`${APP_ORIGIN}/api/health`, 60_000, () => child.exitCode !== null);
    } catch (e) {
      await halt();
      throw new Error(`the app for ${name} did not start: ${e instanceof Error ? e.message : String(e)}\n${tail()}`);
    }
    return halt;
  };

  let halt: (() => Promise<void>) | null = null;
  const stop = async () => {
    await halt?.();
    halt = null;
    out.end();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(sqliteFile + suffix, { force: true });
  };
  try {
    halt = await launch();
  } catch (e) {
    await stop();
    throw e;
  }
  const restart = async () => {
    await halt?.();
    out.write(`\n--- restarted by the test at ${new Date().toISOString()} ---\n`);
    halt = await launch();
  };
  return { origin: APP_ORIGIN, database, log, tail, stop, restart };
}

/** The app's environment: the runner's, the file's, and the engine chosen here (never the runner's own TETHER_DATABASE_URL). */
export function childEnv(app: Record<string, string>, postgresUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...app };
  if (postgresUrl) env.TETHER_DATABASE_URL = postgresUrl;
  else delete env.TETHER_DATABASE_URL;
  return env;
}

export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function waitForFreePort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await portInUse(port)) {
    if (Date.now() > deadline) throw new Error(`port ${port} is still in use (ss -ltnp 'sport = :${port}')`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitForHealth(url: string, timeoutMs: number, gone: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (gone()) throw new Error("the process exited");
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (${last})`);
}
