/**
 * Ports of the e2e emulator and app: their own, so the tests never talk to a running
 * `npm run demo`. TETHER_E2E_APP_PORT / TETHER_E2E_EMULATOR_PORT move them (two checkouts can
 * then run their e2e suites side by side on one machine).
 */
export const E2E_APP_PORT = Number(process.env.TETHER_E2E_APP_PORT ?? 3100);
export const E2E_EMULATOR_PORT = Number(process.env.TETHER_E2E_EMULATOR_PORT ?? 4610);
// Auth.js normalises loopback to "localhost": use it everywhere so cookies match.
export const APP_ORIGIN = `http://localhost:${E2E_APP_PORT}`;
export const EMULATOR_URL = `http://127.0.0.1:${E2E_EMULATOR_PORT}`;
/** The emulator as the browser reaches it (console links are built on `localhost`). */
export const EMULATOR_BROWSER_ORIGIN = `http://localhost:${E2E_EMULATOR_PORT}`;
