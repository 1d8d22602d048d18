import "server-only";
import { UUID } from "@/lib/arn";
import { clientsFor } from "@/lib/aws/clients";
import { startPipelineExecution } from "@/lib/aws/codepipeline";
import { deleteConnection, getConnection, getHost } from "@/lib/aws/connections";
import { connectionConsoleUrl, hostConsoleUrl } from "@/lib/console-url";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { deletability } from "@/lib/fleet/deletability";
import { getInventory, readScope, refreshAccount } from "@/lib/fleet/inventory";
import { getScopes, scopeIn } from "@/lib/fleet/scopes";
import { getStore } from "@/lib/store";
import type { Watch } from "@/lib/store/types";
import type { ResourceKind, Scope } from "@/lib/types";
import { WATCH_MINUTES } from "@/lib/watch/decide";
import { startWatching } from "@/lib/watch/watcher";
import { sweepExecutions, type SweepResult } from "@/lib/pipelines/map";
import { findConnectionRow } from "./inventory";
import { requireAdmin } from "./admin";
import type { Principal } from "./session";

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

async function audit(p: Principal, kind: ResourceKind | "pipeline" | "pipelines", target: string, outcome: "allowed" | "refused" | "error" | "completed", extra: { name?: string; statusBefore?: string; detail?: string; action?: string; relatedId?: number } = {}) {
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


async function startResume(kind: ResourceKind, rawId: string): Promise<ResumeResult> {
  const id = decodeURIComponent(rawId);
  const p = await requireAdmin(ACTIONS[kind], { kind, id });

  const valid = kind === "connection" ? UUID.test(id) : /^[A-Za-z0-9._-]{1,128}$/.test(id);
  const inv = valid ? await getInventory() : null;
  const found = kind === "connection" ? inv?.connections.find((c) => c.id.toLowerCase() === id.toLowerCase()) : inv?.hosts.find((h) => h.id === id);
  if (!found) {
    await audit(p, kind, id, "error", { detail: `no such ${kind}` });
    throw new AppError("not_found", `no ${kind} with id ${id} in any configured scope`);
  }
  const target = `${found.account}/${found.region}/${found.id}`;
  // A connection is read through the Region that lists its account (it is account-global); a host in its own Region.
  const scope = kind === "connection" ? await readScope(found.account) : scopeIn(await getScopes(), found.account, found.region);
  if (!scope) {
    await audit(p, kind, target, "error", { name: found.name, detail: `account ${found.account} is not configured` });
    throw new AppError("not_found", `no ${kind} with id ${id} in any configured scope`);
  }
  const client = clientsFor(scope).connections;
  let fresh;
  try {
    fresh = kind === "connection" ? await getConnection(client, scope, found.arn) : await getHost(client, scope, found.arn);
  } catch (e) {
    // AWS throttling or unreachable: the attempt is audited like any other.
    await audit(p, kind, target, "error", { name: found.name, detail: isAppError(e) ? e.message : "reading its status failed" });
    throw e;
  }
  if (!fresh) {
    await audit(p, kind, target, "error", { name: found.name, detail: `the ${kind} no longer exists` });
    throw new AppError("not_found", `${found.name} no longer exists`);
  }
  if (fresh.status === "AVAILABLE" || (kind === "host" && fresh.status !== "PENDING")) {
    await audit(p, kind, target, "error", { name: found.name, statusBefore: fresh.status, detail: `nothing to do: it is ${fresh.status}` });
    throw new AppError("conflict", `${found.name} is ${fresh.status}; there is nothing to ${kind === "connection" ? "resume" : "set up"}`);
  }

  const template = env().TETHER_CONSOLE_URL;
  const consoleUrl = kind === "connection" ? connectionConsoleUrl(template, found.arn) : hostConsoleUrl(template, found.arn);
  const record = await audit(p, kind, target, "allowed", { name: found.name, statusBefore: fresh.status, detail: `console ${consoleUrl}` });
  const store = getStore();
  const existing = await store.watches.latestFor(kind, found.account, found.region, found.id);
  let watch: Watch;
  if (existing?.state === "watching") {
    watch = existing;
  } else {
    const now = Date.now();
    watch = await store.watches.start({
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

// ---------------------------------------------------------------------------------------------
// Operator actions: they need the optional operator policy in the target scope.


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
  const p = await requireAdmin("pipeline.release", { kind: "pipeline", id: target });
  const stored = /^[A-Za-z0-9.@_-]{1,100}$/.test(name) ? (await getStore().pipelines.get(account, region, name)) : null;
  const scope = await scopeFor(account, region);
  if (!stored || !scope) {
    await audit(p, "pipeline", target, "error", { action: "pipeline.release", detail: "no such pipeline in a configured scope" });
    throw new AppError("not_found", `no pipeline ${name} in ${account}/${region}`);
  }
  const intent = await audit(p, "pipeline", target, "allowed", { action: "pipeline.release", name, detail: "calling StartPipelineExecution" });
  let executionId: string;
  try {
    executionId = await startPipelineExecution(clientsFor(scope).pipelines, scope, name, crypto.randomUUID());
  } catch (e) {
    const denied = isAppError(e) && e.kind === "forbidden";
    await audit(p, "pipeline", target, "error", { action: "pipeline.release.outcome", name, detail: denied ? "denied by the scope's IAM policy" : isAppError(e) ? e.message : "failed", relatedId: intent.id });
    throw denied ? policyDenied(scope, "codepipeline:StartPipelineExecution") : e;
  }
  await audit(p, "pipeline", target, "completed", { action: "pipeline.release.outcome", name, detail: `execution ${executionId}`, relatedId: intent.id });
  const now = new Date().toISOString();
  await getStore().pipelines.saveExecutions(account, region, name, [{ executionId, status: "InProgress", startTime: now, lastUpdateTime: now, triggerType: "StartPipelineExecution", triggerDetail: p.id, revisionId: null, revisionSummary: null }]);
  return { executionId, auditId: intent.id };
}

export async function deleteStaleConnection(rawId: string): Promise<{ auditId: number }> {
  const id = decodeURIComponent(rawId);
  const p = await requireAdmin("connection.delete", { kind: "connection", id });
  const row = UUID.test(id) ? await findConnectionRow(id) : null;
  // AWS applies changes to a connection in its home Region (the one in its ARN), watched or not.
  const scope = row ? scopeIn(await getScopes(), row.account, row.region) : null;
  const reader = row ? await readScope(row.account) : null;
  if (!row || !scope || !reader) {
    await audit(p, "connection", id, "error", { action: "connection.delete", detail: "no such connection" });
    throw new AppError("not_found", `no connection with id ${id} in any configured scope`);
  }
  const target = `${row.account}/${row.region}/${id}`;
  const fresh = await getConnection(clientsFor(reader).connections, reader, row.arn);
  const verdict = deletability({ ...row, status: fresh?.status ?? "DELETED" }, Date.now());
  if (!fresh || !verdict.allowed) {
    await audit(p, "connection", target, "error", { action: "connection.delete", name: row.name, statusBefore: fresh?.status ?? "DELETED", detail: `not deleted: ${fresh ? verdict.reason : "it no longer exists"}` });
    throw new AppError("conflict", `${row.name} was not deleted: ${fresh ? verdict.reason : "it no longer exists"}`);
  }
  const intent = await audit(p, "connection", target, "allowed", { action: "connection.delete", name: row.name, statusBefore: fresh.status, detail: `${verdict.reason}; calling DeleteConnection in ${scope.region}` });
  try {
    await deleteConnection(clientsFor(scope).connections, scope, row.arn);
  } catch (e) {
    const denied = isAppError(e) && e.kind === "forbidden";
    await audit(p, "connection", target, "error", { action: "connection.delete.outcome", name: row.name, statusBefore: fresh.status, detail: denied ? "denied by the scope's IAM policy" : isAppError(e) ? e.message : "failed", relatedId: intent.id });
    throw denied ? policyDenied(scope, `${row.arn.includes(":codeconnections:") ? "codeconnections" : "codestar-connections"}:DeleteConnection`) : e;
  }
  await audit(p, "connection", target, "completed", { action: "connection.delete.outcome", name: row.name, statusBefore: fresh.status, detail: "deleted", relatedId: intent.id });
  await refreshAccount(row.account);
  return { auditId: intent.id };
}

/**
 * Runs one execution-history sweep now (the background poll runs one per interval) over the
 * `limit` least recently swept pipelines (1 to 5,000), audited → what it read.
 */
export async function sweepNow(limitText: string): Promise<SweepResult> {
  const target = `limit ${limitText}`.slice(0, 40);
  const p = await requireAdmin("pipelines.sweep", { kind: "pipelines", id: target });
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 5000) throw new AppError("bad_request", `limit: "${limitText}" is not a number from 1 to 5000`);
  const result = await sweepExecutions(limit);
  await audit(p, "pipelines", `limit ${limit}`, "allowed", { action: "pipelines.sweep", detail: `${result.pipelines} pipelines, ${result.listCalls} ListPipelineExecutions calls, ${result.saved} saved${result.errors.length ? `, ${result.errors.length} failed` : ""}` });
  return result;
}
