import type { AlertChanges, AlertFilter, AlertRepo, AlertTracking, DueDelivery, JobRun, MaintenanceWindow, OutboxEvent, RuleSettings, StoredAlert, StoredDelivery, StoredTransition } from "@/lib/store/types";
import type { AlertEvent, AlertRuleId, TransitionKind } from "@/lib/types";
import { toAlert, toDelivery, toJobRun, toOutboxEvent, toRuleSettings, toTracking, toTransition, toWindow, type Row } from "@/lib/store/rows";
import { LOCK, lock, type PgDatabase, type Queryable } from "./database";

/**
 * Alerts on PostgreSQL (migration 8), statement for statement what lib/store/sqlite/alerts.ts does.
 * Several replicas may evaluate at once: their `apply` transactions (and pruning) take the alerts
 * advisory lock, so one evaluation's changes are decided on the committed result of the previous
 * one, as SQLite's single writer has it; the partial unique index alerts_one_firing is the last
 * word on "one firing alert per rule and subject" (a second insert does nothing). Everything else
 * changes one row with a conditional UPDATE, which PostgreSQL re-checks after a concurrent commit.
 */
export class PgAlerts implements AlertRepo {
  constructor(private readonly db: PgDatabase) {}

  async ruleSettings(): Promise<RuleSettings[]> {
    return (await this.db.query<Row>("SELECT * FROM alert_rules ORDER BY rule_id")).rows.map(toRuleSettings);
  }

  async saveRuleSettings(s: RuleSettings): Promise<void> {
    await this.db.query(
      `INSERT INTO alert_rules (rule_id, enabled, params, channels, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (rule_id) DO UPDATE SET enabled = excluded.enabled, params = excluded.params, channels = excluded.channels, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [s.ruleId, s.enabled ? 1 : 0, JSON.stringify(s.params), s.channels === null ? null : JSON.stringify(s.channels), s.updatedAt, s.updatedBy],
    );
  }

  async tracking(ruleIds: readonly AlertRuleId[]): Promise<AlertTracking[]> {
    if (ruleIds.length === 0) return [];
    return (await this.db.query<Row>("SELECT * FROM alert_tracking WHERE rule_id = ANY($1::text[]) ORDER BY rule_id, subject_key", [ruleIds])).rows.map(toTracking);
  }

  async firing(ruleIds?: readonly AlertRuleId[]): Promise<StoredAlert[]> {
    if (ruleIds?.length === 0) return [];
    const rows = ruleIds
      ? await this.db.query<Row>("SELECT * FROM alerts WHERE state = 'firing' AND rule_id = ANY($1::text[]) ORDER BY id", [ruleIds])
      : await this.db.query<Row>("SELECT * FROM alerts WHERE state = 'firing' ORDER BY id");
    return rows.rows.map(toAlert);
  }

  apply(c: AlertChanges): Promise<{ fired: number[]; transitions: number[] }> {
    return this.db.tx(async (q) => {
      await lock(q, LOCK.alerts, "");
      for (const t of c.track) {
        await q.query(
          `INSERT INTO alert_tracking (rule_id, subject_key, observed_since, true_count, false_count, evaluated_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (rule_id, subject_key) DO UPDATE SET observed_since = excluded.observed_since, true_count = excluded.true_count, false_count = excluded.false_count, evaluated_at = excluded.evaluated_at`,
          [t.ruleId, t.subjectKey, t.observedSince, t.trueCount, t.falseCount, t.evaluatedAt],
        );
      }
      for (const u of c.untrack) await q.query("DELETE FROM alert_tracking WHERE rule_id = $1 AND subject_key = $2", [u.ruleId, u.subjectKey]);

      const fired: number[] = [];
      const transitions: number[] = [];
      for (const f of c.fire) {
        const s = f.subject;
        // Nothing when the rule and key already have a firing alert (the partial unique index).
        const row = (
          await q.query<Row>(
            `INSERT INTO alerts (rule_id, subject_key, subject_kind, subject_id, subject_name, subject_account, subject_region, subject_arn, subject_provider, state, since, fired_at, summary, detail, last_notified_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'firing', $10, $11, $12, $13, $14)
             ON CONFLICT (rule_id, subject_key) WHERE state = 'firing' DO NOTHING RETURNING id`,
            [f.ruleId, f.subjectKey, s.kind, s.id, s.name, s.account, s.region, s.arn, s.provider, f.since, c.at, f.summary, f.detail, f.notified ? c.at : null],
          )
        ).rows[0];
        if (!row) continue;
        const alertId = Number(row.id);
        fired.push(alertId);
        const t = await transitionOn(q, alertId, "fired", c.at, null, f.note, f.notified, f.event);
        transitions.push(t);
        await enqueueOn(q, t, f.channels, c.at);
      }
      for (const r of c.renotify) {
        // The row is locked by the UPDATE (a resolve elsewhere waits, or has won and this skips).
        const still = await q.query("UPDATE alerts SET last_notified_at = CASE WHEN $2::boolean THEN $3::text ELSE last_notified_at END WHERE id = $1 AND state = 'firing'", [r.alertId, r.notified, c.at]);
        if (still.rowCount !== 1) continue;
        const t = await transitionOn(q, r.alertId, "renotified", c.at, null, r.note, r.notified, r.event);
        transitions.push(t);
        await enqueueOn(q, t, r.channels, c.at);
      }
      for (const r of c.resolve) {
        if ((await q.query("UPDATE alerts SET state = 'resolved', resolved_at = $1 WHERE id = $2 AND state = 'firing'", [c.at, r.alertId])).rowCount !== 1) continue;
        const t = await transitionOn(q, r.alertId, "resolved", c.at, null, r.note, r.notified, r.event);
        transitions.push(t);
        await enqueueOn(q, t, r.channels, c.at);
      }
      for (const r of c.refresh) await q.query("UPDATE alerts SET summary = $1, detail = $2 WHERE id = $3 AND state = 'firing'", [r.summary, r.detail, r.alertId]);
      return { fired, transitions };
    });
  }

  async get(id: number): Promise<StoredAlert | null> {
    return getOn(this.db, id);
  }

  async list(filter: AlertFilter, page: { limit: number; offset: number }): Promise<{ alerts: StoredAlert[]; total: number }> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (filter.state) clauses.push(`state = $${params.push(filter.state)}`);
    if (filter.ruleId) clauses.push(`rule_id = $${params.push(filter.ruleId)}`);
    const where = clauses.length ? ` WHERE ${clauses.join(" AND ")}` : "";
    const [count, rows] = await Promise.all([
      this.db.query<Row>(`SELECT COUNT(*) AS n FROM alerts${where}`, params),
      this.db.query<Row>(
        `SELECT * FROM alerts${where} ORDER BY CASE WHEN state = 'firing' THEN 0 ELSE 1 END, COALESCE(resolved_at, fired_at) DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, page.limit, page.offset],
      ),
    ]);
    return { alerts: rows.rows.map(toAlert), total: Number(count.rows[0]?.n) };
  }

  async countFiring(): Promise<number> {
    return Number((await this.db.query<Row>("SELECT COUNT(*) AS n FROM alerts WHERE state = 'firing'")).rows[0]?.n);
  }

  async firingByRule(): Promise<Map<AlertRuleId, number>> {
    return new Map((await this.db.query<Row>("SELECT rule_id, COUNT(*) AS n FROM alerts WHERE state = 'firing' GROUP BY rule_id")).rows.map((r) => [r.rule_id as AlertRuleId, Number(r.n)]));
  }

  async transitions(alertIds: readonly number[]): Promise<StoredTransition[]> {
    if (alertIds.length === 0) return [];
    return (await this.db.query<Row>("SELECT * FROM alert_transitions WHERE alert_id = ANY($1::bigint[]) ORDER BY id", [alertIds])).rows.map(toTransition);
  }

  async deliveries(transitionIds: readonly number[]): Promise<StoredDelivery[]> {
    if (transitionIds.length === 0) return [];
    return (await this.db.query<Row>("SELECT * FROM notification_outbox WHERE transition_id = ANY($1::bigint[]) ORDER BY id", [transitionIds])).rows.map(toDelivery);
  }

  /** Marks a firing alert and appends a recorded-only transition that carries the alert's latest event. */
  private annotate(id: number, kind: "acknowledged" | "silenced", set: string, values: unknown[], by: string, note: string, at: string): Promise<StoredAlert | null> {
    return this.db.tx(async (q) => {
      // `set` numbers its parameters from $2; $1 is the alert.
      if ((await q.query(`UPDATE alerts SET ${set} WHERE id = $1 AND state = 'firing'`, [id, ...values])).rowCount !== 1) return null;
      await q.query(
        `INSERT INTO alert_transitions (alert_id, kind, at, actor, note, notified, event)
         SELECT alert_id, $2::text, $3::text, $4::text, $5::text, 0, event FROM alert_transitions WHERE alert_id = $1 ORDER BY id DESC LIMIT 1`,
        [id, kind, at, by, note],
      );
      return getOn(q, id);
    });
  }

  acknowledge(id: number, by: string, reason: string, at: string): Promise<StoredAlert | null> {
    return this.annotate(id, "acknowledged", "acknowledged_at = $2, acknowledged_by = $3, ack_reason = $4", [at, by, reason], by, reason, at);
  }

  silence(id: number, until: string, by: string, reason: string, at: string): Promise<StoredAlert | null> {
    return this.annotate(id, "silenced", "silenced_until = $2, silenced_by = $3, silence_reason = $4", [until, by, reason], by, `until ${until}: ${reason}`, at);
  }

  async dueDeliveries(now: string, limit: number): Promise<DueDelivery[]> {
    const rows = (await this.db.query<Row>("SELECT * FROM notification_outbox WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2", [now, limit])).rows.map(toDelivery);
    if (rows.length === 0) return [];
    const ids = [...new Set(rows.map((r) => r.transitionId))];
    const byId = new Map((await this.db.query<Row>("SELECT * FROM alert_transitions WHERE id = ANY($1::bigint[])", [ids])).rows.map((r) => [Number(r.id), toTransition(r)]));
    return rows.flatMap((r) => {
      const transition = byId.get(r.transitionId);
      return transition ? [{ ...r, transition }] : [];
    });
  }

  async claimDelivery(id: number, now: string, leaseUntil: string): Promise<boolean> {
    return (await this.db.query("UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2 AND state = 'pending' AND next_attempt_at <= $3", [leaseUntil, id, now])).rowCount === 1;
  }

  async markDelivered(id: number, status: number, at: string): Promise<void> {
    await this.db.query("UPDATE notification_outbox SET state = 'sent', last_status = $1, last_error = NULL, done_at = $2 WHERE id = $3 AND state = 'pending'", [status, at, id]);
  }

  async retryDelivery(id: number, nextAt: string, status: number | null, error: string): Promise<void> {
    await this.db.query("UPDATE notification_outbox SET next_attempt_at = $1, last_status = $2, last_error = $3 WHERE id = $4 AND state = 'pending'", [nextAt, status, error, id]);
  }

  async failDelivery(id: number, status: number | null, error: string, at: string): Promise<void> {
    await this.db.query("UPDATE notification_outbox SET state = 'failed', last_status = $1, last_error = $2, done_at = $3 WHERE id = $4 AND state = 'pending'", [status, error, at, id]);
  }

  async dueEvents(now: string, limit: number): Promise<OutboxEvent[]> {
    return (await this.db.query<Row>("SELECT * FROM event_outbox WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2", [now, limit])).rows.map(toOutboxEvent);
  }

  async claimEvent(id: number, now: string, leaseUntil: string): Promise<boolean> {
    return (await this.db.query("UPDATE event_outbox SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2 AND state = 'pending' AND next_attempt_at <= $3", [leaseUntil, id, now])).rowCount === 1;
  }

  async eventSent(id: number, at: string): Promise<void> {
    await this.db.query("UPDATE event_outbox SET state = 'sent', last_error = NULL, done_at = $1 WHERE id = $2 AND state = 'pending'", [at, id]);
  }

  async retryEvent(id: number, nextAt: string, error: string): Promise<void> {
    await this.db.query("UPDATE event_outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3 AND state = 'pending'", [nextAt, error, id]);
  }

  async failEvent(id: number, error: string, at: string): Promise<void> {
    await this.db.query("UPDATE event_outbox SET state = 'failed', last_error = $1, done_at = $2 WHERE id = $3 AND state = 'pending'", [error, at, id]);
  }

  async outboxEvents(limit: number): Promise<OutboxEvent[]> {
    return (await this.db.query<Row>("SELECT * FROM event_outbox ORDER BY id DESC LIMIT $1", [limit])).rows.map(toOutboxEvent);
  }

  async addWindow(w: Omit<MaintenanceWindow, "id">): Promise<MaintenanceWindow> {
    const row = (
      await this.db.query<Row>("INSERT INTO maintenance_windows (account, region, starts_at, ends_at, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *", [
        w.account,
        w.region,
        w.startsAt,
        w.endsAt,
        w.reason,
        w.createdBy,
        w.createdAt,
      ])
    ).rows[0];
    if (!row) throw new Error("maintenance window vanished");
    return toWindow(row);
  }

  async endWindow(id: number, at: string): Promise<boolean> {
    return (await this.db.query("UPDATE maintenance_windows SET ends_at = $1, starts_at = CASE WHEN starts_at > $1 THEN $1 ELSE starts_at END WHERE id = $2 AND ends_at > $1", [at, id])).rowCount === 1;
  }

  async windows(now: string): Promise<MaintenanceWindow[]> {
    return (await this.db.query<Row>("SELECT * FROM maintenance_windows WHERE ends_at > $1 ORDER BY starts_at, id", [now])).rows.map(toWindow);
  }

  async recordRun(job: string, at: string, error: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO job_runs (job, last_run_at, last_ok_at, last_error) VALUES ($1, $2, $3, $4)
       ON CONFLICT (job) DO UPDATE SET last_run_at = excluded.last_run_at, last_ok_at = COALESCE(excluded.last_ok_at, job_runs.last_ok_at), last_error = excluded.last_error`,
      [job, at, error === null ? at : null, error],
    );
  }

  async runs(): Promise<JobRun[]> {
    return (await this.db.query<Row>("SELECT * FROM job_runs ORDER BY job")).rows.map(toJobRun);
  }

  prune(before: string): Promise<number> {
    return this.db.tx(async (q) => {
      await lock(q, LOCK.alerts, "");
      const old = "SELECT id FROM alerts WHERE state = 'resolved' AND resolved_at < $1";
      await q.query(`DELETE FROM notification_outbox WHERE transition_id IN (SELECT id FROM alert_transitions WHERE alert_id IN (${old}))`, [before]);
      await q.query(`DELETE FROM alert_transitions WHERE alert_id IN (${old})`, [before]);
      const n = (await q.query("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < $1", [before])).rowCount ?? 0;
      await q.query("DELETE FROM maintenance_windows WHERE ends_at < $1", [before]);
      await q.query("DELETE FROM alert_tracking WHERE evaluated_at < $1", [before]);
      await q.query("DELETE FROM event_outbox WHERE state <> 'pending' AND done_at < $1", [before]);
      return n;
    });
  }
}

async function getOn(q: Queryable, id: number): Promise<StoredAlert | null> {
  const row = (await q.query<Row>("SELECT * FROM alerts WHERE id = $1", [id])).rows[0];
  return row ? toAlert(row) : null;
}

async function transitionOn(q: Queryable, alertId: number, kind: TransitionKind, at: string, actor: string | null, note: string | null, notified: boolean, event: AlertEvent): Promise<number> {
  const row = (await q.query<Row>("INSERT INTO alert_transitions (alert_id, kind, at, actor, note, notified, event) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", [alertId, kind, at, actor, note, notified ? 1 : 0, JSON.stringify(event)])).rows[0];
  if (!row) throw new Error(`the ${kind} transition of alert ${alertId} vanished`);
  return Number(row.id);
}

/** One outbox row per channel (state pending, due at `at`); a (transition, channel) already queued is skipped. */
async function enqueueOn(q: Queryable, transitionId: number, channels: readonly string[], at: string): Promise<void> {
  if (channels.length === 0) return;
  await q.query(
    `INSERT INTO notification_outbox (transition_id, channel, next_attempt_at, created_at)
     SELECT $1::bigint, u.channel, $3::text, $3::text FROM unnest($2::text[]) WITH ORDINALITY AS u(channel, ord) ORDER BY u.ord
     ON CONFLICT (transition_id, channel) DO NOTHING`,
    [transitionId, [...new Set(channels)], at],
  );
}
