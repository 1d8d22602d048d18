import type { Execution, PipelineDefinition, PipelineListing } from "@/lib/types";
import type { PipelineChanges, PipelineRepo, PipelineUse, StoredExecution, StoredPipeline } from "@/lib/store/types";
import { opt, str, toExecutionRow, toPipeline, toUse, type Row } from "@/lib/store/rows";
import { nocase, type PgDatabase, type Queryable } from "./database";

const EXECUTION_COLUMNS = "account, region, pipeline, execution_id, status, start_time, last_update_time, trigger_type, trigger_detail, revision_id, revision_summary";
const executionParams = (account: string, region: string, pipeline: string, e: Execution) => [account, region, pipeline, e.executionId, e.status, e.startTime, e.lastUpdateTime, e.triggerType, e.triggerDetail, e.revisionId, e.revisionSummary];

/**
 * Takes the next change number (migration 14); `removal` also records it as the last removal. Call
 * inside the writing transaction: the counter's row stays locked until it commits, so a later
 * number never commits before an earlier one (a reader that saw N has seen every change up to N).
 */
export async function nextChange(c: Queryable, removal = false): Promise<number> {
  const value = Number((await c.query<Row>("INSERT INTO pipeline_seq (name, value) VALUES ('change', 1) ON CONFLICT (name) DO UPDATE SET value = pipeline_seq.value + 1 RETURNING value")).rows[0]?.value);
  if (removal) await c.query("INSERT INTO pipeline_seq (name, value) VALUES ('removal', $1) ON CONFLICT (name) DO UPDATE SET value = excluded.value", [value]);
  return value;
}

/** Stamps a pipeline as changed (its row on the pipelines page must be read again). Call inside the writing transaction. */
export async function touchPipeline(c: Queryable, account: string, region: string, pipeline: string): Promise<void> {
  await c.query("UPDATE pipelines SET data_seq = $1 WHERE account = $2 AND region = $3 AND name = $4", [await nextChange(c), account, region, pipeline]);
}

export class PgPipelines implements PipelineRepo {
  constructor(private readonly db: PgDatabase) {}

  async listed(scope: { account: string; region: string }): Promise<{ name: string; version: number; updated: string | null }[]> {
    return (await this.db.query<Row>("SELECT name, version, updated FROM pipelines WHERE account = $1 AND region = $2 ORDER BY name", [scope.account, scope.region])).rows.map((r) => ({ name: str(r.name), version: Number(r.version), updated: opt(r.updated) }));
  }

  async saveDefinition(listing: PipelineListing, def: PipelineDefinition, uses: PipelineUse[], at: string): Promise<void> {
    // One row per action (SQLite's INSERT OR REPLACE keeps the last of a repeated action name).
    const byAction = [...new Map(uses.map((u) => [`${u.account}\u0000${u.region}\u0000${u.pipeline}\u0000${u.actionName}`, u])).values()];
    await this.db.tx(async (c) => {
      await c.query(
        `INSERT INTO pipelines (account, region, name, version, pipeline_type, updated, definition, fetched_at, data_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (account, region, name) DO UPDATE SET version = excluded.version, pipeline_type = excluded.pipeline_type, updated = excluded.updated, definition = excluded.definition, fetched_at = excluded.fetched_at, deleted_at = NULL, data_seq = excluded.data_seq`,
        [def.account, def.region, listing.name, listing.version, listing.pipelineType, listing.updated, JSON.stringify(def), at, await nextChange(c)],
      );
      await c.query("DELETE FROM pipeline_sources WHERE account = $1 AND region = $2 AND pipeline = $3", [def.account, def.region, listing.name]);
      if (byAction.length === 0) return;
      const col = (f: (u: PipelineUse) => string) => byAction.map(f);
      await c.query(
        `INSERT INTO pipeline_sources (account, region, pipeline, action_name, connection_account, connection_region, connection_id, connection_arn, repository, branch)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         ON CONFLICT (account, region, pipeline, action_name) DO UPDATE SET connection_account = excluded.connection_account, connection_region = excluded.connection_region,
           connection_id = excluded.connection_id, connection_arn = excluded.connection_arn, repository = excluded.repository, branch = excluded.branch`,
        [col((u) => u.account), col((u) => u.region), col((u) => u.pipeline), col((u) => u.actionName), col((u) => u.connectionAccount), col((u) => u.connectionRegion), col((u) => u.connectionId), col((u) => u.connectionArn), col((u) => u.repository), col((u) => u.branch)],
      );
    });
  }

  async remove(scope: { account: string; region: string }, names: string[]): Promise<void> {
    if (names.length === 0) return;
    await this.db.tx(async (c) => {
      await nextChange(c, true);
      await c.query("DELETE FROM pipelines WHERE account = $1 AND region = $2 AND name = ANY($3::text[])", [scope.account, scope.region, names]);
      await c.query("DELETE FROM pipeline_sources WHERE account = $1 AND region = $2 AND pipeline = ANY($3::text[])", [scope.account, scope.region, names]);
      await c.query("DELETE FROM executions WHERE account = $1 AND region = $2 AND pipeline = ANY($3::text[])", [scope.account, scope.region, names]);
    });
  }

  async all(): Promise<StoredPipeline[]> {
    return (await this.db.query("SELECT * FROM pipelines WHERE deleted_at IS NULL ORDER BY account, region, name")).rows.map(toPipeline);
  }

  async watching(repository: string): Promise<StoredPipeline[]> {
    return (
      await this.db.query(
        `SELECT p.* FROM pipelines p WHERE p.deleted_at IS NULL AND EXISTS (
           SELECT 1 FROM pipeline_sources s
           WHERE lower(s.repository) = ${nocase("$1")} AND s.account = p.account AND s.region = p.region AND s.pipeline = p.name)
         ORDER BY p.account, p.region, p.name`,
        [repository],
      )
    ).rows.map(toPipeline);
  }

  async get(account: string, region: string, name: string): Promise<StoredPipeline | null> {
    const row = (await this.db.query("SELECT * FROM pipelines WHERE account = $1 AND region = $2 AND name = $3 AND deleted_at IS NULL", [account, region, name])).rows[0];
    return row ? toPipeline(row) : null;
  }

  async uses(): Promise<PipelineUse[]> {
    return (await this.db.query("SELECT * FROM pipeline_sources ORDER BY account, region, pipeline, action_name")).rows.map(toUse);
  }

  async usesOf(c: { account: string; id: string }): Promise<PipelineUse[]> {
    return (await this.db.query(`SELECT * FROM pipeline_sources WHERE connection_account = $1 AND lower(connection_id) = ${nocase("$2")} ORDER BY pipeline, account, region, action_name`, [c.account, c.id])).rows.map(toUse);
  }

  async sweepOrder(limit: number, scopes: readonly { account: string; region: string }[]): Promise<StoredPipeline[]> {
    if (scopes.length === 0) return [];
    return (
      await this.db.query(
        `SELECT * FROM pipelines WHERE deleted_at IS NULL AND (account, region) IN (SELECT * FROM unnest($1::text[], $2::text[]))
         ORDER BY last_sweep_attempt_at IS NOT NULL, last_sweep_attempt_at, account, region, name LIMIT $3`,
        [scopes.map((s) => s.account), scopes.map((s) => s.region), limit],
      )
    ).rows.map(toPipeline);
  }

  saveExecutions(account: string, region: string, pipeline: string, executions: Execution[]): Promise<number> {
    if (executions.length === 0) return Promise.resolve(0);
    // One statement for a sweep's page of executions (a statement each cost a round trip each).
    // An id listed twice must be an upsert of an upsert, as SQLite runs them one by one, which one
    // statement cannot do ("cannot affect row a second time"): such a batch runs one by one.
    const distinct = new Set(executions.map((e) => e.executionId)).size === executions.length;
    return this.db.tx(async (c) => {
      let n = 0;
      if (distinct) n = await this.upsertExecutions(c, account, region, pipeline, executions);
      else for (const e of executions) n += await this.upsertExecutions(c, account, region, pipeline, [e]);
      if (n > 0) await touchPipeline(c, account, region, pipeline);
      return n;
    });
  }

  private async upsertExecutions(q: Queryable, account: string, region: string, pipeline: string, executions: Execution[]): Promise<number> {
    const col = (f: (e: Execution) => string | null) => executions.map(f);
    const r = await q.query(
      `INSERT INTO executions (${EXECUTION_COLUMNS})
       SELECT $1, $2, $3, u.* FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS u(execution_id, status, start_time, last_update_time, trigger_type, trigger_detail, revision_id, revision_summary)
       ON CONFLICT (account, region, pipeline, execution_id) DO UPDATE SET status = excluded.status, last_update_time = excluded.last_update_time,
         revision_id = COALESCE(excluded.revision_id, executions.revision_id), revision_summary = COALESCE(excluded.revision_summary, executions.revision_summary),
         -- an execution first stored from an event without its trigger gets it from the sweep
         trigger_type = COALESCE(executions.trigger_type, excluded.trigger_type), trigger_detail = COALESCE(executions.trigger_detail, excluded.trigger_detail), start_time = COALESCE(executions.start_time, excluded.start_time)
       WHERE executions.status IS DISTINCT FROM excluded.status OR executions.last_update_time IS DISTINCT FROM excluded.last_update_time
         OR (executions.trigger_type IS NULL AND excluded.trigger_type IS NOT NULL)`,
      [account, region, pipeline, col((e) => e.executionId), col((e) => e.status), col((e) => e.startTime), col((e) => e.lastUpdateTime), col((e) => e.triggerType), col((e) => e.triggerDetail), col((e) => e.revisionId), col((e) => e.revisionSummary)],
    );
    return r.rowCount ?? 0;
  }

  async addExecution(account: string, region: string, pipeline: string, e: Execution): Promise<boolean> {
    return this.db.tx(async (c) => {
      const added = (await c.query(`INSERT INTO executions (${EXECUTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`, executionParams(account, region, pipeline, e))).rowCount === 1;
      if (added) await touchPipeline(c, account, region, pipeline);
      return added;
    });
  }

  async markSwept(account: string, region: string, pipeline: string, at: string): Promise<void> {
    const set = "UPDATE pipelines SET last_swept_at = $1, last_sweep_attempt_at = $1, last_sweep_error = NULL WHERE account = $2 AND region = $3 AND name = $4";
    // Only the first sweep changes the page's row (never swept: "unknown"); later ones move times it does not show.
    const first = await this.db.query(`${set} AND last_swept_at IS NOT NULL`, [at, account, region, pipeline]);
    if ((first.rowCount ?? 0) > 0) return;
    await this.db.tx(async (c) => {
      if (((await c.query(set, [at, account, region, pipeline])).rowCount ?? 0) > 0) await touchPipeline(c, account, region, pipeline);
    });
  }

  async markSweepFailed(account: string, region: string, pipeline: string, at: string, error: string): Promise<void> {
    await this.db.query("UPDATE pipelines SET last_sweep_attempt_at = $1, last_sweep_error = $2 WHERE account = $3 AND region = $4 AND name = $5", [at, error, account, region, pipeline]);
  }

  async executions(account: string, region: string, pipeline: string, limit: number): Promise<StoredExecution[]> {
    // NULLS LAST: SQLite sorts NULL below every value, so a descending order ends with them.
    return (await this.db.query("SELECT * FROM executions WHERE account = $1 AND region = $2 AND pipeline = $3 ORDER BY start_time DESC NULLS LAST LIMIT $4", [account, region, pipeline, limit])).rows.map(toExecutionRow);
  }

  async known(account: string, region: string, pipeline: string): Promise<Map<string, string>> {
    return new Map((await this.db.query<Row>("SELECT execution_id, status FROM executions WHERE account = $1 AND region = $2 AND pipeline = $3", [account, region, pipeline])).rows.map((r) => [str(r.execution_id), str(r.status)]));
  }

  async executionsSince(since: string, of?: { account: string; region: string; pipeline: string }): Promise<StoredExecution[]> {
    const rows = of
      ? await this.db.query("SELECT * FROM executions WHERE account = $1 AND region = $2 AND pipeline = $3 AND start_time >= $4 ORDER BY start_time DESC", [of.account, of.region, of.pipeline, since])
      : await this.db.query("SELECT * FROM executions WHERE start_time >= $1 ORDER BY start_time DESC", [since]);
    return rows.rows.map(toExecutionRow);
  }

  async pruneExecutions(before: string): Promise<number> {
    return this.db.tx(async (c) => {
      const n = (await c.query("DELETE FROM executions WHERE start_time < $1", [before])).rowCount ?? 0;
      if (n > 0) await nextChange(c, true);
      return n;
    });
  }

  async changes(seq: number, since: string): Promise<PipelineChanges> {
    // The numbers first: a change committed after this read has a higher number and comes again next time.
    const counters = new Map((await this.db.query<Row>("SELECT name, value FROM pipeline_seq")).rows.map((r) => [str(r.name), Number(r.value)]));
    const now = counters.get("change") ?? 0;
    const complete = seq < 0 || (counters.get("removal") ?? 0) > seq;
    if (complete) return { seq: now, complete, pipelines: await this.all(), executions: await this.executionsSince(since) };
    const pipelines = (await this.db.query("SELECT * FROM pipelines WHERE deleted_at IS NULL AND data_seq > $1 ORDER BY account, region, name", [seq])).rows.map(toPipeline);
    const executions = pipelines.length
      ? (
          await this.db.query(
            `SELECT e.* FROM executions e JOIN pipelines p ON p.account = e.account AND p.region = e.region AND p.name = e.pipeline
             WHERE p.deleted_at IS NULL AND p.data_seq > $1 AND e.start_time >= $2 ORDER BY e.start_time DESC`,
            [seq, since],
          )
        ).rows.map(toExecutionRow)
      : [];
    return { seq: now, complete, pipelines, executions };
  }

  async markMapped(scope: { account: string; region: string }, at: string): Promise<void> {
    await this.db.query("INSERT INTO pipeline_maps (account, region, mapped_at) VALUES ($1, $2, $3) ON CONFLICT (account, region) DO UPDATE SET mapped_at = excluded.mapped_at", [scope.account, scope.region, at]);
  }

  async mapped(): Promise<Map<string, string>> {
    return new Map((await this.db.query<Row>("SELECT * FROM pipeline_maps ORDER BY account, region")).rows.map((r) => [`${str(r.account)}/${str(r.region)}`, str(r.mapped_at)]));
  }
}
