/**
 * Application errors. SDK and network failures are mapped once, at the AWS boundary
 * (lib/aws/errors.ts), to one of these kinds with a message written for the user; raw SDK
 * messages (which can carry ARNs of other accounts, request ids or policy text) never reach
 * the browser.
 */
export const ERROR_KINDS = ["not_found", "forbidden", "throttled", "unavailable", "bad_request", "config", "internal"] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

const HTTP_STATUS: Record<ErrorKind, number> = {
  not_found: 404,
  forbidden: 403,
  throttled: 429,
  unavailable: 503,
  bad_request: 400,
  config: 500,
  internal: 500,
};

export class AppError extends Error {
  override name = "AppError";
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

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** What may be shown for any error: its message if it is ours, a generic line otherwise. */
export function publicMessage(e: unknown): string {
  return isAppError(e) ? e.message : "unexpected error";
}
