import "server-only";
import { UUID } from "@/lib/arn";
import { clientsFor } from "@/lib/aws/clients";
import { getConnection, getHost } from "@/lib/aws/connections";
import { connectionConsoleUrl, hostConsoleUrl } from "@/lib/console-url";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getInventory } from "@/lib/fleet/inventory";
import { getScopes } from "@/lib/fleet/scopes";
import { getStore } from "@/lib/store";
import type { ResourceKind, Watch } from "@/lib/store/types";
import { WATCH_MINUTES } from "@/lib/watch/decide";
import { startWatching } from "@/lib/watch/watcher";
import { currentPrincipal, type Principal } from "./session";

/**
 * Admin actions. Each one writes an audit record whatever happens: allowed, refused (wrong
 * role), or failed (unknown target, nothing to do); then it acts.
 */

export interface ResumeResult {
  consoleUrl: string;
  auditId: number;
  watchId: number;
}

const ACTIONS: Record<ResourceKind, string> = { connection: "connection.resume", host: "host.setup" };

function audit(p: Principal, kind: ResourceKind, target: string, outcome: "allowed" | "refused" | "error", extra: { name?: string; statusBefore?: string; detail?: string } = {}) {
  return getStore().audit.append({
    actor: p.id,
    actorRole: p.role,
    via: p.via,
    action: ACTIONS[kind],
    targetKind: kind,
    target,
    targetName: extra.name ?? null,
    outcome,
    statusBefore: extra.statusBefore ?? null,
    detail: extra.detail ?? null,
  });
}

async function startResume(kind: ResourceKind, rawId: string): Promise<ResumeResult> {
  const p = await currentPrincipal();
  if (!p) throw new AppError("unauthenticated", "sign-in required");
  const id = decodeURIComponent(rawId);
  if (p.role !== "admin" || !p.allowed) {
    audit(p, kind, id, "refused", { detail: p.allowed ? `role ${p.role}` : "not allowed" });
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
  const scope = (await getScopes()).find((s) => s.account === found.account && s.region === found.region) ?? { account: found.account, region: found.region };
  const client = clientsFor(scope).connections;
  const fresh = kind === "connection" ? await getConnection(client, scope, found.arn) : await getHost(client, scope, found.arn);
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
