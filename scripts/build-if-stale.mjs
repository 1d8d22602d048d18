// Runs `next build` unless .next/BUILD_ID is newer than every source that goes into a build.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "next.config.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"];

function newestSource(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p)) if (!entry.startsWith(".") && entry !== "node_modules") visit(path.join(p, entry));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

/** @returns {boolean} true when a build is in place */
export function buildIfStale(label = "build") {
  const marker = ".next/BUILD_ID";
  if (existsSync(marker) && statSync(marker).mtimeMs > newestSource(SOURCES)) {
    console.log(`${label}: the production build is up to date`);
    return true;
  }
  console.log(`${label}: building the app (next build) …`);
  const res = spawnSync(path.join("node_modules", ".bin", "next"), ["build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  return res.status === 0;
}
