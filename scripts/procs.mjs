// Child processes in their own process groups, so stopping one stops everything it started
// (`next start` forks a server; killing only the parent would leave it holding the port).
import { spawn } from "node:child_process";

/** @type {Set<import("node:child_process").ChildProcess>} */
const children = new Set();

/**
 * Starts `command args` in a new process group; its output is prefixed with `name`.
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, quiet?: boolean }} [opts]
 */
export function startGroup(name, command, args, opts = {}) {
  const child = spawn(command, args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...opts.env },
  });
  children.add(child);
  const prefix = (stream, out) => {
    let rest = "";
    stream.on("data", (chunk) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      if (!opts.quiet) for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on("exit", () => children.delete(child));
  return child;
}

/** Sends SIGTERM to every started group, then SIGKILL to what is left after `graceMs`. */
export async function stopAll(graceMs = 3000) {
  const list = [...children];
  for (const c of list) signalGroup(c, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (list.some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const c of list) if (c.exitCode === null && c.signalCode === null) signalGroup(c, "SIGKILL");
}

/** Stops one started group (SIGTERM, then SIGKILL after `graceMs`) and waits until it has exited. */
export async function stopGroup(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

function signalGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Polls `url` until it answers 2xx or `timeoutMs` passes. */
export async function waitForUrl(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000}s (${last})`);
}
