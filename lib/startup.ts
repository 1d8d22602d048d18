import { ConfigError, env } from "@/lib/env";

/**
 * Server start-up: a bad configuration stops the server here, with one line naming the
 * problem, instead of failing on the first page view; then background work starts.
 */
export async function startup(): Promise<void> {
  try {
    const e = env();
    if (e.NODE_ENV === "production" && !e.AUTH_SECRET) throw new ConfigError("AUTH_SECRET is not set; sessions cannot be signed (generate one with: openssl rand -base64 33)");
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
