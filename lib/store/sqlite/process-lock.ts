import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError } from "@/lib/env";

/**
 * SQLite serves one Tether process: two servers on one file would each poll AWS, publish the same
 * metric values twice and race each other's watches (several replicas need PostgreSQL). A server
 * takes `<database>.lock` (its pid and host) when it opens the store; a second server finds it held
 * by a live process and refuses to start, saying why. A lock left by a process that is gone (a
 * crash, SIGKILL) is taken over; the lock is removed when the process exits.
 */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function mtimeMs(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function readOwner(lockFile: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(lockFile, "utf8")) as Partial<LockOwner>;
    return typeof owner.pid === "number" && typeof owner.host === "string" ? { pid: owner.pid, host: owner.host, since: String(owner.since ?? "") } : null;
  } catch {
    return null;
  }
}

/** Takes the lock of `databaseFile` for this process, or throws a ConfigError naming its holder. */
export function lockDatabaseFile(databaseFile: string): void {
  if (databaseFile === ":memory:") return;
  const lockFile = `${path.resolve(databaseFile)}.lock`;
  if (held.has(lockFile)) return;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      held.add(lockFile);
      if (held.size === 1) process.once("exit", releaseAll);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const owner = readOwner(lockFile);
    // Unreadable: half-written by a process that is taking it right now, or left so by a crash.
    const stale = owner === null ? Date.now() - mtimeMs(lockFile) > 2_000 : owner.host === me.host && (owner.pid === process.pid || !alive(owner.pid));
    if (!stale && owner === null) throw new ConfigError(`Another process is taking ${lockFile} right now (a second Tether on the same SQLite database?)`);
    if (!stale && owner) {
      throw new ConfigError(
        `Another Tether process (pid ${owner.pid} on ${owner.host}, since ${owner.since}) is using the SQLite database ${databaseFile}. SQLite serves one process: stop that one, or run several replicas on PostgreSQL (TETHER_DATABASE_URL). If that process is gone, delete ${lockFile}.`,
      );
    }
    // Left by a process that is gone (or unreadable, half-written): remove it and try again.
    rmSync(lockFile, { force: true });
  }
  throw new ConfigError(`Could not take ${lockFile}: another process keeps creating it.`);
}

function releaseAll(): void {
  for (const lockFile of held) {
    if (readOwner(lockFile)?.pid === process.pid) rmSync(lockFile, { force: true });
  }
  held.clear();
}

/** Tests: gives the locks of this process back. */
export function releaseDatabaseLocks(): void {
  releaseAll();
}
