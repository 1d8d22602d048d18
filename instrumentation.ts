/**
 * Runs once when the server starts. A bad configuration stops the server here, with one line
 * naming the variable, instead of failing on the first page view.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError, env } = await import("@/lib/env");
  try {
    env();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`tether: refusing to start: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}
