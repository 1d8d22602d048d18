import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { faultError, type FaultRules } from "./faults";
import { resolveIdentity, type Identity } from "./identity";
import { accessDenied, isReadOnly } from "./policy";
import { parseJsonInput, sendJsonError, sendJsonResult, splitTarget } from "./protocol/aws-json";
import { AwsError, authError } from "./protocol/errors";
import { decodeQueryParams, parseForm, sendQueryError, sendQueryResult } from "./protocol/query";
import { sendRestJsonError, sendRestJsonResult } from "./protocol/rest-json";
import { parseAuthorization, type SigV4Parse } from "./protocol/sigv4";
import type { CallContext, RestJsonService, ServiceRegistry } from "./services/registry";
import type { EmulatorState } from "./state";

/**
 * Answers one AWS API call (`POST /`). The service comes from `X-Amz-Target` (AWS JSON) or, for
 * a form body, from the SigV4 signing name (query protocol). Every call attributable to a
 * service and operation is counted, errors included, before authentication is enforced. Then,
 * in order: authentication errors, injected faults (faults.ts), the read-only-role policy
 * (policy.ts), the operation.
 */
export async function handleAwsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  registry: ServiceRegistry<EmulatorState>,
  state: EmulatorState,
): Promise<void> {
  const requestId = randomUUID();
  const auth = parseAuthorization(header(req, "authorization"));
  const target = header(req, "x-amz-target");
  if (target !== undefined) return handleJson(req, res, body, target, auth, requestId, registry, state);
  if (header(req, "content-type")?.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return handleQuery(req, res, body, auth, requestId, registry, state);
  }
  sendJsonError(
    res,
    "1.0",
    requestId,
    new AwsError("UnknownOperationException", "Expected an X-Amz-Target header (AWS JSON) or a form-encoded Action (query)."),
  );
}

async function handleJson(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  target: string,
  auth: SigV4Parse,
  requestId: string,
  registry: ServiceRegistry<EmulatorState>,
  state: EmulatorState,
): Promise<void> {
  const split = splitTarget(target);
  const found = split && registry.jsonByTarget(split.prefix);
  if (!split || !found) {
    sendJsonError(res, "1.0", requestId, new AwsError("UnknownOperationException", `Unknown X-Amz-Target '${target}'.`));
    return;
  }
  const { service } = found;
  const caller = authenticate(req, auth, state, "json", service.signingNames, found.signingName);
  state.stats.count(caller.signingName, split.operation, caller.scope);
  try {
    const handler = Object.hasOwn(service.operations, split.operation) ? service.operations[split.operation] : undefined;
    const ctx = contextFor(caller, state, requestId, split.operation, wireBytes(req, body));
    const errorStatus = service.errorStatus ?? {};
    await injectFaults(state.faults, ctx, service.queryCompatible ? "query" : "json", errorStatus, service.errorCodes);
    if (!handler) throw new AwsError("UnknownOperationException", `Unknown operation ${split.operation}.`);
    const input = parseJsonInput(body);
    const resource = Object.hasOwn(service.mutatingOperations ?? {}, split.operation)
      ? service.mutatingOperations?.[split.operation]
      : undefined;
    if (resource && isReadOnly(ctx.identity)) {
      const action = `${ctx.signingName}:${split.operation}`;
      throw accessDenied(ctx.identity, action, resource(input, ctx), errorStatus.AccessDeniedException ?? 400);
    }
    const output = await handler(input, ctx);
    sendJsonResult(res, service.jsonVersion, requestId, output);
  } catch (e) {
    sendJsonError(res, service.jsonVersion, requestId, asAwsError(e, split.operation), service.queryCompatible);
  }
}

/**
 * Answers one REST-JSON call (Account Management: `POST /listRegions`): the operation comes from
 * the method and path, which the caller (server.ts) has matched with `registry.restByRoute`.
 * Same order as the other protocols: count, authentication, faults, input and the operation.
 */
export async function handleRestJsonRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  found: { service: RestJsonService<EmulatorState>; operation: string },
  state: EmulatorState,
): Promise<void> {
  const requestId = randomUUID();
  const { service, operation } = found;
  const auth = parseAuthorization(header(req, "authorization"));
  const caller = authenticate(req, auth, state, "json", [service.signingName], service.signingName);
  state.stats.count(caller.signingName, operation, caller.scope);
  try {
    const handler = Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
    const ctx = contextFor(caller, state, requestId, operation, wireBytes(req, body));
    await injectFaults(state.faults, ctx, "json", service.errorStatus ?? {}, service.errorCodes);
    if (!handler) throw new AwsError("UnknownOperationException", `Unknown operation ${operation}.`);
    const output = await handler(parseJsonInput(body), ctx);
    sendRestJsonResult(res, requestId, output);
  } catch (e) {
    sendRestJsonError(res, requestId, asAwsError(e, operation));
  }
}

async function handleQuery(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  auth: SigV4Parse,
  requestId: string,
  registry: ServiceRegistry<EmulatorState>,
  state: EmulatorState,
): Promise<void> {
  const params = parseForm(body);
  const action = params.Action ?? "";
  const service =
    (auth.ok ? registry.queryBySigningName(auth.credential.service) : undefined) ?? registry.queryByAction(action);
  if (!service) {
    const err = auth.ok
      ? new AwsError("InvalidAction", `No emulated query service signs as '${auth.credential.service}'.`)
      : authError(auth.missing ? "missing" : "malformed", "query", auth.message);
    sendQueryError(res, undefined, requestId, err);
    return;
  }
  if (!action) {
    sendQueryError(res, service.xmlNamespace, requestId, new AwsError("MissingAction", "Missing Action"));
    return;
  }
  const caller = authenticate(req, auth, state, "query", [service.signingName], service.signingName);
  state.stats.count(caller.signingName, action, caller.scope);
  try {
    const handler = Object.hasOwn(service.operations, action) ? service.operations[action] : undefined;
    const ctx = contextFor(caller, state, requestId, action, wireBytes(req, body));
    await injectFaults(state.faults, ctx, "query", {});
    if (!handler) {
      throw new AwsError("InvalidAction", `Could not find operation ${action} for version ${params.Version ?? "(none)"}`);
    }
    const result = await handler(decodeQueryParams(params), ctx);
    sendQueryResult(res, service.xmlNamespace, action, requestId, result);
  } catch (e) {
    sendQueryError(res, service.xmlNamespace, requestId, asAwsError(e, action));
  }
}

interface Caller {
  /** Signing name the call is counted under. */
  signingName: string;
  scope?: { account: string; region: string };
  identity?: Identity;
  /** Set when authentication failed; thrown before the operation runs. */
  error?: AwsError;
}

function authenticate(
  req: IncomingMessage,
  auth: SigV4Parse,
  state: EmulatorState,
  protocol: "json" | "query",
  accepted: readonly string[],
  fallbackSigningName: string,
): Caller {
  if (!auth.ok) {
    return {
      signingName: fallbackSigningName,
      error: authError(auth.missing ? "missing" : "malformed", protocol, auth.message),
    };
  }
  const { credential } = auth;
  if (!accepted.includes(credential.service)) {
    return {
      signingName: fallbackSigningName,
      error: authError(
        "wrong-service",
        protocol,
        `Credential should be scoped to correct service: '${fallbackSigningName}'.`,
      ),
    };
  }
  const resolved = resolveIdentity(credential.accessKeyId, header(req, "x-amz-security-token"), state.now());
  const identity = resolved.identity;
  return {
    signingName: credential.service,
    identity,
    scope: identity ? { account: identity.account, region: credential.region } : undefined,
    error: resolved.ok ? undefined : authError(resolved.failure, protocol, resolved.message),
  };
}

/** Throws the authentication error when there is one; otherwise the operation's context. */
function contextFor(caller: Caller, state: EmulatorState, requestId: string, operation: string, bytes: number): CallContext<EmulatorState> {
  if (caller.error) throw caller.error;
  if (!caller.identity || !caller.scope) throw new Error("authenticated caller without identity");
  return {
    state,
    requestId,
    operation,
    signingName: caller.signingName,
    identity: caller.identity,
    account: caller.scope.account,
    region: caller.scope.region,
    now: state.now(),
    wireBytes: bytes,
  };
}

/** The body's size as sent: `Content-Length` (compressed size for gzip bodies), else the body read. */
function wireBytes(req: IncomingMessage, body: Buffer): number {
  const declared = Number(header(req, "content-length"));
  return Number.isSafeInteger(declared) && declared >= 0 ? declared : body.length;
}

/** Waits out the injected latency of the rules matching this call, then throws their error, if any. */
async function injectFaults(
  faults: FaultRules,
  ctx: CallContext,
  protocol: "json" | "query",
  errorStatus: Readonly<Record<string, number>>,
  errorCodes: Readonly<Record<string, string>> = {},
): Promise<void> {
  const fault = faults.take({
    account: ctx.account,
    region: ctx.region,
    service: ctx.signingName,
    operation: ctx.operation,
  });
  if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.error) {
    throw faultError(
      fault.error,
      protocol,
      { action: `${ctx.signingName}:${ctx.operation}`, callerArn: ctx.identity.arn },
      errorStatus,
      errorCodes,
    );
  }
}

function asAwsError(e: unknown, operation: string): AwsError {
  if (e instanceof AwsError) return e;
  console.error(`[emulator] ${operation} failed:`, e);
  return new AwsError("InternalFailure", "The request processing has failed because of an unknown error.", 500);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
