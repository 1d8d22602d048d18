// The environment `npm run demo` and the end-to-end tests give the app: the emulator as AWS,
// its identity provider, and the demo secrets. DESIGN.md ("npm run demo sets") is the source;
// nothing in the app checks for "demo" — only these values differ from a real deployment.

export const DEMO_ACCOUNTS = { primary: "111111111111", assumed: "222222222222" };
export const DEMO_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
export const DEMO_ROLE_ARN = `arn:aws:iam::${DEMO_ACCOUNTS.assumed}:role/TetherReadOnly`;
export const DEMO_PASSWORD = "tether-demo";
export const DEMO_WEBHOOK_SECRET = "tether-demo-webhook-secret";
export const DEMO_EVENTS_KEY = "tether-demo-events-key";

export const DEMO_SCOPES = [
  { account: DEMO_ACCOUNTS.primary, regions: DEMO_REGIONS },
  { account: DEMO_ACCOUNTS.assumed, regions: DEMO_REGIONS, roleArn: DEMO_ROLE_ARN },
];

/**
 * @param {{ appPort?: number, emulatorPort?: number, databasePath?: string, scopes?: unknown[] }} [opts]
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
    AUTH_SECRET: "tether-demo-auth-secret-not-for-production-0123456789",
    AUTH_URL: `http://localhost:${appPort}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
}
