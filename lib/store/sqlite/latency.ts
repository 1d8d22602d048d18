import path from "node:path";
import { commitBatch, GroupCommit } from "@/lib/store/group-commit";
import { MAX_REVISION_ATTEMPTS } from "@/lib/store/types";
import type { LatencyRepo, MetricRow, MetricValue, MissedTrigger, NewPush, Sample, StoredExecution, StoredPush } from "@/lib/store/types";
import type { Db } from "./database";
import { touchPipeline } from "./pipelines";
import type { Syncish } from "./index";
import { IngestWrites, type IngestWrite } from "./ingest";
import { WriterThread } from "./writer-thread";
import { opt, str, toExecutionRow, toMetricRow, toPush, type Row } from "@/lib/store/rows";

const PUSH_TRIGGER_SQL = "trigger_type IN ('Webhook', 'WebhookV2')";
/** Outbox values due at the two `?` (now, now): pending, their next attempt come, no publisher's claim on them. */
const DUE_SQL = "state = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)";

/**
 * The latency repository. The receivers' writes (storePushDelivery, storeDelivery) go through the
 * group committer: on a database file, its batches are committed by the writer thread (its own
 * connection: the fsync off this thread's event loop); on ":memory:" (tests), which no second
 * connection can open, on this connection. Both run the same SQL (IngestWrites).
 */
export class SqliteLatency extends IngestWrites implements Syncish<LatencyRepo> {
  private readonly group: GroupCommit<IngestWrite>;
  private readonly writer: WriterThread | null;

  constructor(db: Db) {
    super(db);
    this.writer = db.memory ? null : new WriterThread(path.resolve(db.name));
    const writer = this.writer;
    this.group = new GroupCommit<IngestWrite>(writer ? (batch) => writer.commit(batch) : (batch) => commitBatch(db, batch, (w) => this.apply(w)));
  }

  storeDelivery(provider: string, deliveryId: string, event: string, status: string, at: string): Promise<boolean> {
    return this.group.run({ op: "delivery", provider, deliveryId, event, status, at });
  }

  storePushDelivery(p: NewPush, event: string, outbox: (MetricValue & { source: string })[] = []): Promise<{ id: number } | null> {
    return this.group.run({ op: "push", push: p, event, outbox });
  }

  /** Waits for the writes already submitted, then ends the writer thread (Store.close). */
  async close(): Promise<void> {
    await this.group.idle();
    await this.writer?.close();
  }

  /** The group committer's counts (tests, the benchmark). */
  groupCommitStats(): { transactions: number; writes: number } {
    return this.writer ? { ...this.writer.stats } : { transactions: this.group.stats.batches, writes: this.group.stats.writes };
  }

  pushesBySha(sha: string): StoredPush[] {
    return (this.db.prepare("SELECT * FROM pushes WHERE sha = ? ORDER BY id").all(sha) as Row[]).map(toPush);
  }

  pushesToEvaluate(before: string, limit: number): StoredPush[] {
    return (this.db.prepare("SELECT * FROM pushes WHERE evaluated_at IS NULL AND received_at < ? ORDER BY id LIMIT ?").all(before, limit) as Row[]).map(toPush);
  }

  markEvaluated(id: number, at: string): void {
    this.db.prepare("UPDATE pushes SET evaluated_at = ? WHERE id = ?").run(at, id);
  }

  pushesAfter(repository: string, branch: string, after: string): StoredPush[] {
    return (this.db.prepare("SELECT * FROM pushes WHERE repository = ? COLLATE NOCASE AND branch = ? AND pushed_at > ? ORDER BY pushed_at").all(repository, branch, after) as Row[]).map(toPush);
  }

  recentPushes(limit: number, filter: { repository?: string; branch?: string } = {}): StoredPush[] {
    const where = [filter.repository ? "repository = @repository COLLATE NOCASE" : null, filter.branch ? "branch = @branch" : null].filter(Boolean);
    return (this.db.prepare(`SELECT * FROM pushes${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY received_at DESC, id DESC LIMIT @limit`).all({ ...filter, limit }) as Row[]).map(toPush);
  }

  unjoined(opts: { since: string; waitBefore: string; sha?: string; limit: number }): StoredExecution[] {
    const first = this.db.prepare("SELECT MIN(received_at) AS t FROM pushes").get() as Row;
    if (!first.t) return [];
    // A start can precede its push's receipt by a little (clock skew); older ones never had a push here.
    const since = [opts.since, new Date(Date.parse(str(first.t)) - 10 * 60_000).toISOString()].sort()[1] as string;
    return (
      this.db
        .prepare(
          `SELECT e.* FROM executions e WHERE e.${PUSH_TRIGGER_SQL} AND e.revision_id IS NOT NULL AND e.start_time >= @since
             ${opts.sha ? "AND e.revision_id = @sha" : ""}
             AND NOT EXISTS (SELECT 1 FROM samples s WHERE s.account = e.account AND s.region = e.region AND s.pipeline = e.pipeline AND s.execution_id = e.execution_id)
             AND (EXISTS (SELECT 1 FROM pushes p WHERE p.sha = e.revision_id) OR e.start_time < @waitBefore)
           ORDER BY e.start_time LIMIT @limit`,
        )
        .all({ since, waitBefore: opts.waitBefore, sha: opts.sha, limit: opts.limit }) as Row[]
    ).map(toExecutionRow);
  }

  unresolved(since: string, limit: number): StoredExecution[] {
    return (
      this.db.prepare(`SELECT * FROM executions WHERE ${PUSH_TRIGGER_SQL} AND revision_id IS NULL AND revision_attempts < ${MAX_REVISION_ATTEMPTS} AND start_time >= ? ORDER BY start_time LIMIT ?`).all(since, limit) as Row[]
    ).map(toExecutionRow);
  }

  prune(before: string): number {
    return this.db.transaction(() => {
      let n = 0;
      n += this.db.prepare("DELETE FROM metric_outbox WHERE state != 'pending' AND done_at < ?").run(before).changes;
      n += this.db.prepare("DELETE FROM deliveries WHERE received_at < ?").run(before).changes;
      n += this.db.prepare("DELETE FROM samples WHERE start_time < ?").run(before).changes;
      n += this.db.prepare("DELETE FROM missed_triggers WHERE detected_at < ?").run(before).changes;
      n += this.db
        .prepare(
          `DELETE FROM pushes WHERE received_at < ? AND evaluated_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM samples s WHERE s.push_id = pushes.id)
             AND NOT EXISTS (SELECT 1 FROM missed_triggers m WHERE m.push_id = pushes.id)`,
        )
        .run(before).changes;
      return n;
    })();
  }

  noteRevisionAttempt(account: string, region: string, pipeline: string, executionId: string): void {
    this.db.prepare("UPDATE executions SET revision_attempts = revision_attempts + 1 WHERE account = ? AND region = ? AND pipeline = ? AND execution_id = ?").run(account, region, pipeline, executionId);
  }

  setRevision(account: string, region: string, pipeline: string, executionId: string, revisionId: string): void {
    const db = this.db;
    db.transaction(() => {
      // The pipelines page counts the commits of manual starts: its row must be read again.
      if (db.prepare("UPDATE executions SET revision_id = ? WHERE account = ? AND region = ? AND pipeline = ? AND execution_id = ?").run(revisionId, account, region, pipeline, executionId).changes > 0) touchPipeline(db, account, region, pipeline);
    })();
  }

  saveSample(x: Sample): boolean {
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO samples (account, region, pipeline, execution_id, push_id, connection_id, provider, latency_ms, start_time, kind, created_at)
           VALUES (@account, @region, @pipeline, @executionId, @pushId, @connectionId, @provider, @latencyMs, @startTime, @kind, @createdAt)`,
        )
        .run(x).changes === 1
    );
  }

  sampleCounts(since: string): Record<Sample["kind"], number> {
    const counts: Record<Sample["kind"], number> = { sample: 0, negative: 0, "no-push": 0 };
    for (const r of this.db.prepare("SELECT kind, COUNT(*) AS n FROM samples WHERE start_time >= ? GROUP BY kind").all(since) as Row[]) counts[r.kind as Sample["kind"]] = Number(r.n);
    return counts;
  }

  latenciesSince(since: string): { startTime: string; latencyMs: number; provider: string | null }[] {
    return (this.db.prepare("SELECT start_time, latency_ms, provider FROM samples WHERE kind = 'sample' AND start_time >= ? ORDER BY start_time, account, region, pipeline, execution_id").all(since) as Row[]).map((r) => ({
      startTime: str(r.start_time),
      latencyMs: Number(r.latency_ms),
      provider: opt(r.provider),
    }));
  }

  saveMissed(m: MissedTrigger): boolean {
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO missed_triggers (push_id, account, region, pipeline, connection_id, provider, state, reason, detected_at)
           VALUES (@pushId, @account, @region, @pipeline, @connectionId, @provider, @state, @reason, @detectedAt)`,
        )
        .run(m).changes === 1
    );
  }

  missedSince(since: string, filter: { account?: string; region?: string; pipeline?: string; connectionId?: string } = {}) {
    const where = ["m.detected_at >= @since", filter.account ? "m.account = @account" : null, filter.region ? "m.region = @region" : null, filter.pipeline ? "m.pipeline = @pipeline" : null, filter.connectionId ? "m.connection_id = @connectionId COLLATE NOCASE" : null].filter(Boolean);
    const rows = this.db.prepare(`SELECT m.* FROM missed_triggers m WHERE ${where.join(" AND ")} ORDER BY m.detected_at DESC LIMIT 500`).all({ since, ...filter }) as Row[];
    // Their pushes in one query (json_each keeps the statement the same for any number of ids).
    const ids = [...new Set(rows.map((r) => Number(r.push_id)))];
    const pushes = new Map((this.db.prepare("SELECT * FROM pushes WHERE id IN (SELECT value FROM json_each(?))").all(JSON.stringify(ids)) as Row[]).map((r) => [Number(r.id), toPush(r)]));
    const pushOf = (id: number) => pushes.get(id) as StoredPush;
    return rows.map((r) => ({
      pushId: Number(r.push_id),
      account: str(r.account),
      region: str(r.region),
      pipeline: str(r.pipeline),
      connectionId: opt(r.connection_id),
      provider: opt(r.provider),
      state: r.state as MissedTrigger["state"],
      reason: str(r.reason),
      detectedAt: str(r.detected_at),
      push: pushOf(Number(r.push_id)),
    }));
  }

  due(now: string, limit: number): MetricRow[] {
    return (this.db.prepare(`SELECT * FROM metric_outbox WHERE ${DUE_SQL} ORDER BY id LIMIT ?`).all(now, now, limit) as Row[]).map(toMetricRow);
  }

  claimDue(now: string, limit: number, until: string): MetricRow[] {
    return this.db.transaction(() => {
      const rows = this.due(now, limit);
      const claim = this.db.prepare("UPDATE metric_outbox SET claimed_until = ? WHERE id = ?");
      for (const r of rows) claim.run(until, r.id);
      return rows;
    })();
  }

  private updateMany(sql: string, ids: number[], params: unknown[]): void {
    const stmt = this.db.prepare(sql);
    this.db.transaction(() => {
      for (const id of ids) stmt.run(...params, id);
    })();
  }

  markPublished(ids: number[], at: string): void {
    this.updateMany("UPDATE metric_outbox SET state = 'published', claimed_until = NULL, done_at = ?, attempts = attempts + 1 WHERE id = ?", ids, [at]);
  }

  markDropped(ids: number[], reason: string, at: string): void {
    this.updateMany("UPDATE metric_outbox SET state = 'dropped', claimed_until = NULL, reason = ?, done_at = ? WHERE id = ?", ids, [reason, at]);
  }

  retryLater(ids: number[], nextAt: string, reason: string): void {
    this.updateMany("UPDATE metric_outbox SET attempts = attempts + 1, claimed_until = NULL, next_attempt_at = ?, reason = ? WHERE id = ?", ids, [nextAt, reason]);
  }

  retryNow(now: string): number {
    return this.db.prepare("UPDATE metric_outbox SET next_attempt_at = ? WHERE state = 'pending' AND attempts > 0 AND next_attempt_at > ?").run(now, now).changes;
  }

  retrying(): { count: number; reason: string | null; nextAt: string | null } {
    const r = this.db.prepare("SELECT COUNT(*) AS n, MIN(next_attempt_at) AS next FROM metric_outbox WHERE state = 'pending' AND attempts > 0").get() as Row;
    const last = this.db.prepare("SELECT reason FROM metric_outbox WHERE state = 'pending' AND attempts > 0 ORDER BY id DESC LIMIT 1").get() as Row | undefined;
    return { count: Number(r.n), reason: last ? opt(last.reason) : null, nextAt: opt(r.next) };
  }

  outboxCounts(exceptMetric = ""): Record<"pending" | "published" | "dropped", number> {
    const out = { pending: 0, published: 0, dropped: 0 };
    for (const r of this.db.prepare("SELECT state, COUNT(*) AS n FROM metric_outbox WHERE metric <> ? GROUP BY state").all(exceptMetric) as Row[]) out[r.state as keyof typeof out] = Number(r.n);
    return out;
  }

  droppedReasons(): { reason: string; count: number }[] {
    return (this.db.prepare("SELECT reason, COUNT(*) AS n FROM metric_outbox WHERE state = 'dropped' GROUP BY reason ORDER BY n DESC").all() as Row[]).map((r) => ({ reason: str(r.reason), count: Number(r.n) }));
  }
}
