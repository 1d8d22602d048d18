import "server-only";
import { parseConnectionsArn } from "@/lib/arn";
import { executionConsoleUrl, pipelineConsoleUrl } from "@/lib/console-url";
import { env } from "@/lib/env";
import { fleetView } from "./fleet-view";
import { type BoardView, byWorst, pipelineBoard } from "./pipeline-board";
import { getInventory, type Inventory } from "@/lib/fleet/inventory";
import { VERDICT_ORDER } from "@/lib/pipelines/health";
import { HISTORY_DAYS, syncPipelineMap, type MapSync } from "@/lib/pipelines/map";
import { simulate } from "@/lib/pipelines/triggers";
import { assessPipeline, connectionLookup, connectionStateOf, type ConnectionLookup } from "@/lib/pipelines/verdicts";
import { getStore } from "@/lib/store";
import type { ConnectionState, Diagnosis, FleetHealth, PipelineRow, PipelineVerdict, SimulatedPush, SimulationRow } from "@/lib/types";
import type { StoredExecution, StoredPipeline } from "@/lib/store/types";
import { requireRole } from "./session";
import { type Page, paginate, toSearchParams } from "@/lib/query";

/**
 * The pipeline map, per-pipeline diagnosis and health, and the trigger simulator, for the
 * on-call pages, the connection page and the inventory. Declarations and executions come from
 * the store (the map sync and the background sweep fill it); a page view lists pipelines at most
 * once per cache TTL and never reads executions from AWS.
 */

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

interface Context {
  inv: Inventory;
  lookup: ConnectionLookup;
}

/** The connection lookup of one version of the fleet (`getInventory` hands out the same arrays while no listing changed): 10,000 connections are indexed once, not per render. */
const lookups = new WeakMap<object, ConnectionLookup>();

function context(inv: Inventory): Context {
  let lookup = lookups.get(inv.connections);
  if (!lookup) {
    // An account whose connection listing failed and never succeeded cannot say a connection is missing.
    lookup = connectionLookup(inv.connections, new Map(inv.accounts.map((a) => [a.account, a.asOf !== null])));
    lookups.set(inv.connections, lookup);
  }
  return { inv, lookup };
}

const link = (fn: () => string) => {
  try {
    return fn();
  } catch {
    return null;
  }
};

function toRow(ctx: Context, p: StoredPipeline, executions: StoredExecution[], now: number): PipelineRow {
  const { sources, health } = assessPipeline(ctx.lookup, p, executions, now);
  const template = env().TETHER_CONSOLE_URL;
  const last = executions[0];
  return {
    key: `${p.account}/${p.region}/${p.name}`,
    account: p.account,
    region: p.region,
    name: p.name,
    pipelineType: p.pipelineType,
    sources,
    health,
    consoleUrl: link(() => pipelineConsoleUrl(template, p.region, p.name)),
    lastExecutionUrl: last ? link(() => executionConsoleUrl(template, p.region, p.name, last.executionId)) : null,
  };
}

/** The rows of the configured scopes' pipelines, worst first, from the board (worked out again only where something changed). */
async function rows(opts: { refresh?: boolean }): Promise<{ board: BoardView; inv: Inventory; map: MapSync[] }> {
  const [inv, map] = await Promise.all([getInventory(opts), syncPipelineMap(opts)]);
  const ctx = context(inv);
  const board = await pipelineBoard(Date.parse(inv.generatedAt), new Set(inv.scopes.map((s) => s.key)), ctx.lookup, (p, executions, now) => toRow(ctx, p, executions, now));
  return { board, inv, map };
}

export interface PipelinesQuery {
  verdict: PipelineVerdict[];
  account: string[];
  region: string[];
  q: string;
  page: number;
}

export const PIPELINES_PAGE_SIZE = 50;

export function parsePipelinesQuery(input: Params): { query: PipelinesQuery; problems: string[] } {
  const p = toSearchParams(input);
  const problems: string[] = [];
  const multi = (key: string, valid: (v: string) => boolean, hint: string) =>
    p
      .getAll(key)
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean)
      .filter((v) => valid(v) || (problems.push(`${key}: "${v}" is not ${hint}`), false));
  return {
    query: {
      verdict: multi("verdict", (v) => (VERDICT_ORDER as string[]).includes(v), `one of ${VERDICT_ORDER.join(", ")}`) as PipelineVerdict[],
      account: multi("account", (v) => /^\d{12}$/.test(v), "12 digits"),
      region: multi("region", (v) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(v), "a region"),
      q: (p.get("q") ?? "").trim().slice(0, 200),
      page: /^\d+$/.test(p.get("page") ?? "") && Number(p.get("page")) >= 1 ? Number(p.get("page")) : 1,
    },
    problems,
  };
}

export interface PipelinesView {
  generatedAt: string;
  query: PipelinesQuery;
  problems: string[];
  page: Page<PipelineRow>;
  total: number;
  counts: Record<PipelineVerdict, number>;
  accounts: string[];
  regions: string[];
  mapErrors: { key: string; error: string }[];
  health: FleetHealth;
}

export async function getPipelinesView(params: Params, opts: { refresh?: boolean } = {}): Promise<PipelinesView> {
  await requireRole("viewer");
  const { query, problems } = parsePipelinesQuery(params);
  const { board, inv, map } = await rows(opts);
  const needle = query.q.toLowerCase();
  const match = (xs: string[], v: string) => xs.length === 0 || xs.includes(v);
  const filtered = board.filtered(
    JSON.stringify({ ...query, page: 1 }),
    (r) =>
      match(query.verdict, r.health.verdict) &&
      match(query.account, r.account) &&
      match(query.region, r.region) &&
      (!needle || r.name.toLowerCase().includes(needle) || r.sources.some((s) => s.repository.toLowerCase().includes(needle) || (s.connection.name ?? "").toLowerCase().includes(needle))),
  );
  return {
    generatedAt: inv.generatedAt,
    query,
    problems,
    page: paginate(filtered, query.page, PIPELINES_PAGE_SIZE),
    total: board.rows.length,
    counts: board.counts,
    accounts: [...new Set(inv.scopes.map((s) => s.scope.account))].sort(),
    regions: [...new Set(inv.scopes.map((s) => s.scope.region))].sort(),
    mapErrors: map.filter((m) => m.error).map((m) => ({ key: m.key, error: m.error ?? "" })),
    health: (await fleetView(inv)).health,
  };
}

// ---------------------------------------------------------------------------------------------
// The trigger simulator.

export interface SimulationInput extends SimulatedPush {
  /** The form as typed, to fill it again. */
  form: { repo: string; branch: string; tags: string; paths: string };
}

/** Reads `sim_repo`, `sim_branch`, `sim_tags`, `sim_paths` from a page's query; null when no simulation was asked for. */
export function parseSimulation(input: Params): { sim: SimulationInput | null; problems: string[] } {
  const p = toSearchParams(input);
  const form = { repo: (p.get("sim_repo") ?? "").trim(), branch: (p.get("sim_branch") ?? "").trim(), tags: (p.get("sim_tags") ?? "").trim(), paths: p.get("sim_paths") ?? "" };
  if (!form.repo && !form.branch && !form.tags && !form.paths.trim()) return { sim: null, problems: [] };
  const problems: string[] = [];
  if (!form.repo) problems.push("repository: required (owner/name)");
  if (!form.branch && !form.tags) problems.push("give a branch or at least one tag");
  if (form.branch && !/^[^\s~^:?*[\\]{1,255}$/.test(form.branch)) problems.push(`branch: "${form.branch}" is not a valid Git branch name`);
  const tags = form.tags.split(/[\s,]+/).filter(Boolean);
  const paths = form.paths.split(/[\n,]+/).map((x) => x.trim()).filter(Boolean);
  if (paths.length > 500) problems.push("paths: at most 500");
  if (problems.length) return { sim: null, problems };
  return { sim: { repository: form.repo, ...(form.branch ? { branch: form.branch } : {}), tags, paths: paths.length ? paths : null, form }, problems };
}

function runSimulation(ctx: Context, pipelines: StoredPipeline[], push: SimulatedPush): SimulationRow[] {
  const out: SimulationRow[] = [];
  for (const p of pipelines) {
    for (const a of p.definition.sourceActions) {
      const arn = parseConnectionsArn(a.connectionArn);
      const state: ConnectionState = arn?.kind === "connection" ? connectionStateOf(ctx.lookup, arn.account, arn.id) : { exists: false };
      out.push({ pipeline: p.name, key: `${p.account}/${p.region}/${p.name}`, account: p.account, region: p.region, action: a.name, repository: a.repository, branch: a.branch, result: simulate(p.definition, a, state, push) });
    }
  }
  const rank = { starts: 0, unknown: 1, no: 2 } as const;
  return out.sort((x, y) => rank[x.result.outcome] - rank[y.result.outcome] || x.pipeline.localeCompare(y.pipeline));
}

// ---------------------------------------------------------------------------------------------
// One pipeline.

export interface PipelineDetail {
  generatedAt: string;
  row: PipelineRow;
  stored: StoredPipeline;
  executions: (StoredExecution & { consoleUrl: string | null })[];
  simulation: { input: SimulationInput; rows: SimulationRow[] } | null;
  simulationProblems: string[];
  canRelease: boolean;
}

export async function getPipelineDetail(account: string, region: string, name: string, params: Params, opts: { refresh?: boolean } = {}): Promise<PipelineDetail | null> {
  const p = await requireRole("viewer");
  if (!/^\d{12}$/.test(account) || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region) || !/^[A-Za-z0-9.@_-]{1,100}$/.test(name)) return null;
  const [inv] = await Promise.all([getInventory(opts), syncPipelineMap(opts)]);
  const store = getStore();
  const stored = await store.pipelines.get(account, region, name);
  if (!stored) return null;
  const ctx = context(inv);
  const now = Date.parse(inv.generatedAt);
  const recent = await store.pipelines.executions(account, region, name, 50);
  // The verdict reads the same 7 days as the list's, not only the 50 executions the table shows.
  const row = toRow(ctx, stored, await store.pipelines.executionsSince(new Date(now - HISTORY_DAYS * 86_400_000).toISOString(), { account, region, pipeline: name }), now);
  const template = env().TETHER_CONSOLE_URL;
  const { sim, problems } = parseSimulation(params);
  return {
    generatedAt: inv.generatedAt,
    row,
    stored,
    executions: recent.map((e) => ({ ...e, consoleUrl: link(() => executionConsoleUrl(template, region, name, e.executionId)) })),
    simulation: sim ? { input: sim, rows: runSimulation(ctx, [stored], sim) } : null,
    simulationProblems: problems,
    canRelease: p.role === "admin",
  };
}

// ---------------------------------------------------------------------------------------------
// The pipelines of one connection (connection page), with the simulator over them.

export interface ConnectionPipelines {
  rows: (PipelineRow & { actions: { name: string; repository: string; branch: string; diagnosis: Diagnosis }[] })[];
  simulation: { input: SimulationInput; rows: SimulationRow[] } | null;
  simulationProblems: string[];
}

/**
 * The pipelines that use one connection. `refresh` rebuilds the pipeline map; the inventory is the
 * cached one, which the connection page has just refreshed itself (listing the fleet twice for one
 * page would double its AWS calls).
 */
export async function getConnectionPipelines(connection: { account: string; id: string }, params: Params, opts: { refresh?: boolean } = {}): Promise<ConnectionPipelines> {
  await requireRole("viewer");
  const [inv] = await Promise.all([getInventory(), syncPipelineMap(opts)]);
  const store = getStore();
  const uses = await store.pipelines.usesOf(connection);
  const names = [...new Set(uses.map((u) => `${u.account}/${u.region}/${u.pipeline}`))];
  const pipelines = (
    await Promise.all(
      names.map((k) => {
        const [a, r, ...n] = k.split("/");
        return store.pipelines.get(a as string, r as string, n.join("/"));
      }),
    )
  ).filter((p): p is StoredPipeline => p !== null);
  const ctx = context(inv);
  const now = Date.parse(inv.generatedAt);
  const since = new Date(now - HISTORY_DAYS * 86_400_000).toISOString();
  const { sim, problems } = parseSimulation(params);
  return {
    rows: (
      await Promise.all(
        pipelines.map(async (p) => {
          const row = toRow(ctx, p, await store.pipelines.executionsSince(since, { account: p.account, region: p.region, pipeline: p.name }), now);
          const mine = row.sources.filter((s) => s.connection.id.toLowerCase() === connection.id.toLowerCase() && s.connection.account === connection.account);
          return { ...row, actions: mine.map((s) => ({ name: s.name, repository: s.repository, branch: s.branch, diagnosis: s.diagnosis })) };
        }),
      )
    ).sort(byWorst),
    simulation: sim ? { input: sim, rows: runSimulation(ctx, pipelines, sim) } : null,
    simulationProblems: problems,
  };
}
