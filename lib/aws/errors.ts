import { AppError, isAppError, type ErrorKind } from "@/lib/errors";

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
}

const BY_NAME: [RegExp, ErrorKind, string][] = [
  [/NotFound/, "not_found", "not found"],
  [/^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError)$/, "forbidden", "access denied"],
  [/^(UnrecognizedClientException|InvalidClientTokenId|SignatureDoesNotMatch|IncompleteSignature.*|MissingAuthenticationToken.*)$/, "forbidden", "the AWS credentials were rejected"],
  [/^(ExpiredToken|ExpiredTokenException|RequestExpired)$/, "forbidden", "the AWS credentials have expired"],
  [/^CredentialsProviderError$/, "forbidden", "no AWS credentials could be found"],
  [/Throttl|TooManyRequests|RequestLimitExceeded/, "throttled", "AWS is throttling requests"],
  [/LimitExceeded/, "bad_request", "an AWS quota was reached"],
  [/^(ValidationException|InvalidParameter.*|InvalidInputException|MissingParameter)$/, "bad_request", "AWS rejected the request"],
  [/^(TimeoutError|RequestTimeout|RequestTimeoutException)$/, "unavailable", "AWS did not answer in time"],
  [/^(InternalServerException|InternalFailure|InternalServiceError|ServiceUnavailable.*)$/, "unavailable", "AWS reported an internal error"],
];

const NETWORK = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_.*)$/;

/**
 * Maps anything an SDK call can throw to an AppError whose message is safe to show:
 * `<what>: <kind of failure> (<error code>)`. The original error is kept as `cause` for logs.
 */
export function toAppError(e: unknown, what: string): AppError {
  if (isAppError(e)) return e;
  const err = (e ?? {}) as SdkLikeError;
  const name = err.name ?? "Error";
  const code = err.code ?? (e as { cause?: { code?: string } })?.cause?.code;
  if (code && NETWORK.test(code)) return new AppError("unavailable", `${what}: cannot reach AWS (${code})`, { cause: e });
  for (const [pattern, kind, text] of BY_NAME) {
    if (pattern.test(name)) return new AppError(kind, `${what}: ${text} (${name})`, { cause: e });
  }
  if (e instanceof SyntaxError || /Deserialization/.test(err.message ?? "")) {
    return new AppError("unavailable", `${what}: AWS sent an answer that could not be read`, { cause: e });
  }
  const status = err.$metadata?.httpStatusCode;
  if (err.$fault === "server" || (status !== undefined && status >= 500)) {
    return new AppError("unavailable", `${what}: AWS reported an error (${name})`, { cause: e });
  }
  return new AppError("internal", `${what}: unexpected error (${name})`, { cause: e });
}
