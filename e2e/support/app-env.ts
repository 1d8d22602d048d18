import { DEMO_ROLE_ARN, DEMO_SCOPES, demoEnv } from "../../scripts/demo-env.mjs";
import { E2E_APP_PORT, E2E_EMULATOR_PORT } from "./ports";

/**
 * The six demo scopes plus one whose account the emulator does not know: its AssumeRole fails,
 * and the tests check that only that scope shows an error.
 */
export const E2E_BROKEN_SCOPE = { account: "333333333333", regions: ["us-east-1"], roleArn: DEMO_ROLE_ARN.replace("222222222222", "333333333333") };

/** The environment of the app each spec file starts (e2e/support/app-server.ts). */
export function appEnv(databasePath: string, authSecret: string): Record<string, string> {
  return {
    ...demoEnv({ appPort: E2E_APP_PORT, emulatorPort: E2E_EMULATOR_PORT, databasePath, authSecret, scopes: [...DEMO_SCOPES, E2E_BROKEN_SCOPE] }),
    // Every PENDING connection Tether has just seen is old enough to delete, so the test can.
    TETHER_DELETE_PENDING_AFTER_DAYS: "0",
    // A dropped push becomes a missed trigger after 6 s instead of 5 min.
    TETHER_MISSED_TRIGGER_MINUTES: "0.1",
    // Specs reseed the emulator and then read with ?refresh=1: every forced refresh must relist.
    TETHER_MIN_REFRESH_SECONDS: "0",
  };
}
