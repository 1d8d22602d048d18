import "server-only";
import { assumeRole, callerOf, describeOrganization, globalRegion, listAccounts, listAccountsForParent, listEnabledRegions, listOusForParent, listRoots, organizationClients, type OrgClients } from "@/lib/aws/organizations";
import { mapLimit } from "@/lib/concurrency";
import { env, isOuId, type OrganizationConfig } from "@/lib/env";
import { AppError, isAppError, publicMessage } from "@/lib/errors";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { DiscoveryRun } from "@/lib/store/types";
import type { DiscoveredAccount, DiscoveryResult, DiscoveryRunView, OrgAccount, Scope, SkippedAccount } from "@/lib/types";

/**
 * Organization discovery (TETHER_ORGANIZATION): the accounts of an AWS Organization and their
 * Regions, turned into scopes. One run reads the organization from the management account or a
 * delegated administrator — DescribeOrganization, ListAccounts, and with `includeOus` the OU tree
 * (ListRoots, ListOrganizationalUnitsForParent down every branch) and ListAccountsForParent for
 * each selected OU and the OUs below it — one request at a time (ListAccounts allows about one a
 * second per organization; the SDK retries throttling with backoff). Each ACTIVE account that is
 * selected and not excluded is then given its Regions (the configured `regions`, or ListRegions'
 * enabled ones) and its role is assumed once, DISCOVERY_CONCURRENCY accounts at a time. An account
 * whose role cannot be assumed is still watched: its listings fail and show why, as any scope's.
 *
 * Every run is saved in the store (lib/store discovery_runs); the newest successful one's accounts
 * are the discovered scopes of every replica (re-read at most every SCOPES_TTL_MS) and of a
 * restarted one. Runs come from the background job every TETHER_DISCOVERY_INTERVAL_MINUTES, from
 * an admin (POST /api/discovery/run), and, once per process, from the first caller that needs
 * scopes while the store holds no result yet.
 */

/** Accounts whose Regions and role are read at once. */
export const DISCOVERY_CONCURRENCY = 4;
/** How long a replica reuses the discovered scopes before reading the store again (another replica may have run it). */
export const SCOPES_TTL_MS = 5_000;
/** A failed scheduled run is tried again after this long at most (sooner when the interval is shorter). */
export const RETRY_AFTER_FAILURE_MS = 5 * 60_000;

function partitionOf(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

export const memberRoleArn = (account: string, roleName: string): string => `arn:${partitionOf(globalRegion())}:iam::${account}:role/${roleName}`;

interface OuNode {
  id: string;
  path: string;
}

/**
 * The OUs `includeOus` names (by name, anywhere in the tree, or by id) and every OU below them, with
 * their name paths; names or ids that match nothing are returned as warnings.
 */
async function selectOus(c: OrgClients, wanted: string[]): Promise<{ selected: OuNode[]; warnings: string[] }> {
  // The whole tree, breadth first, one request at a time.
  const all: (OuNode & { name: string; parents: string[] })[] = [];
  const queue: { id: string; path: string; parents: string[] }[] = (await listRoots(c)).map((r) => ({ id: r.id, path: "", parents: [] }));
  while (queue.length) {
    const parent = queue.shift() as (typeof queue)[number];
    for (const ou of await listOusForParent(c, parent.id)) {
      const node = { id: ou.id, name: ou.name, path: parent.path ? `${parent.path} / ${ou.name}` : ou.name, parents: parent.id.startsWith("ou-") ? [...parent.parents, parent.id] : [] };
      all.push(node);
      queue.push(node);
    }
  }
  const matched = new Set<string>();
  const warnings: string[] = [];
  for (const w of wanted) {
    const hits = all.filter((o) => (isOuId(w) ? o.id === w : o.name === w));
    if (hits.length === 0) warnings.push(`includeOus: no OU ${isOuId(w) ? "with id" : "named"} "${w}" in the organization`);
    for (const h of hits) matched.add(h.id);
  }
  const selected = all.filter((o) => matched.has(o.id) || o.parents.some((p) => matched.has(p)));
  return { selected: selected.map(({ id, path }) => ({ id, path })), warnings };
}

/** One discovery of the organization (no store, no cache): what to watch, what is skipped and why. */
export async function discover(config: OrganizationConfig, previous: DiscoveryResult | null): Promise<DiscoveryResult> {
  const c = organizationClients(config.managementRoleArn);
  const org = await describeOrganization(c);
  const caller = await callerOf(c);
  const listed = await listAccounts(c);
  const byId = new Map<string, OrgAccount>(listed.map((a) => [a.id, a]));

  // With includeOus: the selected OUs' accounts, and the OU each sits in.
  let ous: OuNode[] = [];
  const warnings: string[] = [];
  const ouOf = new Map<string, string>();
  if (config.includeOus) {
    const sel = await selectOus(c, config.includeOus);
    ous = sel.selected;
    warnings.push(...sel.warnings);
    for (const ou of ous) {
      for (const a of await listAccountsForParent(c, ou.id)) {
        ouOf.set(a.id, ou.path);
        // An account that joined between the two lists is known from this one.
        if (!byId.has(a.id)) byId.set(a.id, a);
      }
    }
  }

  const excluded = new Set(config.excludeAccounts ?? []);
  const skipped: SkippedAccount[] = [];
  const candidates: OrgAccount[] = [];
  for (const a of [...byId.values()].sort((x, y) => x.id.localeCompare(y.id))) {
    const ou = ouOf.get(a.id) ?? null;
    if (config.includeOus && !ouOf.has(a.id)) skipped.push({ ...a, ou, reason: "not in includeOus", detail: `not under ${config.includeOus.join(", ")}` });
    else if (excluded.has(a.id)) skipped.push({ ...a, ou, reason: "excluded", detail: "listed in excludeAccounts" });
    else if (a.state !== "ACTIVE") skipped.push({ ...a, ou, reason: "not active", detail: `state ${a.state}` });
    else candidates.push(a);
  }
  for (const id of excluded) {
    if (!byId.has(id)) warnings.push(`excludeAccounts: ${id} is not an account of the organization`);
  }

  const before = new Map((previous?.accounts ?? []).map((a) => [a.id, a]));
  const done = await mapLimit(candidates, DISCOVERY_CONCURRENCY, async (a): Promise<DiscoveredAccount | SkippedAccount> => {
    const ou = ouOf.get(a.id) ?? null;
    const roleArn = memberRoleArn(a.id, config.roleName);
    let regions: string[];
    let regionsFrom: DiscoveredAccount["regionsFrom"] = "config";
    let note: string | null = null;
    if (config.regions) {
      regions = config.regions;
    } else {
      try {
        // AWS takes no AccountId for the caller's own account (the management account refuses its own id).
        regions = await listEnabledRegions(c, a.id === caller ? undefined : a.id);
        regionsFrom = "ListRegions";
      } catch (e) {
        const message = publicMessage(e);
        const kept = before.get(a.id);
        if (!kept) return { ...a, ou, reason: "ListRegions failed", detail: message };
        regions = kept.regions;
        regionsFrom = "previous run";
        note = `${message}; the Regions of the last run are used`;
      }
      if (regions.length === 0) return { ...a, ou, reason: "no Regions", detail: "ListRegions returned no enabled Region" };
    }
    let roleError: string | null = null;
    try {
      await assumeRole(roleArn);
    } catch (e) {
      roleError = publicMessage(e);
    }
    return { ...a, ou, regions, regionsFrom, roleArn, roleError, note };
  });

  const accounts: DiscoveredAccount[] = [];
  for (const d of done) {
    if ("reason" in d) skipped.push(d);
    else accounts.push(d);
  }
  skipped.sort((x, y) => x.id.localeCompare(y.id));
  return { organizationId: org.id, managementAccount: org.managementAccount, caller, ous, accounts, skipped, warnings, calls: { ...c.calls } };
}

// ---------------------------------------------------------------------------------------------
// Runs, kept in the store.

export function toRunView(run: DiscoveryRun): DiscoveryRunView {
  return {
    id: run.id,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt)),
    trigger: run.trigger,
    outcome: run.outcome,
    error: run.error,
    result: run.result ? (JSON.parse(run.result) as DiscoveryResult) : null,
  };
}

interface DiscoveryState {
  /** The run in progress in this process, shared by every caller that asks meanwhile. */
  inflight: Promise<DiscoveryRunView> | null;
  /** Who started the run in progress, and when. */
  running: { trigger: string; since: string } | null;
  /** The newest successful result this process knows, and when it read or made it. */
  known: { result: DiscoveryResult | null; readAt: number } | null;
  /** The process already ran (or tried) a discovery because no result was stored. */
  triedAtStart: boolean;
  /** That discovery, which every caller that finds no result waits for (not an empty fleet meanwhile). */
  startup: Promise<void> | null;
}

const state = () => singleton<DiscoveryState>("fleet:discovery", () => ({ inflight: null, running: null, known: null, triedAtStart: false, startup: null }));

/** The organization's configuration, or a clear error when discovery is off. */
function organization(): OrganizationConfig {
  const config = env().organization;
  if (!config) throw new AppError("conflict", "organization discovery is off: set TETHER_ORGANIZATION (docs/configuration.md)");
  return config;
}

/**
 * Runs a discovery now (or joins the one already running in this process) and saves it. A failed
 * run is saved too, with its error, and rejects with it; the discovered scopes stay those of the
 * last successful run.
 */
export function runDiscovery(trigger: string): Promise<DiscoveryRunView> {
  const config = organization();
  const s = state();
  if (s.inflight) return s.inflight;
  const startedAt = new Date().toISOString();
  s.running = { trigger, since: startedAt };
  s.inflight = (async () => {
    const store = getStore();
    const last = await store.discovery.lastSuccessful();
    const previous = last?.result ? (JSON.parse(last.result) as DiscoveryResult) : null;
    let result: DiscoveryResult;
    try {
      result = await discover(config, previous);
    } catch (e) {
      const error = isAppError(e) ? e : new AppError("internal", "discovery failed: unexpected error", { cause: e });
      if (error.kind === "internal") console.error("[tether] discovery failed", e);
      await store.discovery.save({ startedAt, finishedAt: new Date().toISOString(), trigger, outcome: "error", error: publicMessage(error), result: null });
      throw error;
    }
    const finishedAt = new Date().toISOString();
    const id = await store.discovery.save({ startedAt, finishedAt, trigger, outcome: "ok", error: null, result: JSON.stringify(result) });
    s.known = { result, readAt: Date.now() };
    const problems = result.accounts.filter((a) => a.roleError).length;
    console.log(`[tether] discovery (${trigger}): ${result.accounts.length} account(s) watched, ${result.skipped.length} skipped${problems ? `, ${problems} whose role cannot be assumed` : ""}`);
    return toRunView({ id, startedAt, finishedAt, trigger, outcome: "ok", error: null, result: JSON.stringify(result) });
  })().finally(() => {
    s.inflight = null;
    s.running = null;
  });
  return s.inflight;
}

/** The discovery running in this process, if any: who started it and since when. */
export function discoveryInProgress(): { trigger: string; since: string } | null {
  return state().running;
}

/** Whether the scheduled job should run now: the last success is an interval old, or the last failure a while. */
export function discoveryDue(latest: DiscoveryRun | null, now = Date.now()): boolean {
  if (!latest) return true;
  const age = now - Date.parse(latest.finishedAt);
  const interval = env().TETHER_DISCOVERY_INTERVAL_MINUTES * 60_000;
  return age >= (latest.outcome === "ok" ? interval : Math.min(interval, RETRY_AFTER_FAILURE_MS));
}

/** When the scheduled job runs next (ISO), from the newest run; null when it never runs here. */
export function nextScheduledRun(latest: DiscoveryRun | null): string | null {
  if (!env().organization || !env().TETHER_BACKGROUND) return null;
  if (!latest) return new Date().toISOString();
  const interval = env().TETHER_DISCOVERY_INTERVAL_MINUTES * 60_000;
  return new Date(Date.parse(latest.finishedAt) + (latest.outcome === "ok" ? interval : Math.min(interval, RETRY_AFTER_FAILURE_MS))).toISOString();
}

/** The scheduled pass (lib/background.ts): runs a discovery when one is due. */
export async function scheduledDiscovery(): Promise<boolean> {
  if (!env().organization) return false;
  if (!discoveryDue(await getStore().discovery.latest())) return false;
  await runDiscovery("schedule");
  return true;
}

/** The newest successful result: this process's when fresh, else the store's (another replica may have run it). */
async function knownResult(): Promise<DiscoveryResult | null> {
  const s = state();
  if (s.known && Date.now() - s.known.readAt < SCOPES_TTL_MS) {
    // Nothing discovered yet and the start-up discovery under way: wait for it, not an empty fleet.
    if (s.known.result === null && s.startup) await s.startup;
    return s.known.result;
  }
  try {
    const last = await getStore().discovery.lastSuccessful();
    s.known = { result: last?.result ? (JSON.parse(last.result) as DiscoveryResult) : null, readAt: Date.now() };
  } catch (e) {
    // The store unreachable: what this process knew, however old (the listings will say the store is down).
    console.error("[tether] could not read the last discovery", e);
    return s.known?.result ?? null;
  }
  if (s.known.result === null && !s.triedAtStart) {
    // Nothing discovered yet (a first start): discover now rather than show an empty fleet.
    s.triedAtStart = true;
    s.startup = runDiscovery("start-up").then(
      () => undefined,
      (e: unknown) => console.error(`[tether] discovery at start-up failed: ${publicMessage(e)}`),
    );
  }
  // Callers that came while it runs wait for it too: before, they got no accounts at all.
  if (s.known.result === null && s.startup) await s.startup;
  return s.known?.result ?? null;
}

/** The discovered accounts as scopes (one per account × Region, through each account's role); none when discovery is off. */
export async function discoveredScopes(): Promise<Scope[]> {
  if (!env().organization) return [];
  const result = await knownResult();
  return (result?.accounts ?? []).flatMap((a) => a.regions.map((region) => ({ account: a.id, region, roleArn: a.roleArn })));
}

/** Forget what this process knows (tests). */
export function resetDiscoveryForTests(): void {
  const s = state();
  s.known = null;
  s.triedAtStart = false;
  s.startup = null;
}
