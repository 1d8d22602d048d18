// Finds the Chromium the browser tests drive: CHROMIUM_PATH, else `chromium` on PATH, else
// Debian's /usr/bin/chromium. As root on Debian it installs the package (never a browser
// download); otherwise it says exactly what to run.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";

const INSTALL = "sudo apt-get update && sudo apt-get install -y chromium";

function executable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @returns {string | null} */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!executable(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} is not an executable file. Unset it, or point it at Chromium.`);
    return fromEnv;
  }
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const found = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (found && executable(found)) return found;
    } catch {
      // not on PATH
    }
  }
  return executable("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
}

/** Returns a Chromium path, installing Debian's package as root if needed; throws with the command to run otherwise. */
export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("Chromium not found; installing Debian's chromium package (apt-get update && apt-get install -y chromium) …");
    for (const args of [["update"], ["install", "-y", "chromium"]]) {
      const res = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
      if (res.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${res.status}). Run it by hand: ${INSTALL}`);
    }
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error(`Chromium is needed for the end-to-end tests and was not found. Install it with:\n  ${INSTALL}\nor set CHROMIUM_PATH to a Chromium executable.`);
}
