import { parseArgs } from "node:util";
import { DEFAULT_APP_URL, normalizeAppUrl } from "./oidc/provider";
import { DEFAULT_HOST, DEFAULT_PORT, startEmulator } from "./server";
import { FIXTURE_NAMES, type FixtureName } from "./state";

/** `npm run emulator -- [--port 4566] [--host 127.0.0.1] [--fixture demo|large|empty] [--app-url <url>]…` */

const USAGE =
  "usage: tsx emulator/main.ts [--port <n>] [--host <address>] [--fixture demo|large|empty] [--app-url <url>]...";

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function options(): { port: number; host: string; fixture: FixtureName; appUrls: string[] } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        fixture: { type: "string" },
        "app-url": { type: "string", multiple: true },
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
  return { port, host: values.host ?? DEFAULT_HOST, fixture: fixture as FixtureName, appUrls };
}

async function main(): Promise<void> {
  const opts = options();
  const emulator = await startEmulator(opts);
  console.log(`Tether emulator listening at ${emulator.url} (fixture ${opts.fixture})`);
  console.log(`Identity provider ${emulator.oidcIssuer} for ${emulator.appUrls.join(", ")}`);
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
