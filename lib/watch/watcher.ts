import "server-only";
import { clientsFor } from "@/lib/aws/clients";
import { getConnection, getHost } from "@/lib/aws/connections";
import { getScopeListing, readScope, refreshAccount } from "@/lib/fleet/inventory";
import { getScopes, scopeIn } from "@/lib/fleet/scopes";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { Watch } from "@/lib/store/types";
import type { Scope } from "@/lib/types";
import { decide, delayAfterFailure, delayBeforeCheck } from "./decide";

/**
 * After a resume (or host set-up), Tether watches the resource with GetConnection / GetHost,
 * quickly at first and then with backoff, until it is AVAILABLE, fails, or the deadline passes.
 * The watch lives in the store, so it survives a page reload and a server restart
 * (resumeActiveWatches at start-up); finishing is conditional on the stored state, so two
 * replicas never record two outcomes.
 *
 * A check that fails for any reason — AWS throttling or unreachable, the scope not resolvable,
 * the store failing — is tried again after an exponential, jittered wait (`delayAfterFailure`),
 * so throttling is not made worse and no watch is ever dropped: it ends only with an outcome.
 */

/** Time and timers, replaceable in tests. */
export interface WatchClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

const realClock: WatchClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms);
    h.unref?.();
    return h;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  random: Math.random,
};

const state = () => singleton("watch:state", () => ({ clock: realClock, timers: new Map<number, unknown>(), failures: new Map<number, number>() }));

/** Test hook: drive watches with a manual clock. */
export function useWatchClock(clock: WatchClock): void {
  state().clock = clock;
}

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
  const { clock, failures } = state();
  const store = getStore();
  const w = await store.watches.get(id);
  if (!w || w.state !== "watching") {
    failures.delete(id);
    return;
  }
  let status: string | null;
  let scope: Scope;
  try {
    const resolved = await scopeOf(w);
    if (!resolved) throw new Error(`account ${w.account} is not configured`);
    scope = resolved;
    status = await observe(w, scope);
  } catch (e) {
    // AWS throttling or unreachable, or the scope cannot be resolved: back off, unless the deadline has passed.
    const n = (failures.get(id) ?? 0) + 1;
    failures.set(id, n);
    console.warn(`[tether] watch ${id} (failure ${n}): ${e instanceof Error ? e.message : String(e)}`);
    if (clock.now() >= Date.parse(w.deadlineAt)) await finish(w, "timeout", w.lastStatus, "AWS could not be reached before the deadline");
    else schedule(w.id, delayAfterFailure(n, w.checks, clock.random()));
    return;
  }
  failures.delete(id);
  if (status) await store.watches.check(id, status);
  const verdict = decide(w, status, clock.now());
  if (!verdict) {
    schedule(w.id, delayBeforeCheck(w.checks + 1));
    return;
  }
  await finish(w, verdict.state, status, verdict.reason);
  // The watched status is now known: relist so pages and history see it at once.
  if (w.kind === "connection") void refreshAccount(w.account);
  else void getScopeListing(scope, { force: true });
}

async function finish(w: Watch, outcome: "completed" | "failed" | "timeout", status: string | null, reason: string): Promise<void> {
  const store = getStore();
  if (!(await store.watches.finish(w.id, outcome, status, new Date(state().clock.now()).toISOString()))) return;
  const original = await store.audit.get(w.auditId);
  await store.audit.append({
    actor: original?.actor ?? w.startedBy,
    actorRole: original?.actorRole ?? "admin",
    via: "system",
    action: w.kind === "connection" ? "connection.resume.outcome" : "host.setup.outcome",
    targetKind: w.kind,
    target: `${w.account}/${w.region}/${w.resourceId}`,
    targetName: w.name,
    outcome,
    statusBefore: w.statusBefore,
    detail: `${reason}${status ? ` (status ${status})` : ""}; watched ${w.checks + 1} times`,
    relatedId: w.auditId,
  });
}

function schedule(id: number, delayMs: number): void {
  const { clock, timers } = state();
  if (timers.has(id)) return;
  const handle = clock.setTimeout(() => {
    timers.delete(id);
    check(id).catch((e: unknown) => {
      // Anything else (the store failing mid-check): never drop the watch, try again later.
      const { failures } = state();
      const n = (failures.get(id) ?? 0) + 1;
      failures.set(id, n);
      console.error(`[tether] watch ${id} failed (failure ${n}); retrying`, e);
      schedule(id, delayAfterFailure(n, 0, state().clock.random()));
    });
  }, delayMs);
  timers.set(id, handle);
}

/** Starts checking a watch that was just written to the store. */
export function startWatching(w: Watch): void {
  schedule(w.id, delayBeforeCheck(0));
}

/** At start-up: picks up watches a previous process left running. */
export async function resumeActiveWatches(): Promise<number> {
  const active = await getStore().watches.active();
  for (const w of active) schedule(w.id, 0);
  return active.length;
}

/** Stops every timer (tests, shutdown). */
export function stopWatching(): void {
  const { clock, timers } = state();
  for (const h of timers.values()) clock.clearTimeout(h);
  timers.clear();
}
