// The environment `npm run demo` and the end-to-end tests give the app: the emulator as AWS,
// its identity provider, and the demo secrets. Nothing in the app checks for "demo": only these
// values differ from a real deployment. AUTH_SECRET is not one of them: the demo generates its
// own on first run (demoAuthSecret) and the tests one per run, so no published secret can sign
// sessions anywhere.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DEMO_ACCOUNTS = { primary: "111111111111", assumed: "222222222222" };
export const DEMO_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
export const DEMO_ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNTS.assumed}:role/TetherReadOnly`;
export const DEMO_PASSWORD = "tether-demo";
export const DEMO_WEBHOOK_SECRET = "tether-demo-webhook-secret";
export const DEMO_EVENTS_KEY = "tether-demo-events-key";
/** The key the demo's alert webhooks are signed with (the emulator's sink records them; tests verify them). */
export const DEMO_NOTIFY_SECRET = "tether-demo-notify-secret";
/** The emulator sinks (`/_emulator/sinks/<name>`) the demo's alert channels deliver to. */
export const DEMO_SINKS = { slack: "slack", webhook: "webhook" };

/** The emulator's EventBridge bus the demo's events go to (`/_emulator/event-buses/tether-demo/events`). */
export const DEMO_EVENT_BUS = "arn:aws:events:us-east-1:111111111111:event-bus/tether-demo";

/** The file in the demo's data directory (.data/, ignored by git) that keeps its AUTH_SECRET. */
export const DEMO_AUTH_SECRET_FILE = "demo-auth-secret";

/**
 * The demo's AUTH_SECRET: generated on first run into `dir` (readable by its owner only) and
 * reused after, so sessions survive a restart of the demo.
 * @param {string} dir
 * @returns {string}
 */
export function demoAuthSecret(dir) {
  const file = path.join(dir, DEMO_AUTH_SECRET_FILE);
  try {
    const kept = readFileSync(file, "utf8").trim();
    if (kept.length >= 32) return kept;
  } catch (e) {
    if (/** @type {NodeJS.ErrnoException} */ (e).code !== "ENOENT") throw e;
  }
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(33).toString("base64");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export const DEMO_SCOPES = [
  { account: DEMO_ACCOUNTS.primary, regions: DEMO_REGIONS },
  { account: DEMO_ACCOUNTS.assumed, regions: DEMO_REGIONS, roleArn: DEMO_ROLE_ARN },
];

/**
 * @param {{ appPort?: number, emulatorPort?: number, databasePath?: string, scopes?: unknown[], authSecret?: string, eventBus?: boolean }} [opts]
 * @returns {Record<string, string>}
 */
export function demoEnv(opts = {}) {
  const appPort = opts.appPort ?? 3000;
  const emulatorPort = opts.emulatorPort ?? 4566;
  return {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${emulatorPort}`,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "tether-demo",
    AWS_SECRET_ACCESS_KEY: "tether-demo",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    TETHER_SCOPES: JSON.stringify(opts.scopes ?? DEMO_SCOPES),
    TETHER_DATABASE_PATH: opts.databasePath ?? ".data/demo.db",
    TETHER_OIDC_ISSUER: `http://localhost:${emulatorPort}/oidc`,
    TETHER_OIDC_CLIENT_ID: "tether",
    TETHER_OIDC_CLIENT_SECRET: "tether-demo-client-secret",
    TETHER_ADMIN_EMAILS: "alice@example.com",
    TETHER_CONSOLE_URL: `http://localhost:${emulatorPort}/console/{region}`,
    TETHER_SIGNIN_NOTICE: `Demo: sign in as alice (admin) or bob (viewer), password ${DEMO_PASSWORD}.`,
    TETHER_WEBHOOK_SECRETS_GITHUB: DEMO_WEBHOOK_SECRET,
    TETHER_WEBHOOK_SECRETS_GITLAB: DEMO_WEBHOOK_SECRET,
    TETHER_WEBHOOK_SECRETS_BITBUCKET: DEMO_WEBHOOK_SECRET,
    TETHER_EVENTS_API_KEY: DEMO_EVENTS_KEY,
    // Alerts go to the emulator's sinks, which stand in for Slack and a webhook receiver
    // (GET http://127.0.0.1:<emulator port>/_emulator/sinks/slack shows what arrived).
    TETHER_NOTIFY_SLACK_URLS: `http://127.0.0.1:${emulatorPort}/_emulator/sinks/${DEMO_SINKS.slack}`,
    TETHER_NOTIFY_WEBHOOK_URLS: `http://127.0.0.1:${emulatorPort}/_emulator/sinks/${DEMO_SINKS.webhook}`,
    TETHER_NOTIFY_WEBHOOK_SECRET: DEMO_NOTIFY_SECRET,
    // Status changes and alert transitions also go to the emulator's EventBridge (eventBus: false leaves it out).
    ...(opts.eventBus === false ? {} : { TETHER_NOTIFY_EVENT_BUS: DEMO_EVENT_BUS }),
    ...(opts.authSecret ? { AUTH_SECRET: opts.authSecret } : {}),
    AUTH_URL: `http://localhost:${appPort}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
}
