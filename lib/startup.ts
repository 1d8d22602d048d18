import { parseChannels } from "@/lib/alerts/channels";
import { ConfigError, env, type Env } from "@/lib/env";

/** Shortest AUTH_SECRET production accepts: it keys the session cookies' encryption. */
export const MIN_SECRET_LENGTH = 32;

/**
 * What the schema cannot say on its own: settings that depend on each other or on where the
 * server runs. Throws a ConfigError naming the variable.
 */
export function checkConfig(e: Env): void {
  // Alert channels in every environment: a URL that cannot work is refused before the first alert.
  parseChannels(e);
  if (e.NODE_ENV !== "production") return;
  const hint = "generate one with: openssl rand -base64 33";
  if (!e.AUTH_SECRET) throw new ConfigError(`AUTH_SECRET is not set; sessions cannot be signed (${hint})`);
  if (e.AUTH_SECRET.length < MIN_SECRET_LENGTH) throw new ConfigError(`AUTH_SECRET is too short (${e.AUTH_SECRET.length} characters; at least ${MIN_SECRET_LENGTH}): ${hint}`);
}

/**
 * Server start-up: a bad configuration, or a SQLite database another Tether process is using,
 * stops the server here, with one line naming the problem, instead of failing on the first page
 * view; then background work starts.
 */
export async function startup(): Promise<void> {
  try {
    checkConfig(env());
    const { claimStore } = await import("@/lib/store");
    claimStore();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`tether: refusing to start: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const { startBackground } = await import("@/lib/background");
  startBackground();
}
