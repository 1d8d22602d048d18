/**
 * Application errors. SDK and network failures are mapped once, at the AWS boundary
 * (lib/aws/errors.ts), to one of these kinds with a message written for the user; raw SDK
 * messages (which can carry ARNs of other accounts, request ids or policy text) never reach
 * the browser.
 */
export const ERROR_KINDS = ["unauthenticated", "not_found", "forbidden", "conflict", "throttled", "unavailable", "bad_request", "config", "internal"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

const HTTP_STATUS: Record<ErrorKind, number> = {
  unauthenticated: 401,
  conflict: 409,
  not_found: 404,
  forbidden: 403,
  throttled: 429,
  unavailable: 503,
  bad_request: 400,
  config: 500,
  internal: 500,
};

// A brand rather than instanceof: Next may load this module more than once (route bundles,
// instrumentation), and errors travel between those copies through shared singletons.
const BRAND = Symbol.for("tether.AppError");

export class AppError extends Error {
  override name = "AppError";
  readonly [BRAND] = true;
  /** Set for errors a page's error boundary must recognise: Next passes it on in production. */
  digest?: string;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return HTTP_STATUS[this.kind];
  }
}

/** The digest of the store's "database unreachable" error (lib/store/unavailable.ts), which pages' error boundaries recognise. */
export const DATABASE_UNAVAILABLE = "tether-database-unavailable";

export const isAppError = (e: unknown): e is AppError => typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;

/** What may be shown for any error: its message if it is ours, a generic line otherwise. */
export function publicMessage(e: unknown): string {
  return isAppError(e) ? e.message : "unexpected error";
}
