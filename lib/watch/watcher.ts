import "server-only";
import { clientsFor } from "@/lib/aws/clients";
import { getConnection, getHost } from "@/lib/aws/connections";
import { getScopeListing, readScope, refreshAccount } from "@/lib/fleet/inventory";
import { getScopes, scopeIn } from "@/lib/fleet/scopes";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { Watch } from "@/lib/store/types";
import type { Scope } from "@/lib/types";
import { decide, delayBeforeCheck } from "./decide";

/**
 * After a resume (or host set-up), Tether watches the resource with GetConnection / GetHost,
 * quickly at first and then with backoff, until it is AVAILABLE, fails, or the deadline passes.
 * The watch lives in the store, so it survives a page reload and a server restart
 * (resumeActiveWatches at start-up); finishing is conditional on the stored state, so two
 * replicas never record two outcomes.
 */

const timers = () => singleton("watch:timers", () => new Map<number, ReturnType<typeof setTimeout>>());

/**
 * Where to read the watched resource: a connection through any configured Region of its account
 * (connections are account-global; the one that lists the account), a host in its own Region.
 */
async function scopeOf(w: Watch): Promise<Scope | null> {
  if (w.kind === "connection") return readScope(w.account);
  return scopeIn(await getScopes(), w.account, w.region);
}

async function observe(w: Watch, scope: Scope): Promise<string | null> {
  const client = clientsFor(scope).connections;
  if (w.kind === "connection") return (await getConnection(client, scope, w.arn))?.status ?? null;
  return (await getHost(client, scope, w.arn))?.status ?? null;
}

async function check(id: number): Promise<void> {
  timers().delete(id);
  const store = getStore();
  const w = store.watches.get(id);
  if (!w || w.state !== "watching") return;
  let status: string | null;
  let scope: Scope | null = null;
  try {
    scope = await scopeOf(w);
    if (!scope) throw new Error(`account ${w.account} is no longer configured`);
    status = await observe(w, scope);
  } catch (e) {
    // AWS unreachable or throttling: try again later, unless the deadline has passed.
    console.warn(`[tether] watch ${id}: ${e instanceof Error ? e.message : String(e)}`);
    if (Date.now() >= Date.parse(w.deadlineAt)) finish(w, "timeout", w.lastStatus, "AWS could not be reached before the deadline");
    else schedule(w.id, delayBeforeCheck(w.checks));
    return;
  }
  if (status) store.watches.check(id, status);
  const verdict = decide(w, status, Date.now());
  if (!verdict) {
    schedule(w.id, delayBeforeCheck(w.checks + 1));
    return;
  }
  finish(w, verdict.state, status, verdict.reason);
  // The watched status is now known: relist so pages and history see it at once.
  if (w.kind === "connection") void refreshAccount(w.account);
  else void getScopeListing(scope, { force: true });
}

function finish(w: Watch, state: "completed" | "failed" | "timeout", status: string | null, reason: string): void {
  const store = getStore();
  if (!store.watches.finish(w.id, state, status, new Date().toISOString())) return;
  const original = store.audit.get(w.auditId);
  store.audit.append({
    actor: original?.actor ?? w.startedBy,
    actorRole: original?.actorRole ?? "admin",
    via: "system",
    action: w.kind === "connection" ? "connection.resume.outcome" : "host.setup.outcome",
    targetKind: w.kind,
    target: `${w.account}/${w.region}/${w.resourceId}`,
    targetName: w.name,
    outcome: state,
    statusBefore: w.statusBefore,
    detail: `${reason}${status ? ` (status ${status})` : ""}; watched ${w.checks + 1} times`,
    relatedId: w.auditId,
  });
}

function schedule(id: number, delayMs: number): void {
  const t = timers();
  if (t.has(id)) return;
  const handle = setTimeout(() => {
    check(id).catch((e: unknown) => console.error(`[tether] watch ${id} failed`, e));
  }, delayMs);
  handle.unref?.();
  t.set(id, handle);
}

/** Starts checking a watch that was just written to the store. */
export function startWatching(w: Watch): void {
  schedule(w.id, delayBeforeCheck(0));
}

/** At start-up: picks up watches a previous process left running. */
export function resumeActiveWatches(): number {
  const active = getStore().watches.active();
  for (const w of active) schedule(w.id, 0);
  return active.length;
}
