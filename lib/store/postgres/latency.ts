import { MAX_REVISION_ATTEMPTS } from "@/lib/store/types";
import type { LatencyRepo, MetricRow, MetricValue, MissedTrigger, NewPush, Sample, StoredExecution, StoredPush } from "@/lib/store/types";
import { opt, str, toExecutionRow, toMetricRow, toPush, type Row } from "@/lib/store/rows";
import { LOCK, nocase, type PgDatabase, type Queryable } from "./database";
import { touchPipeline } from "./pipelines";

const PUSH_TRIGGER_SQL = "trigger_type IN ('Webhook', 'WebhookV2')";
/** Outbox values due at $1: pending, their next attempt come, no publisher's claim on them. */
const DUE_SQL = "state = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)";

export class PgLatency implements LatencyRepo {
  constructor(private readonly db: PgDatabase) {}

  recordDelivery(provider: string, deliveryId: string, event: string, status: string, at: string): Promise<boolean> {
    return recordDeliveryOn(this.db, provider, deliveryId, event, status, at);
  }

  savePush(p: NewPush): Promise<{ id: number; duplicate: boolean }> {
    return savePushOn(this.db, p);
  }

  /** One statement commits on its own: the pool's connections give the concurrency SQLite's group commit batches for. */
  storeDelivery(provider: string, deliveryId: string, event: string, status: string, at: string): Promise<boolean> {
    return recordDeliveryOn(this.db, provider, deliveryId, event, status, at);
  }

  storePushDelivery(p: NewPush, event: string, outbox: (MetricValue & { source: string })[] = []): Promise<{ id: number } | null> {
    return this.db.tx(async (c) => {
      // Deliveries of the same push (a replay under a new id) arriving together are decided one
      // after the other, so exactly one of them is stored.
      await c.query(`SELECT pg_advisory_xact_lock($1::int, hashtext(concat_ws(' ', $2::text, ${nocase("$3")}, $4::text, $5::text)))`, [LOCK.push, p.provider, p.repository, p.branch, p.sha]);
      // A captured delivery replayed under a new id (the id is not signed) pushes nothing new.
      const same = (await c.query(`SELECT 1 FROM pushes WHERE provider = $1 AND lower(repository) = ${nocase("$2")} AND branch = $3 AND sha = $4 LIMIT 1`, [p.provider, p.repository, p.branch, p.sha])).rows.length > 0;
      if (!(await recordDeliveryOn(c, p.provider, p.deliveryId, event, same ? "duplicate" : "stored", p.receivedAt)) || same) return null;
      const stored = { id: (await savePushOn(c, p)).id };
      if (outbox.length) await enqueueOn(c, outbox, p.receivedAt);
      return stored;
    });
  }

  async pushesBySha(sha: string): Promise<StoredPush[]> {
    return (await this.db.query("SELECT * FROM pushes WHERE sha = $1 ORDER BY id", [sha])).rows.map(toPush);
  }

  async pushesToEvaluate(before: string, limit: number): Promise<StoredPush[]> {
    return (await this.db.query("SELECT * FROM pushes WHERE evaluated_at IS NULL AND received_at < $1 ORDER BY id LIMIT $2", [before, limit])).rows.map(toPush);
  }

  async markEvaluated(id: number, at: string): Promise<void> {
    await this.db.query("UPDATE pushes SET evaluated_at = $1 WHERE id = $2", [at, id]);
  }

  async pushesAfter(repository: string, branch: string, after: string): Promise<StoredPush[]> {
    return (await this.db.query(`SELECT * FROM pushes WHERE lower(repository) = ${nocase("$1")} AND branch = $2 AND pushed_at > $3 ORDER BY pushed_at, id`, [repository, branch, after])).rows.map(toPush);
  }

  async recentPushes(limit: number, filter: { repository?: string; branch?: string } = {}): Promise<StoredPush[]> {
    const params: unknown[] = [limit];
    const where: string[] = [];
    if (filter.repository) where.push(`lower(repository) = ${nocase(`$${params.push(filter.repository)}`)}`);
    if (filter.branch) where.push(`branch = $${params.push(filter.branch)}`);
    return (await this.db.query(`SELECT * FROM pushes${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY received_at DESC, id DESC LIMIT $1`, params)).rows.map(toPush);
  }

  async unjoined(opts: { since: string; waitBefore: string; sha?: string; limit: number }): Promise<StoredExecution[]> {
    const first = (await this.db.query("SELECT MIN(received_at) AS t FROM pushes")).rows[0];
    if (!first?.t) return [];
    // A start can precede its push's receipt by a little (clock skew); older ones never had a push here.
    const since = [opts.since, new Date(Date.parse(str(first.t)) - 10 * 60_000).toISOString()].sort()[1] as string;
    const params: unknown[] = [since, opts.waitBefore, opts.limit];
    return (
      await this.db.query(
        `SELECT e.* FROM executions e WHERE e.${PUSH_TRIGGER_SQL} AND e.revision_id IS NOT NULL AND e.start_time >= $1
           ${opts.sha ? `AND e.revision_id = $${params.push(opts.sha)}` : ""}
           AND NOT EXISTS (SELECT 1 FROM samples s WHERE s.account = e.account AND s.region = e.region AND s.pipeline = e.pipeline AND s.execution_id = e.execution_id)
           AND (EXISTS (SELECT 1 FROM pushes p WHERE p.sha = e.revision_id) OR e.start_time < $2)
         ORDER BY e.start_time, e.account, e.region, e.pipeline, e.execution_id LIMIT $3`,
        params,
      )
    ).rows.map(toExecutionRow);
  }

  async unresolved(since: string, limit: number): Promise<StoredExecution[]> {
    return (
      await this.db.query(`SELECT * FROM executions WHERE ${PUSH_TRIGGER_SQL} AND revision_id IS NULL AND revision_attempts < ${MAX_REVISION_ATTEMPTS} AND start_time >= $1 ORDER BY start_time, account, region, pipeline, execution_id LIMIT $2`, [since, limit])
    ).rows.map(toExecutionRow);
  }

  prune(before: string): Promise<number> {
    return this.db.tx(async (c) => {
      let n = 0;
      const run = async (sql: string) => {
        n += (await c.query(sql, [before])).rowCount ?? 0;
      };
      await run("DELETE FROM metric_outbox WHERE state <> 'pending' AND done_at < $1");
      await run("DELETE FROM deliveries WHERE received_at < $1");
      await run("DELETE FROM samples WHERE start_time < $1");
      await run("DELETE FROM missed_triggers WHERE detected_at < $1");
      await run(
        `DELETE FROM pushes WHERE received_at < $1 AND evaluated_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM samples s WHERE s.push_id = pushes.id)
           AND NOT EXISTS (SELECT 1 FROM missed_triggers m WHERE m.push_id = pushes.id)`,
      );
      return n;
    });
  }

  async noteRevisionAttempt(account: string, region: string, pipeline: string, executionId: string): Promise<void> {
    await this.db.query("UPDATE executions SET revision_attempts = revision_attempts + 1 WHERE account = $1 AND region = $2 AND pipeline = $3 AND execution_id = $4", [account, region, pipeline, executionId]);
  }

  async setRevision(account: string, region: string, pipeline: string, executionId: string, revisionId: string): Promise<void> {
    await this.db.tx(async (c) => {
      // The pipelines page counts the commits of manual starts: its row must be read again.
      const set = await c.query("UPDATE executions SET revision_id = $1 WHERE account = $2 AND region = $3 AND pipeline = $4 AND execution_id = $5", [revisionId, account, region, pipeline, executionId]);
      if ((set.rowCount ?? 0) > 0) await touchPipeline(c, account, region, pipeline);
    });
  }

  async saveSample(x: Sample): Promise<boolean> {
    return (
      (
        await this.db.query(
          `INSERT INTO samples (account, region, pipeline, execution_id, push_id, connection_id, provider, latency_ms, start_time, kind, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
          [x.account, x.region, x.pipeline, x.executionId, x.pushId, x.connectionId, x.provider, x.latencyMs, x.startTime, x.kind, x.createdAt],
        )
      ).rowCount === 1
    );
  }

  async sampleCounts(since: string): Promise<Record<Sample["kind"], number>> {
    const counts: Record<Sample["kind"], number> = { sample: 0, negative: 0, "no-push": 0 };
    for (const r of (await this.db.query<Row>("SELECT kind, COUNT(*) AS n FROM samples WHERE start_time >= $1 GROUP BY kind", [since])).rows) counts[r.kind as Sample["kind"]] = Number(r.n);
    return counts;
  }

  async latenciesSince(since: string): Promise<{ startTime: string; latencyMs: number; provider: string | null }[]> {
    return (
      await this.db.query<Row>("SELECT start_time, latency_ms, provider FROM samples WHERE kind = 'sample' AND start_time >= $1 ORDER BY start_time, account, region, pipeline, execution_id", [since])
    ).rows.map((r) => ({ startTime: str(r.start_time), latencyMs: Number(r.latency_ms), provider: opt(r.provider) }));
  }

  async saveMissed(m: MissedTrigger): Promise<boolean> {
    return (
      (
        await this.db.query(
          `INSERT INTO missed_triggers (push_id, account, region, pipeline, connection_id, provider, state, reason, detected_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [m.pushId, m.account, m.region, m.pipeline, m.connectionId, m.provider, m.state, m.reason, m.detectedAt],
        )
      ).rowCount === 1
    );
  }

  async missedSince(since: string, filter: { account?: string; region?: string; pipeline?: string; connectionId?: string } = {}): Promise<(MissedTrigger & { push: StoredPush })[]> {
    const params: unknown[] = [since];
    const where = ["m.detected_at >= $1"];
    if (filter.account) where.push(`m.account = $${params.push(filter.account)}`);
    if (filter.region) where.push(`m.region = $${params.push(filter.region)}`);
    if (filter.pipeline) where.push(`m.pipeline = $${params.push(filter.pipeline)}`);
    if (filter.connectionId) where.push(`lower(m.connection_id) = ${nocase(`$${params.push(filter.connectionId)}`)}`);
    const rows = (await this.db.query<Row>(`SELECT m.* FROM missed_triggers m WHERE ${where.join(" AND ")} ORDER BY m.detected_at DESC, m.push_id DESC LIMIT 500`, params)).rows;
    // Their pushes in one query.
    const ids = [...new Set(rows.map((r) => Number(r.push_id)))];
    const pushes = new Map((await this.db.query<Row>("SELECT * FROM pushes WHERE id = ANY($1::bigint[])", [ids])).rows.map((r) => [Number(r.id), toPush(r)]));
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

  enqueue(rows: (MetricValue & { source: string })[], now: string): Promise<number> {
    return enqueueOn(this.db, rows, now);
  }

  async due(now: string, limit: number): Promise<MetricRow[]> {
    return (await this.db.query<Row>(`SELECT * FROM metric_outbox WHERE ${DUE_SQL} ORDER BY id LIMIT $2`, [now, limit])).rows.map(toMetricRow);
  }

  async claimDue(now: string, limit: number, until: string): Promise<MetricRow[]> {
    // Rows another publisher is claiming right now are skipped, not waited for: each value goes to one.
    const rows = await this.db.query<Row>(
      `UPDATE metric_outbox SET claimed_until = $3 WHERE id IN (SELECT id FROM metric_outbox WHERE ${DUE_SQL} ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING *`,
      [now, limit, until],
    );
    return rows.rows.map(toMetricRow).sort((a, b) => a.id - b.id);
  }

  async markPublished(ids: number[], at: string): Promise<void> {
    if (ids.length) await this.db.query("UPDATE metric_outbox SET state = 'published', claimed_until = NULL, done_at = $1, attempts = attempts + 1 WHERE id = ANY($2::bigint[])", [at, ids]);
  }

  async markDropped(ids: number[], reason: string, at: string): Promise<void> {
    if (ids.length) await this.db.query("UPDATE metric_outbox SET state = 'dropped', claimed_until = NULL, reason = $1, done_at = $2 WHERE id = ANY($3::bigint[])", [reason, at, ids]);
  }

  async retryLater(ids: number[], nextAt: string, reason: string): Promise<void> {
    if (ids.length) await this.db.query("UPDATE metric_outbox SET attempts = attempts + 1, claimed_until = NULL, next_attempt_at = $1, reason = $2 WHERE id = ANY($3::bigint[])", [nextAt, reason, ids]);
  }

  async retryNow(now: string): Promise<number> {
    return (await this.db.query("UPDATE metric_outbox SET next_attempt_at = $1 WHERE state = 'pending' AND attempts > 0 AND next_attempt_at > $1", [now])).rowCount ?? 0;
  }

  async retrying(): Promise<{ count: number; reason: string | null; nextAt: string | null }> {
    const [r, last] = await Promise.all([
      this.db.query<Row>("SELECT COUNT(*) AS n, MIN(next_attempt_at) AS next FROM metric_outbox WHERE state = 'pending' AND attempts > 0"),
      this.db.query<Row>("SELECT reason FROM metric_outbox WHERE state = 'pending' AND attempts > 0 ORDER BY id DESC LIMIT 1"),
    ]);
    return { count: Number(r.rows[0]?.n), reason: last.rows[0] ? opt(last.rows[0].reason) : null, nextAt: opt(r.rows[0]?.next) };
  }

  async outboxCounts(exceptMetric = ""): Promise<Record<"pending" | "published" | "dropped", number>> {
    const out = { pending: 0, published: 0, dropped: 0 };
    for (const r of (await this.db.query<Row>("SELECT state, COUNT(*) AS n FROM metric_outbox WHERE metric <> $1 GROUP BY state", [exceptMetric])).rows) out[r.state as keyof typeof out] = Number(r.n);
    return out;
  }

  async droppedReasons(): Promise<{ reason: string; count: number }[]> {
    return (await this.db.query<Row>("SELECT reason, COUNT(*) AS n FROM metric_outbox WHERE state = 'dropped' GROUP BY reason ORDER BY n DESC, reason")).rows.map((r) => ({ reason: str(r.reason), count: Number(r.n) }));
  }
}

async function recordDeliveryOn(q: Queryable, provider: string, deliveryId: string, event: string, status: string, at: string): Promise<boolean> {
  return (await q.query("INSERT INTO deliveries (provider, delivery_id, event, status, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", [provider, deliveryId, event, status, at])).rowCount === 1;
}

async function savePushOn(q: Queryable, p: NewPush): Promise<{ id: number; duplicate: boolean }> {
  const inserted = (
    await q.query(
      `INSERT INTO pushes (provider, delivery_id, repository, branch, sha, before_sha, paths, pushed_at, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (provider, delivery_id) DO NOTHING RETURNING id`,
      [p.provider, p.deliveryId, p.repository, p.branch, p.sha, p.beforeSha, p.paths === null ? null : JSON.stringify(p.paths), p.pushedAt, p.receivedAt],
    )
  ).rows[0];
  if (inserted) return { id: Number(inserted.id), duplicate: false };
  const row = (await q.query("SELECT id FROM pushes WHERE provider = $1 AND delivery_id = $2", [p.provider, p.deliveryId])).rows[0];
  if (!row) throw new Error(`push ${p.provider}/${p.deliveryId} was neither stored nor found`);
  return { id: Number(row.id), duplicate: true };
}

/** Adds metric values in one statement; a source already stored (or repeated) is skipped. */
async function enqueueOn(q: Queryable, rows: (MetricValue & { source: string })[], now: string): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <T>(f: (r: MetricValue & { source: string }) => T) => rows.map(f);
  const r = await q.query(
    `INSERT INTO metric_outbox (metric, unit, value, at, pipeline, connection_id, provider, fleet, next_attempt_at, source)
     SELECT u.metric, u.unit, u.value, u.at, u.pipeline, u.connection_id, u.provider, u.fleet, $9, u.source
     FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $10::text[]) WITH ORDINALITY AS u(metric, unit, value, at, pipeline, connection_id, provider, fleet, source, ord)
     ORDER BY u.ord
     ON CONFLICT (source) DO NOTHING`,
    [col((x) => x.metric), col((x) => x.unit), col((x) => x.value), col((x) => x.at), col((x) => x.pipeline), col((x) => x.connectionId), col((x) => x.provider), col((x) => (x.fleet ? 1 : 0)), now, col((x) => x.source)],
  );
  return r.rowCount ?? 0;
}
