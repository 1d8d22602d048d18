import type { ConnectionRecord, HostRecord } from "./model";
import type { EmulatorState } from "./state";

/**
 * The status changes only the AWS console can make: finishing a pending connection's handshake
 * and setting up a pending host. The control API (`/_emulator/…`) and the console pages
 * (`/console/…`) both go through these, so they answer the same 404 / 409 cases.
 */

export type Outcome = "complete" | "deny";

export const HOST_DENIED_MESSAGE = "Host setup was not completed: access to the provider was denied.";

export type TransitionResult<T> =
  | { ok: true; record: T }
  | { ok: false; status: 404 | 409; message: string; reason: "not-found" | "not-pending" | "host-not-available" };

export function isOutcome(value: unknown): value is Outcome {
  return value === "complete" || value === "deny";
}

/**
 * The host a self-managed connection is installed on, when that host is not AVAILABLE (a
 * handshake cannot be completed until the host is set up). Undefined for cloud providers.
 */
export function unavailableHostOf(state: EmulatorState, connection: ConnectionRecord): HostRecord | undefined {
  const host = connection.hostArn ? state.codeConnections.hostByArn(connection.hostArn) : undefined;
  return host && host.status !== "AVAILABLE" ? host : undefined;
}

/**
 * "Update pending connection" → Connect (complete: PENDING → AVAILABLE) or Deny (PENDING → ERROR).
 * 404: no such connection; 409: not PENDING, or (complete only) its host is not AVAILABLE.
 */
export function finishHandshake(state: EmulatorState, uuid: string, outcome: Outcome): TransitionResult<ConnectionRecord> {
  const connection = state.codeConnections.connections.get(uuid);
  if (!connection) return { ok: false, status: 404, reason: "not-found", message: `No connection with UUID ${uuid}.` };
  if (connection.status !== "PENDING") {
    return {
      ok: false,
      status: 409,
      reason: "not-pending",
      message: `Connection ${connection.uuid} is ${connection.status}; only a PENDING connection has a handshake.`,
    };
  }
  const host = outcome === "complete" ? unavailableHostOf(state, connection) : undefined;
  if (host) {
    return {
      ok: false,
      status: 409,
      reason: "host-not-available",
      message: `Connection ${connection.uuid} uses host ${host.id}, which is ${host.status}; set up the host first.`,
    };
  }
  connection.status = outcome === "complete" ? "AVAILABLE" : "ERROR";
  return { ok: true, record: connection };
}

/**
 * "Set up host" → complete (PENDING → AVAILABLE, StatusMessage cleared). Hosts have no ERROR
 * status, so deny leaves the host PENDING with a StatusMessage saying the setup was not completed.
 * 404: no such host; 409: not PENDING.
 */
export function finishHostSetup(state: EmulatorState, id: string, outcome: Outcome): TransitionResult<HostRecord> {
  const host = state.codeConnections.hosts.get(id);
  if (!host) return { ok: false, status: 404, reason: "not-found", message: `No host with id ${id}.` };
  if (host.status !== "PENDING") {
    return { ok: false, status: 409, reason: "not-pending", message: `Host ${host.id} is ${host.status}; only a PENDING host is set up.` };
  }
  if (outcome === "complete") {
    host.status = "AVAILABLE";
    host.statusMessage = undefined;
  } else {
    host.statusMessage = HOST_DENIED_MESSAGE;
  }
  return { ok: true, record: host };
}

export const CONNECTION_STATUSES = ["AVAILABLE", "PENDING", "ERROR"] as const;
export type SettableStatus = (typeof CONNECTION_STATUSES)[number];

export function isConnectionStatus(value: unknown): value is SettableStatus {
  return typeof value === "string" && (CONNECTION_STATUSES as readonly string[]).includes(value);
}

/**
 * Any status change, as AWS makes them on its own (an app uninstalled at the provider turns a
 * connection ERROR; AWS's retry brings it back): the control API's
 * `POST /_emulator/connections/<uuid>/status` and the demo's status flip. No precondition: every
 * transition is allowed, the same status included. 404: no such connection.
 */
export function setConnectionStatus(state: EmulatorState, uuid: string, status: SettableStatus): TransitionResult<ConnectionRecord> & { previous?: string } {
  const connection = state.codeConnections.connections.get(uuid);
  if (!connection) return { ok: false, status: 404, reason: "not-found", message: `No connection with UUID ${uuid}.` };
  const previous = connection.status;
  connection.status = status;
  return { ok: true, record: connection, previous };
}
