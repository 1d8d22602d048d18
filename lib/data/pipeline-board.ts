import "server-only";
import { healthChangesAt, VERDICT_ORDER } from "@/lib/pipelines/health";
import { HISTORY_DAYS } from "@/lib/pipelines/map";
import { singleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import type { StoredExecution, StoredPipeline } from "@/lib/store/types";
import type { PipelineRow, PipelineVerdict } from "@/lib/types";

/**
 * The pipelines page's rows, kept up to date instead of rebuilt per request. With 3,000 pipelines
 * and 9,000 executions, reading every declaration and execution and judging every pipeline on each
 * render cost more than the render.
 *
 * The board holds every pipeline with its executions of the last HISTORY_DAYS and the row worked
 * out for each. Before each use it asks the store what changed since the change number it last
 * read (`PipelineRepo.changes`: every write that can change a row stamps its pipeline with the
 * next number, in the same transaction), so a sweep, a receiver, the map or another replica's
 * writes show on the next render, and only those pipelines are read again. A row is worked out
 * again when its pipeline changed, when the clock reaches the moment its verdict can change with
 * no new data (`healthChangesAt`, or an execution leaving the history), and all rows when the
 * context changes (a new version of the fleet's connections, other configured scopes).
 */
const DAY = 86_400_000;
/** Filtered views kept per version of the rows (each a sorted array of rows already held). */
const QUERIES_KEPT = 32;

interface Entry {
  pipeline: StoredPipeline;
  /** Newest first, as the store gives them. */
  executions: StoredExecution[];
  row: PipelineRow | null;
  /** The row stands until then (ms). */
  until: number;
}

/** Works a row out: the caller's lookup of connections and console links; `now` is the page's clock. */
export type RowBuilder = (p: StoredPipeline, executions: StoredExecution[], now: number) => PipelineRow;

export interface BoardView {
  /** Every row of the configured scopes, worst first. */
  rows: PipelineRow[];
  counts: Record<PipelineVerdict, number>;
  /** The rows `match` keeps, in the same order; the same array for the same key while nothing changed. */
  filtered(key: string, match: (r: PipelineRow) => boolean): PipelineRow[];
}

interface Board {
  seq: number;
  entries: Map<string, Entry>;
  /** What the rows were worked out with: another context makes every row again. */
  context: { lookup: unknown; scopes: string } | null;
  view: BoardView | null;
  /** Updates run one after the other (a render's update must not interleave with another's). */
  queue: Promise<unknown>;
  /** Counters for tests: rows worked out, and full reads of the store. */
  built: number;
  fullReads: number;
}

const board = () => singleton("data:pipeline-board", (): Board => ({ seq: -1, entries: new Map(), context: null, view: null, queue: Promise.resolve(), built: 0, fullReads: 0 }));

/** Rows worked out and full reads since start (tests: a render with nothing changed works out none). */
export const boardStats = (): { built: number; fullReads: number } => ({ built: board().built, fullReads: board().fullReads });

const keyOf = (x: { account: string; region: string }, name: string) => `${x.account}/${x.region}/${name}`;
export const byWorst = (a: PipelineRow, b: PipelineRow) => VERDICT_ORDER.indexOf(a.health.verdict) - VERDICT_ORDER.indexOf(b.health.verdict) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key);

/**
 * The rows of the pipelines of `scopes` (`account/region` keys) at `now`, for a context: `lookup`
 * is the object the rows' connection states come from (compared by identity), `build` works a row
 * out with it.
 */
export function pipelineBoard(now: number, scopes: ReadonlySet<string>, lookup: object, build: RowBuilder): Promise<BoardView> {
  const b = board();
  const run = b.queue.then(() => update(b, now, scopes, lookup, build));
  b.queue = run.catch(() => undefined);
  return run;
}

async function update(b: Board, now: number, scopes: ReadonlySet<string>, lookup: object, build: RowBuilder): Promise<BoardView> {
  const since = now - HISTORY_DAYS * DAY;
  const changes = await getStore().pipelines.changes(b.seq, new Date(since).toISOString());
  const grouped = new Map<string, StoredExecution[]>();
  for (const e of changes.executions) {
    const k = keyOf(e, e.pipeline);
    const list = grouped.get(k);
    if (list) list.push(e);
    else grouped.set(k, [e]);
  }
  let changed = false;
  if (changes.complete) {
    b.entries = new Map();
    b.fullReads++;
    changed = true;
  }
  for (const p of changes.pipelines) {
    const k = keyOf(p, p.name);
    b.entries.set(k, { pipeline: p, executions: grouped.get(k) ?? [], row: null, until: 0 });
    changed = true;
  }
  b.seq = changes.seq;

  const scopeKey = [...scopes].sort().join(",");
  if (!b.context || b.context.lookup !== lookup || b.context.scopes !== scopeKey) {
    b.context = { lookup, scopes: scopeKey };
    for (const e of b.entries.values()) e.row = null;
    changed = true;
  }

  for (const e of b.entries.values()) {
    if (!scopes.has(`${e.pipeline.account}/${e.pipeline.region}`)) {
      e.row = null;
      continue;
    }
    if (e.row && now < e.until) continue;
    // Executions older than the history the page judges leave it.
    if (e.executions.some((x) => !x.startTime || Date.parse(x.startTime) < since)) e.executions = e.executions.filter((x) => x.startTime && Date.parse(x.startTime) >= since);
    e.row = build(e.pipeline, e.executions, now);
    // The first instant an execution falls out of the history (`start < now - HISTORY_DAYS`).
    const leaves = e.executions.reduce((min, x) => Math.min(min, Date.parse(x.startTime ?? "") + HISTORY_DAYS * DAY + 1), Infinity);
    e.until = Math.min(healthChangesAt(e.executions, now), leaves);
    b.built++;
    changed = true;
  }

  if (!changed && b.view) return b.view;
  const rows = [...b.entries.values()].flatMap((e) => (e.row ? [e.row] : [])).sort(byWorst);
  const counts = Object.fromEntries(VERDICT_ORDER.map((v) => [v, 0])) as Record<PipelineVerdict, number>;
  for (const r of rows) counts[r.health.verdict]++;
  const kept = new Map<string, PipelineRow[]>();
  b.view = {
    rows,
    counts,
    filtered(key, match) {
      const hit = kept.get(key);
      if (hit) {
        // Most recently used last, so the oldest goes first.
        kept.delete(key);
        kept.set(key, hit);
        return hit;
      }
      const result = rows.filter(match);
      kept.set(key, result);
      if (kept.size > QUERIES_KEPT) kept.delete(kept.keys().next().value as string);
      return result;
    },
  };
  return b.view;
}
