import { parseArgs } from "node:util";
import { FIXTURE_NAMES, type FixtureName } from "./fixture-data";
import { DEFAULT_APP_URL, normalizeAppUrl } from "./oidc/provider";
import { DEFAULT_EVENTS_KEY, DEFAULT_WEBHOOK_SECRET } from "./pushes/simulator";
import { DEFAULT_HOST, DEFAULT_PORT, startEmulator, type EmulatorOptions } from "./server";

/**
 * `npm run emulator -- [--port 4566] [--host 127.0.0.1] [--fixture demo|large|org|empty] [--app-url <url>]…
 *   [--webhook-secret <s>] [--events-key <k>] [--pushes-per-minute <n>] [--status-flip-minutes <n>]`
 */

const USAGE =
  "usage: tsx emulator/main.ts [--port <n>] [--host <address>] [--fixture demo|large|org|empty] [--app-url <url>]...\n" +
  "                            [--webhook-secret <secret>] [--events-key <key>] [--pushes-per-minute <n>] [--status-flip-minutes <n>]";

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function options(): Required<Pick<EmulatorOptions, "port" | "host" | "fixture" | "appUrls" | "webhookSecret" | "eventsKey" | "pushesPerMinute" | "statusFlipMinutes">> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        fixture: { type: "string" },
        "app-url": { type: "string", multiple: true },
        "webhook-secret": { type: "string" },
        "events-key": { type: "string" },
        "pushes-per-minute": { type: "string" },
        "status-flip-minutes": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const portText = values.port ?? process.env.EMULATOR_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) fail(`invalid port '${portText}'`);
  const fixture = values.fixture ?? "demo";
  if (!(FIXTURE_NAMES as readonly string[]).includes(fixture)) fail(`unknown fixture '${fixture}'`);
  // --app-url (repeatable), else EMULATOR_APP_URLS (comma-separated), else http://localhost:3000.
  const appUrlArgs = values["app-url"]?.length
    ? values["app-url"]
    : (process.env.EMULATOR_APP_URLS ?? "").split(",").map((u) => u.trim()).filter(Boolean);
  let appUrls: string[];
  try {
    appUrls = (appUrlArgs.length ? appUrlArgs : [DEFAULT_APP_URL]).map(normalizeAppUrl);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const webhookSecret = values["webhook-secret"] ?? process.env.EMULATOR_WEBHOOK_SECRET ?? DEFAULT_WEBHOOK_SECRET;
  const eventsKey = values["events-key"] ?? process.env.EMULATOR_EVENTS_KEY ?? DEFAULT_EVENTS_KEY;
  if (!webhookSecret) fail("the webhook secret must not be empty");
  if (!eventsKey) fail("the events key must not be empty");
  const rateText = values["pushes-per-minute"] ?? process.env.EMULATOR_PUSHES_PER_MINUTE ?? "0";
  const pushesPerMinute = Number(rateText);
  if (!/^\d+(\.\d+)?$/.test(rateText) || pushesPerMinute > 600) fail(`invalid pushes per minute '${rateText}' (0 to 600)`);
  const flipText = values["status-flip-minutes"] ?? process.env.EMULATOR_STATUS_FLIP_MINUTES ?? "0";
  const statusFlipMinutes = Number(flipText);
  if (!/^\d+(\.\d+)?$/.test(flipText) || statusFlipMinutes > 1440) fail(`invalid status flip minutes '${flipText}' (0 to 1440)`);
  return { port, host: values.host ?? DEFAULT_HOST, fixture: fixture as FixtureName, appUrls, webhookSecret, eventsKey, pushesPerMinute, statusFlipMinutes };
}

async function main(): Promise<void> {
  const opts = options();
  const emulator = await startEmulator(opts);
  console.log(`Tether emulator listening at ${emulator.url} (fixture ${opts.fixture})`);
  console.log(`Identity provider ${emulator.oidcIssuer} for ${emulator.appUrls.join(", ")}`);
  console.log(
    `Push simulator → ${emulator.simulator.config.appUrl} (${opts.pushesPerMinute > 0 ? `${opts.pushesPerMinute} push(es) a minute` : "on demand: POST /_emulator/pushes"})`,
  );
  const flip = emulator.state.statusFlip;
  if (opts.statusFlipMinutes > 0) {
    console.log(flip ? `Status flip: ${flip.connection} (${flip.account}/${flip.region}) turns ERROR and back every ${opts.statusFlipMinutes} min` : `Status flip: the ${opts.fixture} fixture names no connection to flip`);
  }
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(`Tether emulator failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
