import type { Execution, PipelineDefinition, PipelineListing } from "@/lib/types";
import type { PipelineChanges, PipelineRepo, PipelineUse, StoredExecution, StoredPipeline } from "@/lib/store/types";
import type { Db } from "./database";
import type { Syncish } from "./index";
import { opt, str, toExecutionRow, toPipeline, toUse, type Row } from "@/lib/store/rows";

/** Takes the next change number (migration 14); `removal` also records it as the last removal. Call inside the writing transaction. */
export function nextChange(db: Db, removal = false): number {
  const { value } = db.prepare("INSERT INTO pipeline_seq (name, value) VALUES ('change', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value").get() as { value: number };
  if (removal) db.prepare("INSERT INTO pipeline_seq (name, value) VALUES ('removal', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value").run(value);
  return value;
}

/** Stamps a pipeline as changed (its row on the pipelines page must be read again). Call inside the writing transaction. */
export function touchPipeline(db: Db, account: string, region: string, pipeline: string): void {
  db.prepare("UPDATE pipelines SET data_seq = ? WHERE account = ? AND region = ? AND name = ?").run(nextChange(db), account, region, pipeline);
}

export class SqlitePipelines implements Syncish<PipelineRepo> {
  constructor(private readonly db: Db) {}

  listed(scope: { account: string; region: string }) {
    return (this.db.prepare("SELECT name, version, updated FROM pipelines WHERE account = ? AND region = ?").all(scope.account, scope.region) as Row[]).map((r) => ({ name: str(r.name), version: Number(r.version), updated: opt(r.updated) }));
  }

  saveDefinition(listing: PipelineListing, def: PipelineDefinition, uses: PipelineUse[], at: string): void {
    const db = this.db;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO pipelines (account, region, name, version, pipeline_type, updated, definition, fetched_at, data_seq) VALUES (@account, @region, @name, @version, @pipelineType, @updated, @definition, @at, @seq)
         ON CONFLICT (account, region, name) DO UPDATE SET version = excluded.version, pipeline_type = excluded.pipeline_type, updated = excluded.updated, definition = excluded.definition, fetched_at = excluded.fetched_at, deleted_at = NULL, data_seq = excluded.data_seq`,
      ).run({ account: def.account, region: def.region, name: listing.name, version: listing.version, pipelineType: listing.pipelineType, updated: listing.updated, definition: JSON.stringify(def), at, seq: nextChange(db) });
      db.prepare("DELETE FROM pipeline_sources WHERE account = ? AND region = ? AND pipeline = ?").run(def.account, def.region, listing.name);
      const insert = db.prepare(
        `INSERT OR REPLACE INTO pipeline_sources (account, region, pipeline, action_name, connection_account, connection_region, connection_id, connection_arn, repository, branch)
         VALUES (@account, @region, @pipeline, @actionName, @connectionAccount, @connectionRegion, @connectionId, @connectionArn, @repository, @branch)`,
      );
      for (const u of uses) insert.run(u);
    })();
  }

  remove(scope: { account: string; region: string }, names: string[]): void {
    if (names.length === 0) return;
    const db = this.db;
    db.transaction(() => {
      nextChange(db, true);
      for (const name of names) {
        for (const table of ["pipelines", "pipeline_sources", "executions"]) {
          const col = table === "pipelines" ? "name" : "pipeline";
          db.prepare(`DELETE FROM ${table} WHERE account = ? AND region = ? AND ${col} = ?`).run(scope.account, scope.region, name);
        }
      }
    })();
  }

  all(): StoredPipeline[] {
    return (this.db.prepare("SELECT * FROM pipelines WHERE deleted_at IS NULL").all() as Row[]).map(toPipeline);
  }

  watching(repository: string): StoredPipeline[] {
    return (
      this.db
        .prepare(
          `SELECT p.* FROM pipelines p WHERE p.deleted_at IS NULL AND EXISTS (
             SELECT 1 FROM pipeline_sources s
             WHERE s.repository = ? COLLATE NOCASE AND s.account = p.account AND s.region = p.region AND s.pipeline = p.name)`,
        )
        .all(repository) as Row[]
    ).map(toPipeline);
  }

  get(account: string, region: string, name: string): StoredPipeline | null {
    const row = this.db.prepare("SELECT * FROM pipelines WHERE account = ? AND region = ? AND name = ? AND deleted_at IS NULL").get(account, region, name) as Row | undefined;
    return row ? toPipeline(row) : null;
  }

  uses(): PipelineUse[] {
    return (this.db.prepare("SELECT * FROM pipeline_sources").all() as Row[]).map(toUse);
  }

  usesOf(c: { account: string; id: string }): PipelineUse[] {
    return (this.db.prepare("SELECT * FROM pipeline_sources WHERE connection_account = ? AND connection_id = ? COLLATE NOCASE ORDER BY pipeline").all(c.account, c.id) as Row[]).map(toUse);
  }

  sweepOrder(limit: number, scopes: readonly { account: string; region: string }[]): StoredPipeline[] {
    if (scopes.length === 0) return [];
    const match = scopes.map(() => "(account = ? AND region = ?)").join(" OR ");
    return (
      this.db
        .prepare(`SELECT * FROM pipelines WHERE deleted_at IS NULL AND (${match}) ORDER BY last_sweep_attempt_at IS NOT NULL, last_sweep_attempt_at, account, region, name LIMIT ?`)
        .all(...scopes.flatMap((s) => [s.account, s.region]), limit) as Row[]
    ).map(toPipeline);
  }

  saveExecutions(account: string, region: string, pipeline: string, executions: Execution[]): number {
    const db = this.db;
    const upsert = db.prepare(
      `INSERT INTO executions (account, region, pipeline, execution_id, status, start_time, last_update_time, trigger_type, trigger_detail, revision_id, revision_summary)
       VALUES (@account, @region, @pipeline, @executionId, @status, @startTime, @lastUpdateTime, @triggerType, @triggerDetail, @revisionId, @revisionSummary)
       ON CONFLICT (account, region, pipeline, execution_id) DO UPDATE SET status = excluded.status, last_update_time = excluded.last_update_time,
         revision_id = COALESCE(excluded.revision_id, revision_id), revision_summary = COALESCE(excluded.revision_summary, revision_summary),
         -- an execution first stored from an event without its trigger gets it from the sweep
         trigger_type = COALESCE(trigger_type, excluded.trigger_type), trigger_detail = COALESCE(trigger_detail, excluded.trigger_detail), start_time = COALESCE(start_time, excluded.start_time)
       WHERE status IS NOT excluded.status OR last_update_time IS NOT excluded.last_update_time OR (trigger_type IS NULL AND excluded.trigger_type IS NOT NULL)`,
    );
    return db.transaction(() => {
      const n = executions.reduce((sum, e) => sum + upsert.run({ ...e, account, region, pipeline }).changes, 0);
      if (n > 0) touchPipeline(db, account, region, pipeline);
      return n;
    })();
  }

  addExecution(account: string, region: string, pipeline: string, e: Execution): boolean {
    const db = this.db;
    return db.transaction(() => {
      const added =
        db
          .prepare(
            `INSERT OR IGNORE INTO executions (account, region, pipeline, execution_id, status, start_time, last_update_time, trigger_type, trigger_detail, revision_id, revision_summary)
             VALUES (@account, @region, @pipeline, @executionId, @status, @startTime, @lastUpdateTime, @triggerType, @triggerDetail, @revisionId, @revisionSummary)`,
          )
          .run({ ...e, account, region, pipeline }).changes === 1;
      if (added) touchPipeline(db, account, region, pipeline);
      return added;
    })();
  }

  markSwept(account: string, region: string, pipeline: string, at: string): void {
    const db = this.db;
    db.transaction(() => {
      // Only the first sweep changes the page's row (never swept: "unknown"); later ones move times it does not show.
      const first = db.prepare("SELECT 1 FROM pipelines WHERE account = ? AND region = ? AND name = ? AND last_swept_at IS NULL").get(account, region, pipeline);
      if (first) touchPipeline(db, account, region, pipeline);
      db.prepare("UPDATE pipelines SET last_swept_at = ?, last_sweep_attempt_at = ?, last_sweep_error = NULL WHERE account = ? AND region = ? AND name = ?").run(at, at, account, region, pipeline);
    })();
  }

  markSweepFailed(account: string, region: string, pipeline: string, at: string, error: string): void {
    this.db.prepare("UPDATE pipelines SET last_sweep_attempt_at = ?, last_sweep_error = ? WHERE account = ? AND region = ? AND name = ?").run(at, error, account, region, pipeline);
  }

  executions(account: string, region: string, pipeline: string, limit: number): StoredExecution[] {
    return (this.db.prepare("SELECT * FROM executions WHERE account = ? AND region = ? AND pipeline = ? ORDER BY start_time DESC LIMIT ?").all(account, region, pipeline, limit) as Row[]).map(toExecutionRow);
  }

  known(account: string, region: string, pipeline: string): Map<string, string> {
    return new Map((this.db.prepare("SELECT execution_id, status FROM executions WHERE account = ? AND region = ? AND pipeline = ?").all(account, region, pipeline) as Row[]).map((r) => [str(r.execution_id), str(r.status)]));
  }

  executionsSince(since: string, of?: { account: string; region: string; pipeline: string }): StoredExecution[] {
    if (of) return (this.db.prepare("SELECT * FROM executions WHERE account = ? AND region = ? AND pipeline = ? AND start_time >= ? ORDER BY start_time DESC").all(of.account, of.region, of.pipeline, since) as Row[]).map(toExecutionRow);
    return (this.db.prepare("SELECT * FROM executions WHERE start_time >= ? ORDER BY start_time DESC").all(since) as Row[]).map(toExecutionRow);
  }

  pruneExecutions(before: string): number {
    const db = this.db;
    return db.transaction(() => {
      const n = db.prepare("DELETE FROM executions WHERE start_time < ?").run(before).changes;
      if (n > 0) nextChange(db, true);
      return n;
    })();
  }

  changes(seq: number, since: string): PipelineChanges {
    // The numbers first: a change committed after this read has a higher number and comes again next time.
    const counters = new Map((this.db.prepare("SELECT name, value FROM pipeline_seq").all() as Row[]).map((r) => [str(r.name), Number(r.value)]));
    const now = counters.get("change") ?? 0;
    const complete = seq < 0 || (counters.get("removal") ?? 0) > seq;
    if (complete) return { seq: now, complete, pipelines: this.all(), executions: this.executionsSince(since) };
    const pipelines = (this.db.prepare("SELECT * FROM pipelines WHERE deleted_at IS NULL AND data_seq > ? ORDER BY account, region, name").all(seq) as Row[]).map(toPipeline);
    const executions = pipelines.length
      ? (
          this.db
            .prepare(
              `SELECT e.* FROM executions e JOIN pipelines p ON p.account = e.account AND p.region = e.region AND p.name = e.pipeline
               WHERE p.deleted_at IS NULL AND p.data_seq > ? AND e.start_time >= ? ORDER BY e.start_time DESC`,
            )
            .all(seq, since) as Row[]
        ).map(toExecutionRow)
      : [];
    return { seq: now, complete, pipelines, executions };
  }

  markMapped(scope: { account: string; region: string }, at: string): void {
    this.db.prepare("INSERT INTO pipeline_maps (account, region, mapped_at) VALUES (?, ?, ?) ON CONFLICT (account, region) DO UPDATE SET mapped_at = excluded.mapped_at").run(scope.account, scope.region, at);
  }

  mapped(): Map<string, string> {
    return new Map((this.db.prepare("SELECT * FROM pipeline_maps").all() as Row[]).map((r) => [`${str(r.account)}/${str(r.region)}`, str(r.mapped_at)]));
  }
}
