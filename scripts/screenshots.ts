// Screenshots of every page at phone and desktop width, light and dark, against a running demo
// (`npm run demo`, or one on other ports):
//
//   npx tsx scripts/screenshots.ts [--url http://localhost:3000] [--out .screenshots] [--only pending,latency] [--tiles]
//
// Signs in as alice through the demo's identity provider, then writes
// <out>/<page>-<phone|desktop>-<light|dark>.png (full page), plus the phone menu and filter sheet
// opened; with --tiles also <out>/tiles/<page>-….<n>.png, the full page cut in screen-high pieces
// (a tall phone page is easier to look at that way). For looking at, not for comparing: the e2e suite asserts the layout (e2e/mobile.spec.ts).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_CASES, DEMO_PIPELINE_CASES } from "../emulator/fixtures/demo";
import { findChromium } from "./chromium.mjs";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    out: { type: "string", default: ".screenshots" },
    only: { type: "string" },
    tiles: { type: "boolean", default: false },
  },
});
const origin = values.url.replace(/\/$/, "");
const out = path.resolve(values.out);
const only = values.only ? new Set(values.only.split(",")) : null;

const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1400, height: 900 },
} as const;
const SCHEMES = ["light", "dark"] as const;

const pipeline = DEMO_PIPELINE_CASES.onPendingConnection;
const PAGES: { name: string; path: string; signedOut?: boolean; wait?: string }[] = [
  { name: "login", path: "/login", signedOut: true },
  { name: "overview", path: "/" },
  { name: "discovery", path: "/settings/discovery" },
  { name: "connections", path: "/connections" },
  { name: "connection", path: `/connections/${DEMO_CASES.resumeTarget.uuid}` },
  { name: "connection-shared", path: `/connections/${DEMO_CASES.sharedConnection.uuid}`, wait: "latency-chart" },
  { name: "hosts", path: "/hosts" },
  { name: "host", path: `/hosts/${DEMO_CASES.availableHost.id}` },
  { name: "pending", path: "/pending" },
  { name: "pipelines", path: "/pipelines" },
  { name: "pipeline", path: `/pipelines/${pipeline.account}/${pipeline.region}/${encodeURIComponent(pipeline.name)}`, wait: "latency-chart" },
  { name: "latency", path: "/latency", wait: "latency-chart" },
  { name: "alerts", path: "/alerts" },
  { name: "alert-rules", path: "/alerts/rules" },
  { name: "audit", path: "/audit" },
  { name: "tokens", path: "/settings/tokens" },
  { name: "sessions", path: "/settings/sessions" },
];

async function signIn(browser: Browser): Promise<Awaited<ReturnType<BrowserContext["storageState"]>>> {
  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with Single sign-on" }).click();
  await page.getByLabel("Username or email").fill("alice");
  await page.getByLabel("Password").fill("tether-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.origin === origin && url.pathname === "/");
  const state = await context.storageState();
  await context.close();
  return state;
}

async function settle(page: Page, wait?: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  // A chart, or the panel's empty state when the range has no samples.
  if (wait) await page.getByTestId(wait).locator(".recharts-surface").first().or(page.getByText("No samples in this range")).first().waitFor({ timeout: 15_000 });
  // Web fonts are system fonts; give client components (charts, scroll hints) a frame to measure.
  await page.waitForTimeout(300);
}

async function tiles(page: Page, name: string, viewport: { width: number; height: number }): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  mkdirSync(path.join(out, "tiles"), { recursive: true });
  for (let i = 0, y = 0; y < height; i++, y += viewport.height) {
    await page.screenshot({ path: path.join(out, "tiles", `${name}.${i}.png`), fullPage: true, clip: { x: 0, y, width: viewport.width, height: Math.min(viewport.height, height - y) } });
  }
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath: findChromium() ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  try {
    const state = await signIn(browser);
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      for (const colorScheme of SCHEMES) {
        const context = await browser.newContext({ baseURL: origin, viewport, colorScheme, storageState: state });
        const page = await context.newPage();
        for (const p of PAGES) {
          if (only && !only.has(p.name)) continue;
          const target = p.signedOut ? await (await browser.newContext({ baseURL: origin, viewport, colorScheme })).newPage() : page;
          await target.goto(p.path);
          await settle(target, p.wait);
          const file = path.join(out, `${p.name}-${width}-${colorScheme}.png`);
          await target.screenshot({ path: file, fullPage: true });
          const widths = await target.evaluate(() => ({ document: document.documentElement.scrollWidth, window: window.innerWidth }));
          console.log(widths.document > widths.window ? `${file}  (!) ${widths.document} px wide in a ${widths.window} px window: scrolls sideways` : file);
          if (values.tiles) await tiles(target, `${p.name}-${width}-${colorScheme}`, viewport);
          if (p.signedOut) await target.context().close();
        }
        if (width === "phone" && (!only || only.has("menu"))) {
          await page.goto("/pending");
          await settle(page);
          await page.getByRole("button", { name: "Menu" }).click();
          const file = path.join(out, `menu-phone-${colorScheme}.png`);
          await page.screenshot({ path: file });
          console.log(file);
        }
        if (width === "phone" && (!only || only.has("filters"))) {
          await page.goto("/connections");
          await settle(page);
          await page.getByTestId("filter-sheet").locator("summary").first().click();
          await page.locator("summary", { hasText: "Status" }).click();
          const file = path.join(out, `filters-phone-${colorScheme}.png`);
          await page.screenshot({ path: file });
          console.log(file);
        }
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
