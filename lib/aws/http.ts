/**
 * Socket limits for every SDK client. Without them a request whose peer never answers hangs for
 * ever, and because concurrent page loads share one in-flight listing (lib/cache.ts), one hung
 * request would hang every viewer. `throwOnRequestTimeout` turns the SDK's warning into an error
 * the retry strategy and the scope's error card can see.
 */
export const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 15_000, throwOnRequestTimeout: true } as const;
