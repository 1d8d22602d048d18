import type { Identity } from "../identity";
import type { JsonVersion, QueryCompatibility } from "../protocol/aws-json";
import type { QueryValue, XmlValue } from "../protocol/query";

/**
 * What every operation handler receives besides its input. `S` is what the operation needs of
 * the emulator's state: its service's store, as the service's model.ts names it (for example
 * `CodePipelineState`, `{ pipelines }`). The emulator's state (state.ts) holds one of each; the
 * services know nothing else of it.
 */
export interface CallContext<S = unknown> {
  state: S;
  requestId: string;
  operation: string;
  /** From the SigV4 credential scope: which endpoint was called. */
  signingName: string;
  identity: Identity;
  /** The caller's account (from the identity) and region (from the credential scope). */
  account: string;
  region: string;
  now: Date;
  /** Size of the request body as sent (before any gunzip): `Content-Length`, else the body's. */
  wireBytes: number;
}

export type JsonHandler<S = unknown> = (input: Record<string, unknown>, ctx: CallContext<S>) => object | Promise<object>;
export type QueryResult = Record<string, XmlValue | undefined>;
export type QueryHandler<S = unknown> = (
  params: Record<string, QueryValue>,
  ctx: CallContext<S>,
) => QueryResult | Promise<QueryResult>;

/** A service spoken in AWS JSON, found by its `X-Amz-Target` prefix. */
export interface JsonService<S = unknown> {
  protocol: "json";
  jsonVersion: JsonVersion;
  /** Each accepted target prefix and the signing name its endpoint uses (for unsigned requests). */
  targets: readonly { prefix: string; signingName: string }[];
  /** Credential scopes accepted for this service. */
  signingNames: readonly string[];
  operations: Readonly<Record<string, JsonHandler<S>>>;
  /**
   * Operations that change state, each with the resource its IAM denial names (policy.ts: a
   * read-only role is refused them with AccessDeniedException). The input is unvalidated.
   */
  mutatingOperations?: Readonly<Record<string, (input: Record<string, unknown>, ctx: CallContext<S>) => string>>;
  /**
   * HTTP statuses the model's `httpError` traits give the errors the emulator raises for any
   * operation (policy denials, injected faults): `AccessDeniedException`, `ThrottlingException`.
   * Absent: 400.
   */
  errorStatus?: Readonly<Record<string, number>>;
  /**
   * The code an injected fault answers with when the service's model names it differently
   * (Organizations throttles with `TooManyRequestsException`, not `ThrottlingException`).
   */
  errorCodes?: Readonly<Record<string, string>>;
  /**
   * The `awsQueryCompatible` trait (CloudWatch): errors are written with a namespaced `__type`
   * and `x-amzn-query-error`, and injected faults use the query codes (`Throttling`).
   */
  queryCompatible?: QueryCompatibility;
}

/** A service spoken in the query protocol, found by signing name (or, unsigned, by Action). */
export interface QueryService<S = unknown> {
  protocol: "query";
  signingName: string;
  xmlNamespace: string;
  operations: Readonly<Record<string, QueryHandler<S>>>;
}

/**
 * A service spoken in REST-JSON (Account Management): each operation is an HTTP method and path
 * (`POST /listRegions`), JSON in and out; errors carry their code in `x-amzn-ErrorType` and a
 * body `{"message", …}`. Found by signing name and path (unsigned: by path alone).
 */
export interface RestJsonService<S = unknown> {
  protocol: "rest-json";
  signingName: string;
  routes: readonly { method: string; path: string; operation: string }[];
  operations: Readonly<Record<string, JsonHandler<S>>>;
  /** HTTP statuses of the model's errors raised for any operation (faults); absent: 400. */
  errorStatus?: Readonly<Record<string, number>>;
  /** As for JSON services: the model's code for an injected fault's error, when it differs. */
  errorCodes?: Readonly<Record<string, string>>;
}

export type Service<S = unknown> = JsonService<S> | QueryService<S> | RestJsonService<S>;

/** The registered services; `S` is the state their handlers are called with (a service may need less of it). */
export class ServiceRegistry<S = unknown> {
  private readonly byTarget = new Map<string, { service: JsonService<S>; signingName: string }>();
  private readonly querySigningNames = new Map<string, QueryService<S>>();
  private readonly queryServices: QueryService<S>[] = [];
  private readonly restServices: RestJsonService<S>[] = [];

  register(service: Service<S>): this {
    if (service.protocol === "json") {
      for (const t of service.targets) this.byTarget.set(t.prefix, { service, signingName: t.signingName });
    } else if (service.protocol === "rest-json") {
      this.restServices.push(service);
    } else {
      this.querySigningNames.set(service.signingName, service);
      this.queryServices.push(service);
    }
    return this;
  }

  jsonByTarget(prefix: string): { service: JsonService<S>; signingName: string } | undefined {
    return this.byTarget.get(prefix);
  }

  queryBySigningName(signingName: string): QueryService<S> | undefined {
    return this.querySigningNames.get(signingName);
  }

  /** Every signing name a registered service accepts, sorted. */
  signingNames(): string[] {
    const names = new Set<string>();
    for (const { service } of this.byTarget.values()) for (const n of service.signingNames) names.add(n);
    for (const s of this.queryServices) names.add(s.signingName);
    for (const s of this.restServices) names.add(s.signingName);
    return [...names].sort();
  }

  /**
   * The REST-JSON operation at this method and path: of the service the request is signed for
   * when one is named (`signingName`), else of the one service that has that route.
   */
  restByRoute(
    method: string,
    path: string,
    signingName?: string,
  ): { service: RestJsonService<S>; operation: string } | undefined {
    const matches = this.restServices.flatMap((service) =>
      service.routes.filter((r) => r.method === method && r.path === path).map((r) => ({ service, operation: r.operation })),
    );
    const signed = signingName === undefined ? [] : matches.filter((m) => m.service.signingName === signingName);
    if (signed.length === 1) return signed[0];
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** For unsigned query requests: the one service that has this Action. */
  queryByAction(action: string): QueryService<S> | undefined {
    const matches = this.queryServices.filter((s) => Object.hasOwn(s.operations, action));
    return matches.length === 1 ? matches[0] : undefined;
  }
}
