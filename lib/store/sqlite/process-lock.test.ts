import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { lockDatabaseFile, releaseDatabaseLocks } from "./process-lock";

const dir = mkdtempSync(path.join(os.tmpdir(), "tether-lock-"));
let n = 0;
const dbFile = () => path.join(dir, `t${++n}.db`);
const owner = (file: string) => JSON.parse(readFileSync(`${file}.lock`, "utf8")) as { pid: number; host: string };

afterEach(() => releaseDatabaseLocks());

/** Another process that takes the lock through the same module and keeps running. */
async function holder(file: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const script = path.join(dir, `holder-${n}.ts`);
  writeFileSync(script, `import { lockDatabaseFile } from ${JSON.stringify(path.resolve("lib/store/sqlite/process-lock.ts"))};\nlockDatabaseFile(${JSON.stringify(file)});\nconsole.log("locked");\nsetInterval(() => {}, 1000);\n`);
  // node itself (not the tsx wrapper, which would run the script in a child with another pid).
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (b: Buffer) => (b.toString().includes("locked") ? resolve() : undefined));
    child.once("exit", (code) => reject(new Error(`the holder exited (${code})`)));
  });
  return {
    pid: child.pid ?? -1,
    kill: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

describe("one Tether process per SQLite file", () => {
  test("a second process is refused while the first runs, with who holds it and what to do; after the first dies the lock is taken over", async () => {
    const file = dbFile();
    const first = await holder(file);
    expect(owner(file).pid).toBe(first.pid);
    expect(() => lockDatabaseFile(file)).toThrow(new RegExp(`^Another Tether process \\(pid ${first.pid} on ${os.hostname()}, since .*\\) is using the SQLite database .*t\\d+\\.db\\. SQLite serves one process: stop that one, or run several replicas on PostgreSQL \\(TETHER_DATABASE_URL\\)`));
    // Killed without a chance to clean up (SIGKILL): its lock stays, naming a process that is gone.
    await first.kill();
    expect(existsSync(`${file}.lock`)).toBe(true);
    lockDatabaseFile(file);
    expect(owner(file).pid).toBe(process.pid);
  }, 30_000);

  test("the same process may open the file again; releasing removes the lock", () => {
    const file = dbFile();
    lockDatabaseFile(file);
    lockDatabaseFile(file);
    expect(owner(file).pid).toBe(process.pid);
    releaseDatabaseLocks();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  test("an unreadable lock is someone taking it right now (refused), unless it is old (taken over)", () => {
    const file = dbFile();
    writeFileSync(`${file}.lock`, "");
    expect(() => lockDatabaseFile(file)).toThrow(/is taking .*\.lock right now/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    lockDatabaseFile(file);
    expect(owner(file).pid).toBe(process.pid);
  });

  test(":memory: needs no lock", () => {
    expect(() => lockDatabaseFile(":memory:")).not.toThrow();
  });
});
