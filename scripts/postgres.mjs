#!/usr/bin/env node
// A throwaway PostgreSQL cluster for the tests (and for trying Tether on PostgreSQL by hand):
// initdb + pg_ctl in a fresh temporary folder, listening on a free port of 127.0.0.1 only, its unix
// socket in that folder, trust authentication for local connections only. stop() (also run when
// the process exits or is interrupted) stops it with `pg_ctl stop -m fast` and removes the folder.
//
//   import { startPostgres } from "./scripts/postgres.mjs";
//   const pg = await startPostgres(); … pg.url … ; await pg.stop();
//
//   node scripts/postgres.mjs        starts one, prints its URL, stops it on Ctrl-C
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const INSTALL_HINT = "apt-get install -y postgresql (Debian/Ubuntu), or set TETHER_TEST_DATABASE_URL to a PostgreSQL server whose user may CREATE DATABASE";

/** The folder holding initdb, pg_ctl and postgres: Debian's /usr/lib/postgresql/<newest>/bin, else PATH. */
export function findPostgresBin() {
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v) && existsSync(path.join(debian, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debian, versions[0], "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on PATH: ${INSTALL_HINT}`);
}

/** A TCP port of 127.0.0.1 that nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a PostgreSQL program. PostgreSQL refuses to run as root, so root runs it as the `postgres`
 * user (the Debian package creates it).
 */
function runAs(asPostgres, bin, program, args) {
  const [cmd, argv] = asPostgres ? ["runuser", ["-u", "postgres", "--", path.join(bin, program), ...args]] : [path.join(bin, program), args];
  const r = spawnSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.error) throw new Error(`${program}: ${r.error.message}`);
  return r;
}

function tail(file, lines = 20) {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Starts a cluster. Returns its `url` (superuser `postgres`, database `postgres`), `dir`, `port`,
 * and `stop()`. `quiet: false` prints where it runs; `fast: true` gives up durability for speed
 * (test suites only).
 * @param {{ quiet?: boolean, fast?: boolean }} [opts]
 * @returns {Promise<{ url: string, dir: string, port: number, stop: () => Promise<void> }>}
 */
export async function startPostgres(opts = {}) {
  const bin = findPostgresBin();
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), "tether-pg-"));
  const data = path.join(dir, "data");
  const log = path.join(dir, "postgres.log");
  let running = false;

  const stopSync = () => {
    if (running) {
      running = false;
      runAs(asPostgres, bin, "pg_ctl", ["stop", "-D", data, "-m", "fast", "-w", "-t", "30"]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const onExit = () => stopSync();
  const onSignal = (signal) => {
    stopSync();
    forget();
    // Nobody else handles the signal: end the process as the signal would have.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const forget = () => {
    process.off("exit", onExit);
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.off(s, onSignal);
  };
  process.on("exit", onExit);
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(s, onSignal);

  try {
    if (asPostgres) {
      try {
        execFileSync("id", ["-u", "postgres"], { stdio: "ignore" });
      } catch {
        throw new Error(`running as root, and there is no postgres user to run PostgreSQL as: ${INSTALL_HINT}`);
      }
      chownSync(dir, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()), Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()));
    }
    // The default collation is ICU en-US on purpose: it orders text unlike SQLite, so a query that
    // forgets the schema's COLLATE "C" (byte order, as SQLite) fails the tests instead of production.
    const init = runAs(asPostgres, bin, "initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US", "--no-instructions"]);
    if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}):\n${init.stderr || init.stdout}`);

    // `fast` (the test suites): no fsync, no full-page writes, no waiting for the WAL flush at
    // commit. Every test store is a CREATE DATABASE (and a DROP at the end) that otherwise waits on
    // disk flushes: the end of a Vitest run (dropping the run's databases) went from 37 s to 13 s.
    // A crash of the machine loses the cluster, which is thrown away anyway. The demo and the
    // benchmark keep a durable cluster: the benchmark compares engines at their real cost.
    // A port found free can be taken before the server binds it: try a few.
    let lastError = "";
    for (let attempt = 0; attempt < 5 && !running; attempt++) {
      const port = await freePort();
      const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=200 -c shared_buffers=32MB${opts.fast ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : ""}`;
      const start = runAs(asPostgres, bin, "pg_ctl", ["start", "-D", data, "-l", log, "-w", "-t", "60", "-o", options]);
      if (start.status === 0) {
        running = true;
        const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
        if (opts.quiet === false) console.log(`postgres: ${url} (data in ${dir})`);
        return {
          url,
          dir,
          port,
          stop: async () => {
            stopSync();
            forget();
          },
        };
      }
      lastError = `pg_ctl start failed (exit ${start.status}):\n${start.stderr || start.stdout}\n${tail(log)}`;
    }
    throw new Error(lastError);
  } catch (e) {
    stopSync();
    forget();
    throw e;
  }
}

// CLI: start one and keep it until Ctrl-C.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  startPostgres({ quiet: false })
    .then((pg) => {
      console.log(`TETHER_DATABASE_URL=${pg.url}\nCtrl-C stops it and removes ${pg.dir}.`);
      setInterval(() => {}, 1 << 30);
    })
    .catch((e) => {
      console.error(`postgres: ${e instanceof Error ? e.message : e}`);
      process.exit(1);
    });
}
