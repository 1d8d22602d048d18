import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAwsRequest, handleRestJsonRequest } from "./aws-handler";
import { registerConsoleRoutes } from "./console/routes";
import { controlRefusal } from "./control/guard";
import { registerControlRoutes } from "./control/routes";
import type { FixtureName } from "./fixture-data";
import { buildFixture } from "./fixtures";
import { sendJsonError } from "./protocol/aws-json";
import { createDemoOidc, DEFAULT_APP_URL, normalizeAppUrl, OIDC_PREFIX, type DemoOidc } from "./oidc/provider";
import { BodyError, readBody } from "./protocol/body";
import { parseAuthorization } from "./protocol/sigv4";
import { DEFAULT_EVENTS_KEY, DEFAULT_WEBHOOK_SECRET, PushSimulator } from "./pushes/simulator";
import { AwsError } from "./protocol/errors";
import { Router } from "./router";
import { cloudWatchQueryService, cloudWatchService } from "./services/cloudwatch";
import { codePipelineService } from "./services/codepipeline";
import { connectionsService } from "./services/connections";
import { ServiceRegistry } from "./services/registry";
import { stsService } from "./services/sts";
import { accountService } from "./services/account";
import { organizationsService } from "./services/organizations";
import { EmulatorState } from "./state";
import { StatusFlipper } from "./status-flip";

export type { FixtureName } from "./fixture-data";
export { EmulatorState } from "./state";

export interface EmulatorOptions {
  /** 0 picks a free port. Default 4566. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default `demo`. */
  fixture?: FixtureName;
  /**
   * Base URLs of the Tether app the demo identity provider's client `tether` redirects to
   * (`<app>/api/auth/callback/oidc`; after logout `<app>` or `<app>/login`). Default
   * `["http://localhost:3000"]`.
   */
  appUrls?: string[];
  /** Secret the push simulator signs webhooks with (GitLab: the token). Default `tether-demo-webhook-secret`. */
  webhookSecret?: string;
  /** `x-tether-api-key` of the simulator's EventBridge events. Default `tether-demo-events-key`. */
  eventsKey?: string;
  /** Background simulated pushes a minute; 0 (default) = off. */
  pushesPerMinute?: number;
  /** Every this many minutes the fixture's flip connection turns ERROR, then back (the demo); 0 (default) = off. */
  statusFlipMinutes?: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** The demo identity provider's issuer: `http://localhost:<port>/oidc`. */
  oidcIssuer: string;
  /** The app base URLs registered with the identity provider's client. */
  appUrls: string[];
  state: EmulatorState;
  /** The push simulator (`/_emulator/pushes`); it delivers to `appUrls[0]`. */
  simulator: PushSimulator;
  /** The demo's status flip (status-flip.ts); started only with `statusFlipMinutes`. */
  flipper: StatusFlipper;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4566;
export const DEFAULT_HOST = "127.0.0.1";

/** The AWS services every emulator serves: JSON by X-Amz-Target, query by signing name, REST-JSON by path. */
export function createRegistry(): ServiceRegistry<EmulatorState> {
  return new ServiceRegistry<EmulatorState>()
    .register(connectionsService)
    .register(codePipelineService)
    .register(stsService)
    .register(cloudWatchService)
    .register(cloudWatchQueryService)
    .register(organizationsService)
    .register(accountService);
}

/**
 * Starts the emulator: AWS API calls on `POST /`, everything else through the route table
 * (`/_emulator/*` control API, `/oidc` identity provider, `/console` pages).
 */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const appUrls = [...new Set((opts.appUrls?.length ? opts.appUrls : [DEFAULT_APP_URL]).map(normalizeAppUrl))];
  const state = new EmulatorState();
  state.load(buildFixture(opts.fixture ?? "demo"));
  const registry = createRegistry();
  const router = new Router();
  const simulator = new PushSimulator(state, {
    appUrl: appUrls[0] ?? DEFAULT_APP_URL,
    webhookSecret: opts.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
    eventsKey: opts.eventsKey ?? DEFAULT_EVENTS_KEY,
  });
  registerControlRoutes(router, state, registry.signingNames(), simulator);
  registerConsoleRoutes(router, state);
  // The issuer names the port, known only once listening: requests that arrive first wait for it.
  let resolveOidc: (oidc: DemoOidc) => void = () => undefined;
  let rejectOidc: (e: unknown) => void = () => undefined;
  const oidc = new Promise<DemoOidc>((resolve, reject) => {
    resolveOidc = resolve;
    rejectOidc = reject;
  });
  oidc.catch(() => undefined);
  router.mount(OIDC_PREFIX, async (req, res) => (await oidc).handle(req, res));

  const server = createServer((req, res) => {
    handle(req, res, registry, router, state).catch((e: unknown) => internalError(res, e));
  });
  const host = opts.host ?? DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let demoOidc: DemoOidc;
  try {
    demoOidc = await createDemoOidc({ port, appUrls });
  } catch (e) {
    rejectOidc(e);
    server.close();
    server.closeAllConnections();
    throw e;
  }
  resolveOidc(demoOidc);
  simulator.start(opts.pushesPerMinute ?? 0);
  const flipper = new StatusFlipper(state);
  flipper.start(opts.statusFlipMinutes ?? 0);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    oidcIssuer: demoOidc.issuer,
    appUrls,
    state,
    simulator,
    flipper,
    close: () =>
      new Promise<void>((resolve, reject) => {
        simulator.stop();
        flipper.stop();
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  registry: ServiceRegistry<EmulatorState>,
  router: Router,
  state: EmulatorState,
): Promise<void> {
  const path = new URL(req.url ?? "/", "http://emulator").pathname;
  const method = req.method ?? "GET";
  if (method === "POST" && path === "/") {
    const body = await readBodyOrAnswer(req, res, true);
    if (body) await handleAwsRequest(req, res, body, registry, state);
    return;
  }
  // REST-JSON services (Account Management's POST /listRegions): by signing name and path.
  const signing = parseAuthorization(firstHeader(req.headers.authorization));
  const rest = registry.restByRoute(method, path, signing.ok ? signing.credential.service : undefined);
  if (rest) {
    const body = await readBodyOrAnswer(req, res, true);
    if (body) await handleRestJsonRequest(req, res, body, rest, state);
    return;
  }
  const match = router.match(method, path);
  switch (match.kind) {
    case "mount":
      await match.handler(req, res);
      return;
    case "route": {
      const refused = controlRefusal(path, method, req.headers);
      if (refused) {
        req.resume();
        sendJson(res, refused.status, refused.body);
        return;
      }
      const body = await readBodyOrAnswer(req, res, false);
      if (!body) return;
      const result = await match.handler({ params: match.params, body, req });
      sendJson(res, result.status, result.body);
      return;
    }
    case "method-not-allowed":
      sendJson(res, 405, { error: `${method} is not allowed on ${path}.` }, { Allow: match.allow.join(", ") });
      return;
    case "not-found":
      sendJson(res, 404, { error: `Not found: ${method} ${path}` });
  }
}

/** The body, or undefined after answering 4xx when it is too large or badly encoded. */
async function readBodyOrAnswer(req: IncomingMessage, res: ServerResponse, aws: boolean): Promise<Buffer | undefined> {
  try {
    return await readBody(req);
  } catch (e) {
    if (!(e instanceof BodyError)) throw e;
    if (aws) {
      const code = e.status === 413 ? "RequestEntityTooLargeException" : "SerializationException";
      sendJsonError(res, "1.0", randomUUID(), new AwsError(code, e.message, e.status));
    } else {
      sendJson(res, e.status, { error: e.message });
    }
    return undefined;
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function internalError(res: ServerResponse, e: unknown): void {
  console.error("[emulator] request failed:", e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, 500, { __type: "InternalFailure", Message: "Internal emulator error.", message: "Internal emulator error." });
}
