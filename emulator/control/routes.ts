import { connectionArn, hostArn } from "../arns";
import { describeRule, parseFaultRule } from "../faults";
import type { FixtureName } from "../fixture-data";
import { buildFixture } from "../fixtures";
import { addMemberAccount, parseAddAccount } from "../org-accounts";
import { parsePushRequest, type PushSimulator } from "../pushes/simulator";
import type { RouteRequest, RouteResult, Router } from "../router";
import type { EmulatorState } from "../state";
import { parseFailRequest, SINK_NAME } from "../sinks";
import { finishHandshake, finishHostSetup, isConnectionStatus, isOutcome, setConnectionStatus, type Outcome } from "../transitions";

/**
 * The control API under /_emulator (not SigV4-checked). Answers are JSON; errors are
 * `{"error": "<message>"}` with a 4xx status.
 */
export function registerControlRoutes(
  router: Router,
  state: EmulatorState,
  services: readonly string[],
  simulator: PushSimulator,
): void {
  const faults = () => ok({ faults: state.faults.list().map(describeRule) });
  router
    .route("GET", "/_emulator/health", () => ok({ status: "ok", fixture: state.fixture }))
    .route("POST", "/_emulator/reset", () => {
      state.load(buildFixture("empty"));
      return ok({ status: "ok", fixture: state.fixture });
    })
    .route("POST", "/_emulator/seed", ({ body }) => {
      const input = parseBody(body);
      const fixture = input?.fixture;
      if (!isFixture(fixture)) return error(400, 'Expected a JSON body {"fixture": "demo" | "large" | "org" | "empty"}.');
      state.load(buildFixture(fixture));
      return ok({
        status: "ok",
        fixture,
        connections: state.codeConnections.connections.size,
        hosts: state.codeConnections.hosts.size,
        pipelines: state.pipelines.size,
        executions: state.pipelines.totalExecutions(),
        pushes: state.pushes.size,
        metricDatums: state.metrics.countObservations().observations,
      });
    })
    .route("POST", "/_emulator/organization/accounts", ({ body }) => {
      const parsed = parseAddAccount(parseJson(body));
      if (!parsed.ok) return error(400, parsed.message);
      const added = addMemberAccount(state, parsed.request);
      if (!added.ok) return error(added.status, added.message);
      const { account } = added;
      return {
        status: 201,
        body: {
          id: account.id,
          arn: added.arn,
          name: account.name,
          email: account.email,
          state: account.state,
          status: "ACTIVE",
          joinedMethod: account.joinedMethod,
          joinedTimestamp: account.joinedAt.toISOString(),
          parent: added.parent,
          roles: added.roles,
          regions: added.regions,
          connections: added.connections,
        },
      };
    })
    .route("GET", "/_emulator/stats", () => ok(state.stats.snapshot()))
    .route("POST", "/_emulator/stats/reset", () => {
      state.stats.reset();
      return ok(state.stats.snapshot());
    })
    .route("GET", "/_emulator/faults", faults)
    .route("POST", "/_emulator/faults", ({ body }) => {
      const parsed = parseFaultRule(parseJson(body), services);
      if (!parsed.ok) return error(400, parsed.message);
      try {
        return { status: 201, body: describeRule(state.faults.add(parsed.rule)) };
      } catch (e) {
        return error(409, e instanceof Error ? e.message : String(e));
      }
    })
    .route("DELETE", "/_emulator/faults", () => {
      state.faults.clear();
      return faults();
    })
    .route("DELETE", "/_emulator/faults/:id", ({ params }) =>
      state.faults.remove(params.id ?? "") ? faults() : error(404, `No fault rule ${params.id ?? ""}.`),
    )
    .route("POST", "/_emulator/connections/:uuid/handshake", (request) => handshake(state, request))
    .route("POST", "/_emulator/connections/:uuid/status", (request) => setStatus(state, request))
    .route("POST", "/_emulator/hosts/:id/setup", (request) => setupHost(state, request))
    // A sink's receiving endpoint is not the control API (control/guard.ts lets any request in);
    // reading it, making it fail and emptying it are.
    .route("POST", "/_emulator/sinks/:name", ({ params, body, req }) => {
      const name = params.name ?? "";
      if (!SINK_NAME.test(name)) return error(400, "A sink name is 1 to 64 letters, digits, '.', '_' or '-'.");
      const delivery = state.sinks.receive(name, req.headers, body, state.now());
      if (!delivery) return error(507, "The emulator keeps at most 100 sinks: empty some (DELETE /_emulator/sinks/<name>) or reseed.");
      return delivery.answered === 200
        ? ok({ status: "received", sink: name, seq: delivery.seq })
        : error(delivery.answered, `Sink ${name} answers ${delivery.answered}, as it was told to (POST /_emulator/sinks/${name}/fail).`);
    })
    .route("GET", "/_emulator/sinks/:name", ({ params }) => {
      const name = params.name ?? "";
      if (!SINK_NAME.test(name)) return error(400, "A sink name is 1 to 64 letters, digits, '.', '_' or '-'.");
      return ok({ sink: name, ...state.sinks.list(name) });
    })
    .route("DELETE", "/_emulator/sinks/:name", ({ params }) => {
      const name = params.name ?? "";
      if (!SINK_NAME.test(name)) return error(400, "A sink name is 1 to 64 letters, digits, '.', '_' or '-'.");
      state.sinks.clear(name);
      return ok({ sink: name, ...state.sinks.list(name) });
    })
    .route("POST", "/_emulator/sinks/:name/fail", ({ params, body }) => {
      const name = params.name ?? "";
      if (!SINK_NAME.test(name)) return error(400, "A sink name is 1 to 64 letters, digits, '.', '_' or '-'.");
      const parsed = parseFailRequest(parseJson(body));
      if (!parsed.ok) return error(400, parsed.message);
      if (!state.sinks.fail(name, parsed.failure)) return error(507, "The emulator keeps at most 100 sinks: empty some (DELETE /_emulator/sinks/<name>) or reseed.");
      return ok({ sink: name, failing: state.sinks.list(name).failing });
    })
    .route("POST", "/_emulator/pushes", async ({ body }) => {
      const parsed = parsePushRequest(parseJson(body));
      if (!parsed.ok) return error(400, parsed.message);
      return simulator.push(parsed.request);
    })
    .route("GET", "/_emulator/pushes", ({ req }) => {
      const source = new URL(req.url ?? "/", "http://emulator").searchParams.get("source") ?? "simulator";
      if (source !== "simulator" && source !== "fixture" && source !== "all") {
        return error(400, 'Expected ?source=simulator (default), fixture or all.');
      }
      return ok({ pushes: simulator.list(source) });
    });
}

/** The console's "Update pending connection" (see transitions.ts): complete → AVAILABLE, deny → ERROR. */
function handshake(state: EmulatorState, { params, body }: RouteRequest): RouteResult {
  const outcome = readOutcome(body);
  if (!outcome) return error(400, 'Expected a JSON body {"outcome": "complete" | "deny"}.');
  const result = finishHandshake(state, params.uuid ?? "", outcome);
  if (!result.ok) return error(result.status, result.message);
  const connection = result.record;
  return ok({ uuid: connection.uuid, arn: connectionArn(connection), status: connection.status });
}

/** What AWS does on its own (see transitions.ts): any status, from any status. */
function setStatus(state: EmulatorState, { params, body }: RouteRequest): RouteResult {
  const status = parseBody(body)?.status;
  if (!isConnectionStatus(status)) return error(400, 'Expected a JSON body {"status": "AVAILABLE" | "ERROR" | "PENDING"}.');
  const result = setConnectionStatus(state, params.uuid ?? "", status);
  if (!result.ok) return error(result.status, result.message);
  const connection = result.record;
  return ok({ uuid: connection.uuid, arn: connectionArn(connection), status: connection.status, previous: result.previous });
}

/** The console's "Set up host" (see transitions.ts): complete → AVAILABLE; deny stays PENDING with a StatusMessage. */
function setupHost(state: EmulatorState, { params, body }: RouteRequest): RouteResult {
  const outcome = readOutcome(body);
  if (!outcome) return error(400, 'Expected a JSON body {"outcome": "complete" | "deny"}.');
  const result = finishHostSetup(state, params.id ?? "", outcome);
  if (!result.ok) return error(result.status, result.message);
  const host = result.record;
  return ok({
    id: host.id,
    arn: hostArn(host),
    status: host.status,
    ...(host.statusMessage ? { statusMessage: host.statusMessage } : {}),
  });
}

function readOutcome(body: Buffer): Outcome | undefined {
  const outcome = parseBody(body)?.outcome;
  return isOutcome(outcome) ? outcome : undefined;
}

function parseBody(body: Buffer): Record<string, unknown> | undefined {
  const value = parseJson(body);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The JSON value of a body; undefined when it is not JSON. */
function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

function isFixture(value: unknown): value is FixtureName {
  return value === "demo" || value === "large" || value === "org" || value === "empty";
}

function ok(body: unknown): RouteResult {
  return { status: 200, body };
}

function error(status: number, message: string): RouteResult {
  return { status, body: { error: message } };
}
