import { DEMO_EVENT_BUS, DEMO_ROLE_ARN, DEMO_SCOPES, demoEnv } from "../../scripts/demo-env.mjs";
import { ORG_CASES } from "../../emulator/fixtures/org";
import type { FixtureName } from "./emulator";
import { E2E_APP_PORT, E2E_EMULATOR_PORT } from "./ports";

/**
 * TETHER_ORGANIZATION of the discovery spec: the Platform OU of the `org` fixture, and the account
 * the control API adds first excluded (the spec adds it to Platform and checks it stays out).
 */
export const DISCOVERY_ORGANIZATION = { roleName: "TetherReadOnly", includeOus: ["Platform"], excludeAccounts: [ORG_CASES.firstAddedAccount] };

/**
 * The six demo scopes plus one whose account the emulator does not know: its AssumeRole fails,
 * and the tests check that only that scope shows an error.
 */
export const E2E_BROKEN_SCOPE = { account: "333333333333", regions: ["us-east-1"], roleArn: DEMO_ROLE_ARN.replace("222222222222", "333333333333") };

/**
 * What one spec file's app needs beyond the common environment, by file name (without
 * `.spec.ts`). Alerts fire within two polls, so the alerts spec polls every 5 s (the least
 * TETHER_POLL_INTERVAL_SECONDS allows) instead of every minute; the other files keep the default,
 * so their AWS call counts and logs are not a poll every few seconds. Only the events spec puts
 * events on the emulator's EventBridge bus (the others leave the channel out, so their channel
 * lists stay Slack and the webhook).
 */
export const FILE_ENV: Record<string, Record<string, string>> = {
  alerts: { TETHER_POLL_INTERVAL_SECONDS: "5" },
  events: { TETHER_POLL_INTERVAL_SECONDS: "5", TETHER_NOTIFY_EVENT_BUS: DEMO_EVENT_BUS },
  // The `org` fixture's organization, discovered (the Platform OU only), instead of the demo scopes.
  discovery: { TETHER_SCOPES: "", TETHER_ORGANIZATION: JSON.stringify(DISCOVERY_ORGANIZATION) },
};

/**
 * The emulator fixture a spec file's stack is seeded with before its app starts (e2e/fixtures.ts),
 * by file name; every other file gets `demo`.
 */
export const FILE_FIXTURE: Record<string, FixtureName> = {
  discovery: "org",
};

/**
 * The environment of the app each spec file starts (e2e/support/app-server.ts). Alert channels
 * point at the emulator's sinks (scripts/demo-env.mjs), so every file's alerts are delivered there;
 * each file starts on a fresh seed, which empties them.
 */
export function appEnv(databasePath: string, authSecret: string, file = ""): Record<string, string> {
  return {
    ...demoEnv({ appPort: E2E_APP_PORT, emulatorPort: E2E_EMULATOR_PORT, databasePath, authSecret, scopes: [...DEMO_SCOPES, E2E_BROKEN_SCOPE], eventBus: false }),
    // Every PENDING connection Tether has just seen is old enough to delete, so the test can.
    TETHER_DELETE_PENDING_AFTER_DAYS: "0",
    // A dropped push becomes a missed trigger after 6 s instead of 5 min.
    TETHER_MISSED_TRIGGER_MINUTES: "0.1",
    // Specs reseed the emulator and then read with ?refresh=1: every forced refresh must relist.
    TETHER_MIN_REFRESH_SECONDS: "0",
    ...FILE_ENV[file],
  };
}
