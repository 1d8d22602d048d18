import type { IncomingMessage, ServerResponse } from "node:http";
import { isArnPrefix, type ArnPrefix } from "../arns";
import { parseForm, redirect, sendHtml } from "../html";
import type { ConnectionRecord, HostRecord } from "../model";
import { BodyError, readBody } from "../protocol/body";
import type { Router } from "../router";
import type { EmulatorState } from "../state";
import { finishHandshake, finishHostSetup, isOutcome } from "../transitions";
import {
  connectionDetailsPage,
  connectionsListPage,
  connectionUpdatePage,
  defaultAppName,
  hostDetailsPage,
  hostSetupPage,
  hostsListPage,
  messagePage,
  type Flash,
} from "./pages";
import { CONSOLE_PREFIX, connectionPath, connectionsListPath, hostPath, hostsListPath } from "./paths";
import { handlePipelineConsole } from "./pipeline-routes";

/**
 * `/console/{region}/codesuite/settings/…`: the console pages behind Tether's deep links
 * (connection and host details, "Update pending connection", "Set up host", the list pages);
 * `/console/{region}/codesuite/codepipeline/…`: the pipeline pages (pipeline-routes.ts).
 * No SigV4, no sign-in, and not counted in the stats (they are not AWS calls).
 */

const FORM_LIMIT = 64 * 1024;

/** Flash names in the `?flash=` of the redirect after a POST, and what each says. */
const CONNECTION_FLASH: Record<string, (c: ConnectionRecord) => Flash | undefined> = {
  connected: (c) => (c.status === "AVAILABLE" ? { kind: "success", message: `Connection ${c.name} is now Available.` } : undefined),
  denied: (c) => (c.status === "ERROR" ? { kind: "error", message: "Authorization was denied; the connection is in Error." } : undefined),
};

const HOST_FLASH: Record<string, (h: HostRecord) => Flash | undefined> = {
  "setup-complete": (h) => (h.status === "AVAILABLE" ? { kind: "success", message: `Host ${h.name} is now Available.` } : undefined),
  "setup-cancelled": (h) =>
    h.status === "PENDING" ? { kind: "error", message: `Host setup was not completed; host ${h.name} is still Pending.` } : undefined,
};

export function registerConsoleRoutes(router: Router, state: EmulatorState): void {
  router.mount(CONSOLE_PREFIX, (req, res) => handleConsole(state, req, res));
}

async function handleConsole(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator");
  const method = req.method ?? "GET";
  const segments = decodeSegments(url.pathname);
  const consoleRegion = segments?.[1] ?? "us-east-1";
  const notFound = () =>
    sendHtml(
      res,
      404,
      messagePage({
        region: consoleRegion,
        title: "Page not found",
        message: `There is no console page at ${url.pathname} in this emulator (wrong region or account, or an unknown resource).`,
        links: [
          ["Connections", connectionsListPath(consoleRegion)],
          ["Hosts in this Region", hostsListPath(consoleRegion)],
        ],
      }),
    );

  // ["console", region, "codesuite", "codepipeline", ...rest]
  if (segments && segments.length >= 5 && segments[2] === "codesuite" && segments[3] === "codepipeline") {
    if (!allow(method, ["GET"], res, consoleRegion)) return;
    return handlePipelineConsole(state, res, url, consoleRegion, segments.slice(4));
  }
  // ["console", region, "codesuite", "settings", ...rest]
  if (!segments || segments.length < 5 || segments[2] !== "codesuite" || segments[3] !== "settings") return notFound();
  const rest = segments.slice(4);

  if (rest.length === 1 && (rest[0] === "connections" || rest[0] === "hosts")) {
    if (!allow(method, ["GET"], res, consoleRegion)) return;
    // Like the real console, ?region= picks the selected Region. Connections are global
    // resources: every Region's list shows the connections of every home Region. Hosts are
    // regional: the list shows the selected Region's.
    const region = url.searchParams.get("region") || consoleRegion;
    if (rest[0] === "connections") {
      sendHtml(res, 200, connectionsListPage({ consoleRegion, region, connections: [...state.codeConnections.connections.values()] }));
    } else {
      const hosts = [...state.codeConnections.hosts.values()].filter((h) => h.region === region);
      sendHtml(res, 200, hostsListPage({ consoleRegion, region, hosts }));
    }
    return;
  }

  // [account, region, svc, "connections" | "hosts", id, ("update" | "setup")?]
  const [account, region, svc, kind, id, action] = rest;
  if (rest.length < 5 || rest.length > 6 || !account || !id || region !== consoleRegion || !svc || !isArnPrefix(svc)) {
    return notFound();
  }
  if (kind === "connections" && (action === undefined || action === "update")) {
    const connection = state.codeConnections.connections.get(id);
    if (!connection || connection.account !== account || connection.region !== region) return notFound();
    const view = { connection, svc, host: hostOf(state, connection) };
    if (action === undefined) {
      if (!allow(method, ["GET"], res, region)) return;
      const flash = CONNECTION_FLASH[url.searchParams.get("flash") ?? ""]?.(connection);
      sendHtml(res, 200, connectionDetailsPage({ ...view, flash }));
      return;
    }
    if (!allow(method, ["GET", "POST"], res, region)) return;
    await updateConnection(state, req, res, method, view);
    return;
  }
  if (kind === "hosts" && (action === undefined || action === "setup")) {
    const host = state.codeConnections.hosts.get(id);
    if (!host || host.account !== account || host.region !== region) return notFound();
    const view = { host, svc, connections: state.codeConnections.connectionsOnHost(host) };
    if (action === undefined) {
      if (!allow(method, ["GET"], res, region)) return;
      const flash = HOST_FLASH[url.searchParams.get("flash") ?? ""]?.(host);
      sendHtml(res, 200, hostDetailsPage({ ...view, flash }));
      return;
    }
    if (!allow(method, ["GET", "POST"], res, region)) return;
    await setUpHost(state, req, res, method, view);
    return;
  }
  return notFound();
}

/** GET: the provider's authorization screen. POST `outcome=complete|deny`: Connect / Deny. */
async function updateConnection(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  view: { connection: ConnectionRecord; svc: ArnPrefix; host?: HostRecord },
): Promise<void> {
  const { connection, svc } = view;
  const details = connectionPath(connection, svc);
  if (connection.status !== "PENDING") {
    return notPending(res, connection.region, `Connection ${connection.name} is ${connection.status}; only a pending connection can be updated.`, details);
  }
  if (method === "GET") {
    sendHtml(res, 200, connectionUpdatePage(view));
    return;
  }
  const form = await readForm(req, res, connection.region);
  if (!form) return;
  const outcome = form.get("outcome");
  if (!isOutcome(outcome)) return badForm(res, connection.region, 'Expected the form field "outcome" (complete or deny).');
  const result = finishHandshake(state, connection.uuid, outcome);
  if (!result.ok) {
    if (result.reason === "host-not-available") {
      sendHtml(res, 409, connectionUpdatePage(view));
      return;
    }
    return notPending(res, connection.region, result.message, details);
  }
  redirect(res, `${details}?flash=${outcome === "complete" ? "connected" : "denied"}`);
}

/** GET: the setup form. POST `outcome=complete|deny` (+ personalAccessToken / appName): Complete setup / Cancel. */
async function setUpHost(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  view: { host: HostRecord; svc: ArnPrefix; connections: ConnectionRecord[] },
): Promise<void> {
  const { host, svc } = view;
  const details = hostPath(host, svc);
  if (host.status !== "PENDING") {
    return notPending(res, host.region, `Host ${host.name} is ${host.status}; only a pending host is set up.`, details);
  }
  if (method === "GET") {
    sendHtml(res, 200, hostSetupPage(view));
    return;
  }
  const form = await readForm(req, res, host.region);
  if (!form) return;
  const outcome = form.get("outcome");
  if (!isOutcome(outcome)) return badForm(res, host.region, 'Expected the form field "outcome" (complete or deny).');
  if (outcome === "complete") {
    if (host.providerType === "GitLabSelfManaged" && !form.get("personalAccessToken")?.trim()) {
      sendHtml(res, 400, hostSetupPage({ ...view, error: "Enter a personal access token." }));
      return;
    }
    const appName = form.get("appName") ?? defaultAppName(host);
    if (host.providerType === "GitHubEnterpriseServer" && !appName.trim()) {
      sendHtml(res, 400, hostSetupPage({ ...view, appName, error: "Enter a name for the GitHub App." }));
      return;
    }
  }
  const result = finishHostSetup(state, host.id, outcome);
  if (!result.ok) return notPending(res, host.region, result.message, details);
  redirect(res, `${details}?flash=${outcome === "complete" ? "setup-complete" : "setup-cancelled"}`);
}

function hostOf(state: EmulatorState, connection: ConnectionRecord): HostRecord | undefined {
  return connection.hostArn ? state.codeConnections.hostByArn(connection.hostArn) : undefined;
}

async function readForm(req: IncomingMessage, res: ServerResponse, region: string): Promise<URLSearchParams | undefined> {
  try {
    return parseForm(await readBody(req, FORM_LIMIT), req.headers["content-type"]);
  } catch (e) {
    if (!(e instanceof BodyError)) throw e;
    sendHtml(res, e.status, messagePage({ region, title: "Bad request", message: e.message }));
    return undefined;
  }
}

function badForm(res: ServerResponse, region: string, message: string): void {
  sendHtml(res, 400, messagePage({ region, title: "Bad request", message }));
}

function notPending(res: ServerResponse, region: string, message: string, back: string): void {
  sendHtml(res, 409, messagePage({ region, title: "Nothing to do", message, links: [["Back to the details page", back]] }));
}

/** False after answering 405 when `method` is not one of `methods`. */
function allow(method: string, methods: string[], res: ServerResponse, region: string): boolean {
  if (methods.includes(method)) return true;
  sendHtml(res, 405, messagePage({ region, title: "Method not allowed", message: `${method} is not allowed here.` }), {
    Allow: methods.join(", "),
  });
  return false;
}

/** Decoded path segments, or undefined when one is not valid percent-encoding. */
function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}
