import "server-only";
import { env, type OrganizationConfig } from "@/lib/env";
import { AppError, isAppError, publicMessage } from "@/lib/errors";
import { discoveryInProgress, nextScheduledRun, runDiscovery, toRunView } from "@/lib/fleet/discovery";
import { getStore } from "@/lib/store";
import type { DiscoveryRunView } from "@/lib/types";
import { requireAdmin } from "./admin";
import { requireRole } from "./session";

/**
 * Organization discovery for admins: what the last runs found and skipped (/settings/discovery),
 * and a run on demand (POST /api/discovery/run), audited like every admin action: the intent
 * before the run, its outcome after, pointing at it.
 */

/** Runs listed under "Recent runs". */
export const RECENT_RUNS = 10;

export interface DiscoveryRunSummary {
  id: number;
  startedAt: string;
  durationMs: number;
  trigger: string;
  outcome: "ok" | "error";
  error: string | null;
  watched: number | null;
  skipped: number | null;
}

export interface DiscoveryView {
  /** When the view was made (ms since the epoch): what "5 minutes ago" counts from. */
  now: number;
  /** TETHER_ORGANIZATION, or null when discovery is off. */
  config: OrganizationConfig | null;
  intervalMinutes: number;
  /** False with TETHER_BACKGROUND=off: runs only on demand (and once at start when nothing is stored). */
  scheduled: boolean;
  /** The newest successful run: the accounts watched now. */
  current: DiscoveryRunView | null;
  /** The newest run when it failed after `current`. */
  lastFailure: DiscoveryRunView | null;
  nextRun: string | null;
  /** A run in progress in this replica. */
  running: { trigger: string; since: string } | null;
  recent: DiscoveryRunSummary[];
  /** Accounts of TETHER_SCOPES: watched as configured there, even when discovery finds them. */
  configuredAccounts: string[];
}

export async function getDiscoveryView(): Promise<DiscoveryView> {
  await requireRole("admin");
  const store = getStore();
  const [latest, success, recent] = await Promise.all([store.discovery.latest(), store.discovery.lastSuccessful(), store.discovery.recent(RECENT_RUNS)]);
  return {
    now: Date.now(),
    config: env().organization,
    intervalMinutes: env().TETHER_DISCOVERY_INTERVAL_MINUTES,
    scheduled: env().TETHER_BACKGROUND,
    current: success ? toRunView(success) : null,
    lastFailure: latest && latest.outcome === "error" && (!success || latest.id > success.id) ? toRunView(latest) : null,
    nextRun: nextScheduledRun(latest),
    running: discoveryInProgress(),
    recent: recent.map((r) => {
      const v = toRunView(r);
      return { id: v.id, startedAt: v.startedAt, durationMs: v.durationMs, trigger: v.trigger, outcome: v.outcome, error: v.error, watched: v.result?.accounts.length ?? null, skipped: v.result?.skipped.length ?? null };
    }),
    configuredAccounts: [...new Set((env().scopes ?? []).map((s) => s.account))],
  };
}

const ACTION = "discovery.run";
const TARGET = { kind: "organization", id: "organization" };

/**
 * An admin runs a discovery now. The body is empty or `{}` (read only after the caller's role was
 * checked). Answers the run, or the error that failed it (the failed run is kept too).
 */
export async function runDiscoveryNow(body: () => Promise<unknown>): Promise<{ run: DiscoveryRunView; auditId: number }> {
  const p = await requireAdmin(ACTION, TARGET);
  const audit = (outcome: "allowed" | "error" | "completed", detail: string, relatedId?: number) =>
    getStore().audit.append({ actor: p.id, actorRole: p.role, via: p.via, action: relatedId ? `${ACTION}.outcome` : ACTION, targetKind: TARGET.kind, target: TARGET.id, outcome, statusBefore: null, detail, relatedId: relatedId ?? null });
  let parsed: unknown;
  try {
    parsed = await body();
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new AppError("bad_request", "body: send no body or {} (a discovery takes no options: they are TETHER_ORGANIZATION's)");
    const keys = Object.keys(parsed);
    if (keys.length) throw new AppError("bad_request", `body: unknown field "${keys[0]?.slice(0, 40)}" (a discovery takes no options: they are TETHER_ORGANIZATION's)`);
    if (!env().organization) throw new AppError("conflict", "organization discovery is off: set TETHER_ORGANIZATION (docs/configuration.md)");
  } catch (e) {
    await audit("error", publicMessage(e));
    throw e;
  }
  const intent = await audit("allowed", "running discovery");
  try {
    const run = await runDiscovery(p.id);
    const r = run.result;
    await audit("completed", r ? `${r.accounts.length} account(s) watched, ${r.skipped.length} skipped${r.accounts.some((a) => a.roleError) ? `, ${r.accounts.filter((a) => a.roleError).length} whose role cannot be assumed` : ""}` : "done", intent.id);
    return { run, auditId: intent.id };
  } catch (e) {
    await audit("error", isAppError(e) ? e.message : "failed", intent.id);
    throw e;
  }
}
