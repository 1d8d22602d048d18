/** An error that becomes an AWS error response in the protocol of the service that raised it. */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /**
   * The query-protocol code when it differs from `code` (AWS JSON shape name). Query-compatible
   * JSON services (CloudWatch) send it in `x-amzn-query-error`; the query protocol writes it in
   * `<Code>`. Example: code `InvalidParameterValueException`, queryCode `InvalidParameterValue`.
   */
  readonly queryCode?: string;
  /**
   * Members of the error shape besides the message (Organizations' `InvalidInputException`
   * `Reason`, Account's `ValidationException` `reason`), written into the JSON body as they are.
   */
  readonly fields?: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    status = 400,
    opts: { queryCode?: string; fields?: Readonly<Record<string, unknown>> } = {},
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    if (opts.queryCode !== undefined) this.queryCode = opts.queryCode;
    if (opts.fields !== undefined) this.fields = opts.fields;
  }

  /** `Sender` for client errors, `Receiver` for server errors (query protocol `<Type>`). */
  get fault(): "Sender" | "Receiver" {
    return this.status >= 500 ? "Receiver" : "Sender";
  }
}

/** The ways authentication fails before any operation runs. */
export type AuthFailure = "missing" | "malformed" | "wrong-service" | "invalid-token" | "expired";

const AUTH_CODES: Record<AuthFailure, { json: string; query: string }> = {
  missing: { json: "MissingAuthenticationTokenException", query: "MissingAuthenticationToken" },
  malformed: { json: "IncompleteSignatureException", query: "IncompleteSignature" },
  "wrong-service": { json: "InvalidSignatureException", query: "SignatureDoesNotMatch" },
  "invalid-token": { json: "UnrecognizedClientException", query: "InvalidClientTokenId" },
  expired: { json: "ExpiredTokenException", query: "ExpiredToken" },
};

/** Authentication errors are 403 in both protocols; only the code differs. */
export function authError(failure: AuthFailure, protocol: "json" | "query", message: string): AwsError {
  return new AwsError(AUTH_CODES[failure][protocol], message, 403, { queryCode: AUTH_CODES[failure].query });
}
