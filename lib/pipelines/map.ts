import "server-only";
import { parseConnectionsArn } from "@/lib/arn";
import { clientsFor } from "@/lib/aws/clients";
import { getPipeline, listExecutionsSince, listPipelines } from "@/lib/aws/codepipeline";
import { toAppError } from "@/lib/aws/errors";
import { TtlCache } from "@/lib/cache";
import { mapLimit } from "@/lib/concurrency";
import { env } from "@/lib/env";
import { getScopes } from "@/lib/fleet/scopes";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { PipelineUse, StoredPipeline } from "@/lib/store/types";
import { scopeKey, type Scope } from "@/lib/types";
import { SCOPE_CONCURRENCY } from "@/lib/fleet/inventory";

/**
 * The dependency map: which pipelines (and source actions) use which connection. Built from
 * GetPipeline declarations kept in the store; a scope's map is refreshed from ListPipelines,
 * and a declaration is fetched again only when its version or update time changed.
 */

const GET_CONCURRENCY = 4;

export interface MapSync {
  key: string;
  listed: number;
  fetched: number;
  removed: number;
  error: string | null;
  at: string;
}

function usesOf(def: { account: string; region: string; name: string; sourceActions: { name: string; connectionArn: string; repository: string; branch: string }[] }): PipelineUse[] {
  return def.sourceActions.map((a) => {
    const arn = parseConnectionsArn(a.connectionArn);
    return {
      account: def.account,
      region: def.region,
      pipeline: def.name,
      actionName: a.name,
      // An ARN that does not parse cannot match any connection: it is shown as "missing".
      connectionAccount: arn?.account ?? "",
      connectionRegion: arn?.region ?? "",
      connectionId: arn?.id ?? a.connectionArn,
      connectionArn: a.connectionArn,
      repository: a.repository,
      branch: a.branch,
    };
  });
}

async function syncScope(scope: Scope): Promise<MapSync> {
  const key = scopeKey(scope);
  const at = new Date().toISOString();
  const store = getStore();
  try {
    const client = clientsFor(scope).pipelines;
    const listing = await listPipelines(client, scope);
    const stored = new Map((await store.pipelines.listed(scope)).map((p) => [p.name, p]));
    const changed = listing.filter((p) => {
      const s = stored.get(p.name);
      return !s || s.version !== p.version || s.updated !== p.updated;
    });
    let fetched = 0;
    await mapLimit(changed, GET_CONCURRENCY, async (p) => {
      const def = await getPipeline(client, scope, p.name);
      fetched++;
      if (def) await store.pipelines.saveDefinition(p, def, usesOf(def), at);
    });
    const names = new Set(listing.map((p) => p.name));
    const gone = [...stored.keys()].filter((n) => !names.has(n));
    if (gone.length) await store.pipelines.remove(scope, gone);
    await store.pipelines.markMapped(scope, at);
    return { key, listed: listing.length, fetched, removed: gone.length, error: null, at };
  } catch (e) {
    return { key, listed: 0, fetched: 0, removed: 0, error: toAppError(e, `mapping pipelines of ${key}`).message, at };
  }
}

const cache = () => singleton("pipelines:map-cache", () => new TtlCache<MapSync>(() => env().TETHER_CACHE_TTL_SECONDS * 1000));

/** Brings every scope's map up to date (cached for the list TTL; `refresh` forces a relist). */
export async function syncPipelineMap(opts: { refresh?: boolean } = {}): Promise<MapSync[]> {
  const scopes = await getScopes();
  // A forced rebuild of one scope's map is honoured at most once per TETHER_MIN_REFRESH_SECONDS, like the listings.
  const cacheOpts = { refresh: opts.refresh, minAgeMs: env().TETHER_MIN_REFRESH_SECONDS * 1000 };
  return mapLimit(scopes, SCOPE_CONCURRENCY, (s) => cache().get(`${scopeKey(s)}|${s.roleArn ?? ""}`, () => syncScope(s), cacheOpts));
}

// ---------------------------------------------------------------------------------------------
// Execution history sweep.

const SETTLED = new Set(["Succeeded", "Failed", "Stopped", "Superseded", "Cancelled"]);
export const HISTORY_DAYS = 7;
const KEEP_DAYS = 30;

export interface SweepResult {
  pipelines: number;
  listCalls: number;
  saved: number;
  errors: string[];
}

/**
 * Reads new executions of the `limit` least recently swept pipelines (ListPipelineExecutions,
 * newest first, stopping at the first execution already stored and settled, or older than
 * HISTORY_DAYS). Bounded, so a sweep's cost is known; pages read only the store.
 */
/** Reads one pipeline's new executions into the store → [ListPipelineExecutions pages, saved]. */
export async function sweepPipeline(scope: Scope, p: StoredPipeline): Promise<{ pages: number; saved: number }> {
  const store = getStore();
  const since = new Date(Date.now() - HISTORY_DAYS * 86_400_000).toISOString();
  const known = await store.pipelines.known(p.account, p.region, p.name);
  const { executions, pages } = await listExecutionsSince(clientsFor(scope).pipelines, scope, p.name, (e) => SETTLED.has(known.get(e.executionId) ?? "") || (e.startTime !== null && e.startTime < since));
  const saved = await store.pipelines.saveExecutions(p.account, p.region, p.name, executions);
  await store.pipelines.markSwept(p.account, p.region, p.name, new Date().toISOString());
  return { pages, saved };
}

export async function sweepExecutions(limit: number): Promise<SweepResult> {
  const store = getStore();
  const scopes = new Map((await getScopes()).map((s) => [scopeKey(s), s]));
  const result: SweepResult = { pipelines: 0, listCalls: 0, saved: 0, errors: [] };
  // Only configured scopes, least recently attempted first: a failing or removed scope never starves the others.
  const batch = await store.pipelines.sweepOrder(limit, [...scopes.values()]);
  await mapLimit(batch, GET_CONCURRENCY, async (p) => {
    try {
      const { pages, saved } = await sweepPipeline(scopes.get(`${p.account}/${p.region}`) as Scope, p);
      result.listCalls += pages;
      result.saved += saved;
      result.pipelines++;
    } catch (e) {
      const message = toAppError(e, `sweeping ${p.account}/${p.region}/${p.name}`).message;
      result.errors.push(message);
      try {
        await store.pipelines.markSweepFailed(p.account, p.region, p.name, new Date().toISOString(), message);
      } catch (storeError) {
        console.error("[tether] could not record a failed sweep", storeError);
      }
    }
  });
  await store.pipelines.pruneExecutions(new Date(Date.now() - KEEP_DAYS * 86_400_000).toISOString());
  // CloudWatch refuses values older than two weeks, and the tables show 7 days: keep 15.
  await store.latency.prune(new Date(Date.now() - 15 * 86_400_000).toISOString());
  return result;
}
