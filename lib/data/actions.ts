import "server-only";
import { UUID } from "@/lib/arn";
import { clientsFor } from "@/lib/aws/clients";
import { startPipelineExecution } from "@/lib/aws/codepipeline";
import { deleteConnection, getConnection, getHost } from "@/lib/aws/connections";
import { connectionConsoleUrl, hostConsoleUrl } from "@/lib/console-url";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { getInventory, readScope, refreshAccount } from "@/lib/fleet/inventory";
import { getScopes, scopeIn } from "@/lib/fleet/scopes";
import { getStore } from "@/lib/store";
import type { ResourceKind, Watch } from "@/lib/store/types";
import type { Scope } from "@/lib/types";
import { WATCH_MINUTES } from "@/lib/watch/decide";
import { startWatching } from "@/lib/watch/watcher";
import { recordRefusal } from "./audit";
import { currentPrincipal, type Principal } from "./session";

/**
 * Admin actions. Each one writes an audit record whatever happens: refused (wrong role) and failed
 * (unknown target, nothing to do) before answering. An action that calls AWS to change something
 * (release, delete) is recorded "allowed" BEFORE the call — the intent — and its outcome after,
 * as a second record pointing at the first ("completed" with what AWS returned, or "error"): a
 * crash or a database error between the two leaves a visible intent with no outcome, never an
 * unaudited action, and the log stays append-only.
 */

export interface ResumeResult {
  consoleUrl: string;
  auditId: number;
  watchId: number;
}

const ACTIONS: Record<ResourceKind, string> = { connection: "connection.resume", host: "host.setup" };

function audit(p: Principal, kind: ResourceKind | "pipeline", target: string, outcome: "allowed" | "refused" | "error" | "completed", extra: { name?: string; statusBefore?: string; detail?: string; action?: string; relatedId?: number } = {}) {
  return getStore().audit.append({
    actor: p.id,
    actorRole: p.role,
    via: p.via,
    action: extra.action ?? ACTIONS[kind as ResourceKind],
    targetKind: kind,
    target,
    targetName: extra.name ?? null,
    outcome,
    statusBefore: extra.statusBefore ?? null,
    detail: extra.detail ?? null,
    relatedId: extra.relatedId ?? null,
  });
}

/** A refused attempt: through the flood-proof path (lib/data/audit.ts recordRefusal). */
function refused(p: Principal, kind: ResourceKind | "pipeline", target: string, extra: { detail: string; action?: string }) {
  recordRefusal(p, { action: extra.action ?? ACTIONS[kind as ResourceKind], targetKind: kind, target, detail: extra.detail });
}

async function startResume(kind: ResourceKind, rawId: string): Promise<ResumeResult> {
  const p = await currentPrincipal();
  if (!p) throw new AppError("unauthenticated", "sign-in required");
  const id = decodeURIComponent(rawId);
  if (p.role !== "admin" || !p.allowed) {
    refused(p, kind, id, { detail: p.allowed ? `role ${p.role}` : "not allowed" });
    throw new AppError("forbidden", "admins only");
  }

  const valid = kind === "connection" ? UUID.test(id) : /^[A-Za-z0-9._-]{1,128}$/.test(id);
  const inv = valid ? await getInventory() : null;
  const found = kind === "connection" ? inv?.connections.find((c) => c.id.toLowerCase() === id.toLowerCase()) : inv?.hosts.find((h) => h.id === id);
  if (!found) {
    audit(p, kind, id, "error", { detail: `no such ${kind}` });
    throw new AppError("not_found", `no ${kind} with id ${id} in any configured scope`);
  }
  const target = `${found.account}/${found.region}/${found.id}`;
  // A connection is read through the Region that lists its account (it is account-global); a host in its own Region.
  const scope = kind === "connection" ? await readScope(found.account) : scopeIn(await getScopes(), found.account, found.region);
  if (!scope) {
    audit(p, kind, target, "error", { name: found.name, detail: `account ${found.account} is not configured` });
    throw new AppError("not_found", `no ${kind} with id ${id} in any configured scope`);
  }
  const client = clientsFor(scope).connections;
  let fresh;
  try {
    fresh = kind === "connection" ? await getConnection(client, scope, found.arn) : await getHost(client, scope, found.arn);
  } catch (e) {
    // AWS throttling or unreachable: the attempt is audited like any other.
    audit(p, kind, target, "error", { name: found.name, detail: isAppError(e) ? e.message : "reading its status failed" });
    throw e;
  }
  if (!fresh) {
    audit(p, kind, target, "error", { name: found.name, detail: `the ${kind} no longer exists` });
    throw new AppError("not_found", `${found.name} no longer exists`);
  }
  if (fresh.status === "AVAILABLE" || (kind === "host" && fresh.status !== "PENDING")) {
    audit(p, kind, target, "error", { name: found.name, statusBefore: fresh.status, detail: `nothing to do: it is ${fresh.status}` });
    throw new AppError("conflict", `${found.name} is ${fresh.status}; there is nothing to ${kind === "connection" ? "resume" : "set up"}`);
  }

  const template = env().TETHER_CONSOLE_URL;
  const consoleUrl = kind === "connection" ? connectionConsoleUrl(template, found.arn) : hostConsoleUrl(template, found.arn);
  const record = audit(p, kind, target, "allowed", { name: found.name, statusBefore: fresh.status, detail: `console ${consoleUrl}` });
  const store = getStore();
  const existing = store.watches.latestFor(kind, found.account, found.region, found.id);
  let watch: Watch;
  if (existing?.state === "watching") {
    watch = existing;
  } else {
    const now = Date.now();
    watch = store.watches.start({
      kind,
      account: found.account,
      region: found.region,
      resourceId: found.id,
      arn: found.arn,
      name: found.name,
      auditId: record.id,
      startedBy: p.id,
      startedAt: new Date(now).toISOString(),
      deadlineAt: new Date(now + WATCH_MINUTES * 60_000).toISOString(),
      statusBefore: fresh.status,
    });
  }
  startWatching(watch);
  return { consoleUrl, auditId: record.id, watchId: watch.id };
}

export const resumeConnection = (rawId: string) => startResume("connection", rawId);
export const setupHost = (rawId: string) => startResume("host", rawId);

export interface WatchView {
  id: number;
  state: Watch["state"];
  lastStatus: string | null;
  statusBefore: string;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  deadlineAt: string;
  checks: number;
}

export const toWatchView = (w: Watch): WatchView => ({
  id: w.id,
  state: w.state,
  lastStatus: w.lastStatus,
  statusBefore: w.statusBefore,
  startedBy: w.startedBy,
  startedAt: w.startedAt,
  finishedAt: w.finishedAt,
  deadlineAt: w.deadlineAt,
  checks: w.checks,
});

/** The latest watch of a connection or host (any scope), or null. */
export async function getWatch(kind: ResourceKind, rawId: string): Promise<WatchView | null> {
  const p = await currentPrincipal();
  if (!p) throw new AppError("unauthenticated", "sign-in required");
  if (!p.allowed) throw new AppError("forbidden", "not allowed");
  const id = decodeURIComponent(rawId);
  const records = getStore().history.findById(kind, id);
  const watches = records.map((r) => getStore().watches.latestFor(kind, r.account, r.region, r.id)).filter((w): w is Watch => w !== null);
  const latest = watches.sort((a, b) => b.id - a.id)[0];
  return latest ? toWatchView(latest) : null;
}

// ---------------------------------------------------------------------------------------------
// Operator actions: they need the optional operator policy in the target scope.

async function adminFor(kind: ResourceKind | "pipeline", action: string, target: string): Promise<Principal> {
  const p = await currentPrincipal();
  if (!p) throw new AppError("unauthenticated", "sign-in required");
  if (p.role !== "admin" || !p.allowed) {
    refused(p, kind, target, { action, detail: p.allowed ? `role ${p.role}` : "not allowed" });
    throw new AppError("forbidden", "admins only");
  }
  return p;
}

async function scopeFor(account: string, region: string): Promise<Scope | null> {
  return (await getScopes()).find((s) => s.account === account && s.region === region) ?? null;
}

/** A denial by the scope's IAM policy, explained: which permission, and what grants it. */
function policyDenied(scope: Scope, permission: string): AppError {
  const who = scope.roleArn ? `the role ${scope.roleArn}` : "Tether's default credentials";
  return new AppError("forbidden", `The IAM policy of ${scope.account}/${scope.region} does not let ${who} call ${permission}. Attach Tether's operator policy (deploy/iam) there to allow it; Tether's read-only policy does not.`);
}

export async function releasePipeline(account: string, region: string, name: string): Promise<{ executionId: string; auditId: number }> {
  const target = `${account}/${region}/${name}`;
  const p = await adminFor("pipeline", "pipeline.release", target);
  const stored = /^[A-Za-z0-9.@_-]{1,100}$/.test(name) ? getStore().pipelines.get(account, region, name) : null;
  const scope = await scopeFor(account, region);
  if (!stored || !scope) {
    audit(p, "pipeline", target, "error", { action: "pipeline.release", detail: "no such pipeline in a configured scope" });
    throw new AppError("not_found", `no pipeline ${name} in ${account}/${region}`);
  }
  const intent = audit(p, "pipeline", target, "allowed", { action: "pipeline.release", name, detail: "calling StartPipelineExecution" });
  let executionId: string;
  try {
    executionId = await startPipelineExecution(clientsFor(scope).pipelines, scope, name, crypto.randomUUID());
  } catch (e) {
    const denied = isAppError(e) && e.kind === "forbidden";
    audit(p, "pipeline", target, "error", { action: "pipeline.release.outcome", name, detail: denied ? "denied by the scope's IAM policy" : isAppError(e) ? e.message : "failed", relatedId: intent.id });
    throw denied ? policyDenied(scope, "codepipeline:StartPipelineExecution") : e;
  }
  audit(p, "pipeline", target, "completed", { action: "pipeline.release.outcome", name, detail: `execution ${executionId}`, relatedId: intent.id });
  const now = new Date().toISOString();
  getStore().pipelines.saveExecutions(account, region, name, [{ executionId, status: "InProgress", startTime: now, lastUpdateTime: now, triggerType: "StartPipelineExecution", triggerDetail: p.id, revisionId: null, revisionSummary: null }]);
  return { executionId, auditId: intent.id };
}

export interface Deletability {
  allowed: boolean;
  reason: string;
}

/** Whether a connection may be deleted from Tether: PENDING for long enough and used by no pipeline. */
export function deletability(c: { status: string; statusSince: string | null; pipelines: number | null }, now: number): Deletability {
  const days = env().TETHER_DELETE_PENDING_AFTER_DAYS;
  if (c.status !== "PENDING") return { allowed: false, reason: `only PENDING connections can be deleted here (this one is ${c.status})` };
  if (c.pipelines === null) return { allowed: false, reason: "its scope's pipelines have not been mapped yet, so Tether cannot tell whether a pipeline uses it" };
  if (c.pipelines > 0) return { allowed: false, reason: `${c.pipelines} pipeline${c.pipelines === 1 ? "" : "s"} use it` };
  if (!c.statusSince) return { allowed: false, reason: "Tether does not know how long it has been PENDING" };
  const ageDays = (now - Date.parse(c.statusSince)) / 86_400_000;
  if (ageDays < days) return { allowed: false, reason: `it has been PENDING for ${ageDays < 1 ? "less than a day" : `${Math.floor(ageDays)} days`}; deletable after ${days} days (TETHER_DELETE_PENDING_AFTER_DAYS)` };
  return { allowed: true, reason: `PENDING for ${Math.floor(ageDays)} days and used by no pipeline` };
}

export async function deleteStaleConnection(rawId: string, rowOf: (id: string) => Promise<{ arn: string; account: string; region: string; name: string; status: string; statusSince: string | null; pipelines: number | null } | null>): Promise<{ auditId: number }> {
  const id = decodeURIComponent(rawId);
  const p = await adminFor("connection", "connection.delete", id);
  const row = UUID.test(id) ? await rowOf(id) : null;
  // AWS applies changes to a connection in its home Region (the one in its ARN), watched or not.
  const scope = row ? scopeIn(await getScopes(), row.account, row.region) : null;
  const reader = row ? await readScope(row.account) : null;
  if (!row || !scope || !reader) {
    audit(p, "connection", id, "error", { action: "connection.delete", detail: "no such connection" });
    throw new AppError("not_found", `no connection with id ${id} in any configured scope`);
  }
  const target = `${row.account}/${row.region}/${id}`;
  const fresh = await getConnection(clientsFor(reader).connections, reader, row.arn);
  const verdict = deletability({ ...row, status: fresh?.status ?? "DELETED" }, Date.now());
  if (!fresh || !verdict.allowed) {
    audit(p, "connection", target, "error", { action: "connection.delete", name: row.name, statusBefore: fresh?.status ?? "DELETED", detail: `not deleted: ${fresh ? verdict.reason : "it no longer exists"}` });
    throw new AppError("conflict", `${row.name} was not deleted: ${fresh ? verdict.reason : "it no longer exists"}`);
  }
  const intent = audit(p, "connection", target, "allowed", { action: "connection.delete", name: row.name, statusBefore: fresh.status, detail: `${verdict.reason}; calling DeleteConnection in ${scope.region}` });
  try {
    await deleteConnection(clientsFor(scope).connections, scope, row.arn);
  } catch (e) {
    const denied = isAppError(e) && e.kind === "forbidden";
    audit(p, "connection", target, "error", { action: "connection.delete.outcome", name: row.name, statusBefore: fresh.status, detail: denied ? "denied by the scope's IAM policy" : isAppError(e) ? e.message : "failed", relatedId: intent.id });
    throw denied ? policyDenied(scope, `${row.arn.includes(":codeconnections:") ? "codeconnections" : "codestar-connections"}:DeleteConnection`) : e;
  }
  audit(p, "connection", target, "completed", { action: "connection.delete.outcome", name: row.name, statusBefore: fresh.status, detail: "deleted", relatedId: intent.id });
  await refreshAccount(row.account);
  return { auditId: intent.id };
}
