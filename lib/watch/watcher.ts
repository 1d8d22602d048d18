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
 * The watch lives in the store, so it survives a page reload, a server restart and the loss of the
 * replica that started it: the replica holding the "watches" lease (lib/background.ts) runs every
 * watch, picking up new and orphaned ones with resumeActiveWatches; finishing is conditional on the
 * stored state, so two replicas never record two outcomes.
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

/**
 * `tracked`: the watches this process runs (a timer set or a check under way), so a scan never
 * starts a second round of checks; `runsHere`: whether this process runs watches at all (false on a
 * replica without the watches lease: the holder picks its new watches up).
 */
const state = () => singleton("watch:state", () => ({ clock: realClock, timers: new Map<number, unknown>(), failures: new Map<number, number>(), tracked: new Set<number>(), runsHere: true }));

/** Whether this process runs the watches (lib/background.ts sets it as the watches lease comes and goes). */
export function setWatchesRunHere(here: boolean): void {
  state().runsHere = here;
}

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
    state().tracked.delete(id);
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
    if (clock.now() >= Date.parse(w.deadlineAt)) {
      await finish(w, "timeout", w.lastStatus, "AWS could not be reached before the deadline");
      state().tracked.delete(id);
    } else schedule(w.id, delayAfterFailure(n, w.checks, clock.random()));
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
  state().tracked.delete(id);
  failures.delete(id);
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
  const { clock, timers, tracked } = state();
  // Not (any more) ours: stopped, or the lease went to another replica.
  if (!tracked.has(id) || timers.has(id)) return;
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

/** Starts checking a watch that was just written to the store (here, if this process runs the watches). */
export function startWatching(w: Watch): void {
  const { runsHere, tracked } = state();
  if (!runsHere || tracked.has(w.id)) return;
  tracked.add(w.id);
  schedule(w.id, delayBeforeCheck(0));
}

/**
 * Picks up every active watch this process does not run yet: at start-up (what a previous process
 * left running), and on the replica holding the watches lease, every few seconds (watches started on
 * other replicas, or left by one that died). A watch picked up keeps its schedule: its first check
 * comes when it would have, the others at once. Returns how many it picked up.
 */
export async function resumeActiveWatches(): Promise<number> {
  const active = await getStore().watches.active();
  const { clock, tracked } = state();
  let picked = 0;
  for (const w of active) {
    if (tracked.has(w.id)) continue;
    tracked.add(w.id);
    picked++;
    schedule(w.id, w.checks === 0 ? Math.max(0, Date.parse(w.startedAt) + delayBeforeCheck(0) - clock.now()) : 0);
  }
  return picked;
}

/** Stops every timer (tests, shutdown, the watches lease lost); checks under way end without rescheduling. */
export function stopWatching(): void {
  const { clock, timers, tracked } = state();
  for (const h of timers.values()) clock.clearTimeout(h);
  timers.clear();
  tracked.clear();
}
