import type { AlertChanges, AlertFilter, AlertRepo, AlertTracking, DueDelivery, JobRun, MaintenanceWindow, OutboxEvent, RuleSettings, StoredAlert, StoredDelivery, StoredTransition } from "@/lib/store/types";
import type { AlertEvent, AlertRuleId, TransitionKind } from "@/lib/types";
import type { Db } from "./database";
import type { Syncish } from "./index";
import { toAlert, toDelivery, toJobRun, toOutboxEvent, toRuleSettings, toTracking, toTransition, toWindow, type Row } from "@/lib/store/rows";

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(",");

/**
 * Alerts on SQLite (migration 8). Every statement is plain SQL both engines run (ON CONFLICT …
 * DO UPDATE / DO NOTHING, CASE, no INSERT OR IGNORE); lib/store/postgres/alerts.ts follows it
 * statement by statement. SQLite's single writer makes each transaction see the last one's result.
 */
export class SqliteAlerts implements Syncish<AlertRepo> {
  constructor(private readonly db: Db) {}

  ruleSettings(): RuleSettings[] {
    return (this.db.prepare("SELECT * FROM alert_rules ORDER BY rule_id").all() as Row[]).map(toRuleSettings);
  }

  saveRuleSettings(s: RuleSettings): void {
    this.db
      .prepare(
        `INSERT INTO alert_rules (rule_id, enabled, params, channels, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (rule_id) DO UPDATE SET enabled = excluded.enabled, params = excluded.params, channels = excluded.channels, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(s.ruleId, s.enabled ? 1 : 0, JSON.stringify(s.params), s.channels === null ? null : JSON.stringify(s.channels), s.updatedAt, s.updatedBy);
  }

  tracking(ruleIds: readonly AlertRuleId[]): AlertTracking[] {
    if (ruleIds.length === 0) return [];
    return (this.db.prepare(`SELECT * FROM alert_tracking WHERE rule_id IN (${placeholders(ruleIds.length)}) ORDER BY rule_id, subject_key`).all(...ruleIds) as Row[]).map(toTracking);
  }

  firing(ruleIds?: readonly AlertRuleId[]): StoredAlert[] {
    if (ruleIds?.length === 0) return [];
    const rows = ruleIds
      ? this.db.prepare(`SELECT * FROM alerts WHERE state = 'firing' AND rule_id IN (${placeholders(ruleIds.length)}) ORDER BY id`).all(...ruleIds)
      : this.db.prepare("SELECT * FROM alerts WHERE state = 'firing' ORDER BY id").all();
    return (rows as Row[]).map(toAlert);
  }

  private transition(alertId: number, kind: TransitionKind, at: string, actor: string | null, note: string | null, notified: boolean, event: AlertEvent): number {
    const info = this.db.prepare("INSERT INTO alert_transitions (alert_id, kind, at, actor, note, notified, event) VALUES (?, ?, ?, ?, ?, ?, ?)").run(alertId, kind, at, actor, note, notified ? 1 : 0, JSON.stringify(event));
    return Number(info.lastInsertRowid);
  }

  private enqueue(transitionId: number, channels: readonly string[], at: string): void {
    const insert = this.db.prepare("INSERT INTO notification_outbox (transition_id, channel, next_attempt_at, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (transition_id, channel) DO NOTHING");
    for (const channel of new Set(channels)) insert.run(transitionId, channel, at, at);
  }

  apply(c: AlertChanges): { fired: number[]; transitions: number[] } {
    return this.db.transaction(() => {
      const upsert = this.db.prepare(
        `INSERT INTO alert_tracking (rule_id, subject_key, observed_since, true_count, false_count, evaluated_at) VALUES (@ruleId, @subjectKey, @observedSince, @trueCount, @falseCount, @evaluatedAt)
         ON CONFLICT (rule_id, subject_key) DO UPDATE SET observed_since = excluded.observed_since, true_count = excluded.true_count, false_count = excluded.false_count, evaluated_at = excluded.evaluated_at`,
      );
      for (const t of c.track) upsert.run(t);
      const drop = this.db.prepare("DELETE FROM alert_tracking WHERE rule_id = ? AND subject_key = ?");
      for (const u of c.untrack) drop.run(u.ruleId, u.subjectKey);

      const fired: number[] = [];
      const transitions: number[] = [];
      for (const f of c.fire) {
        const existing = this.db.prepare("SELECT id FROM alerts WHERE rule_id = ? AND subject_key = ? AND state = 'firing'").get(f.ruleId, f.subjectKey);
        if (existing) continue;
        const s = f.subject;
        const info = this.db
          .prepare(
            `INSERT INTO alerts (rule_id, subject_key, subject_kind, subject_id, subject_name, subject_account, subject_region, subject_arn, subject_provider, state, since, fired_at, summary, detail, last_notified_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'firing', ?, ?, ?, ?, ?)`,
          )
          .run(f.ruleId, f.subjectKey, s.kind, s.id, s.name, s.account, s.region, s.arn, s.provider, f.since, c.at, f.summary, f.detail, f.notified ? c.at : null);
        const alertId = Number(info.lastInsertRowid);
        fired.push(alertId);
        const t = this.transition(alertId, "fired", c.at, null, f.note, f.notified, f.event);
        transitions.push(t);
        this.enqueue(t, f.channels, c.at);
      }
      for (const r of c.renotify) {
        if (!this.db.prepare("SELECT id FROM alerts WHERE id = ? AND state = 'firing'").get(r.alertId)) continue;
        if (r.notified) this.db.prepare("UPDATE alerts SET last_notified_at = ? WHERE id = ?").run(c.at, r.alertId);
        const t = this.transition(r.alertId, "renotified", c.at, null, r.note, r.notified, r.event);
        transitions.push(t);
        this.enqueue(t, r.channels, c.at);
      }
      for (const r of c.resolve) {
        if (this.db.prepare("UPDATE alerts SET state = 'resolved', resolved_at = ? WHERE id = ? AND state = 'firing'").run(c.at, r.alertId).changes === 0) continue;
        const t = this.transition(r.alertId, "resolved", c.at, null, r.note, r.notified, r.event);
        transitions.push(t);
        this.enqueue(t, r.channels, c.at);
      }
      const refresh = this.db.prepare("UPDATE alerts SET summary = ?, detail = ? WHERE id = ? AND state = 'firing'");
      for (const r of c.refresh) refresh.run(r.summary, r.detail, r.alertId);
      return { fired, transitions };
    })();
  }

  get(id: number): StoredAlert | null {
    const row = this.db.prepare("SELECT * FROM alerts WHERE id = ?").get(id) as Row | undefined;
    return row ? toAlert(row) : null;
  }

  list(filter: AlertFilter, page: { limit: number; offset: number }): { alerts: StoredAlert[]; total: number } {
    const clauses: string[] = [];
    const params: Record<string, string | number> = {};
    if (filter.state) {
      clauses.push("state = @state");
      params.state = filter.state;
    }
    if (filter.ruleId) {
      clauses.push("rule_id = @ruleId");
      params.ruleId = filter.ruleId;
    }
    const where = clauses.length ? ` WHERE ${clauses.join(" AND ")}` : "";
    const total = Number((this.db.prepare(`SELECT COUNT(*) AS n FROM alerts${where}`).get(params) as Row).n);
    const alerts = (
      this.db.prepare(`SELECT * FROM alerts${where} ORDER BY CASE WHEN state = 'firing' THEN 0 ELSE 1 END, COALESCE(resolved_at, fired_at) DESC, id DESC LIMIT @limit OFFSET @offset`).all({ ...params, ...page }) as Row[]
    ).map(toAlert);
    return { alerts, total };
  }

  countFiring(): number {
    return Number((this.db.prepare("SELECT COUNT(*) AS n FROM alerts WHERE state = 'firing'").get() as Row).n);
  }

  firingByRule(): Map<AlertRuleId, number> {
    return new Map((this.db.prepare("SELECT rule_id, COUNT(*) AS n FROM alerts WHERE state = 'firing' GROUP BY rule_id").all() as Row[]).map((r) => [r.rule_id as AlertRuleId, Number(r.n)]));
  }

  transitions(alertIds: readonly number[]): StoredTransition[] {
    if (alertIds.length === 0) return [];
    return (this.db.prepare(`SELECT * FROM alert_transitions WHERE alert_id IN (${placeholders(alertIds.length)}) ORDER BY id`).all(...alertIds) as Row[]).map(toTransition);
  }

  deliveries(transitionIds: readonly number[]): StoredDelivery[] {
    if (transitionIds.length === 0) return [];
    return (this.db.prepare(`SELECT * FROM notification_outbox WHERE transition_id IN (${placeholders(transitionIds.length)}) ORDER BY id`).all(...transitionIds) as Row[]).map(toDelivery);
  }

  /** Marks a firing alert and appends a recorded-only transition that carries the alert's latest event. */
  private annotate(id: number, kind: "acknowledged" | "silenced", set: string, values: unknown[], by: string, reason: string, at: string): StoredAlert | null {
    return this.db.transaction(() => {
      if (this.db.prepare(`UPDATE alerts SET ${set} WHERE id = ? AND state = 'firing'`).run(...values, id).changes === 0) return null;
      this.db
        .prepare(`INSERT INTO alert_transitions (alert_id, kind, at, actor, note, notified, event) SELECT alert_id, ?, ?, ?, ?, 0, event FROM alert_transitions WHERE alert_id = ? ORDER BY id DESC LIMIT 1`)
        .run(kind, at, by, reason, id);
      return this.get(id);
    })();
  }

  acknowledge(id: number, by: string, reason: string, at: string): StoredAlert | null {
    return this.annotate(id, "acknowledged", "acknowledged_at = ?, acknowledged_by = ?, ack_reason = ?", [at, by, reason], by, reason, at);
  }

  silence(id: number, until: string, by: string, reason: string, at: string): StoredAlert | null {
    return this.annotate(id, "silenced", "silenced_until = ?, silenced_by = ?, silence_reason = ?", [until, by, reason], by, `until ${until}: ${reason}`, at);
  }

  dueDeliveries(now: string, limit: number): DueDelivery[] {
    const rows = (this.db.prepare("SELECT * FROM notification_outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?").all(now, limit) as Row[]).map(toDelivery);
    if (rows.length === 0) return [];
    const ids = [...new Set(rows.map((r) => r.transitionId))];
    const byId = new Map((this.db.prepare(`SELECT * FROM alert_transitions WHERE id IN (${placeholders(ids.length)})`).all(...ids) as Row[]).map((r) => [Number(r.id), toTransition(r)]));
    return rows.flatMap((r) => {
      const transition = byId.get(r.transitionId);
      return transition ? [{ ...r, transition }] : [];
    });
  }

  claimDelivery(id: number, now: string, leaseUntil: string): boolean {
    return this.db.prepare("UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?").run(leaseUntil, id, now).changes === 1;
  }

  markDelivered(id: number, status: number, at: string): void {
    this.db.prepare("UPDATE notification_outbox SET state = 'sent', last_status = ?, last_error = NULL, done_at = ? WHERE id = ? AND state = 'pending'").run(status, at, id);
  }

  retryDelivery(id: number, nextAt: string, status: number | null, error: string): void {
    this.db.prepare("UPDATE notification_outbox SET next_attempt_at = ?, last_status = ?, last_error = ? WHERE id = ? AND state = 'pending'").run(nextAt, status, error, id);
  }

  failDelivery(id: number, status: number | null, error: string, at: string): void {
    this.db.prepare("UPDATE notification_outbox SET state = 'failed', last_status = ?, last_error = ?, done_at = ? WHERE id = ? AND state = 'pending'").run(status, error, at, id);
  }

  dueEvents(now: string, limit: number): OutboxEvent[] {
    return (this.db.prepare("SELECT * FROM event_outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?").all(now, limit) as Row[]).map(toOutboxEvent);
  }

  claimEvent(id: number, now: string, leaseUntil: string): boolean {
    return this.db.prepare("UPDATE event_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?").run(leaseUntil, id, now).changes === 1;
  }

  eventSent(id: number, at: string): void {
    this.db.prepare("UPDATE event_outbox SET state = 'sent', last_error = NULL, done_at = ? WHERE id = ? AND state = 'pending'").run(at, id);
  }

  retryEvent(id: number, nextAt: string, error: string): void {
    this.db.prepare("UPDATE event_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'").run(nextAt, error, id);
  }

  failEvent(id: number, error: string, at: string): void {
    this.db.prepare("UPDATE event_outbox SET state = 'failed', last_error = ?, done_at = ? WHERE id = ? AND state = 'pending'").run(error, at, id);
  }

  outboxEvents(limit: number): OutboxEvent[] {
    return (this.db.prepare("SELECT * FROM event_outbox ORDER BY id DESC LIMIT ?").all(limit) as Row[]).map(toOutboxEvent);
  }

  addWindow(w: Omit<MaintenanceWindow, "id">): MaintenanceWindow {
    const info = this.db
      .prepare("INSERT INTO maintenance_windows (account, region, starts_at, ends_at, reason, created_by, created_at) VALUES (@account, @region, @startsAt, @endsAt, @reason, @createdBy, @createdAt)")
      .run(w);
    return toWindow(this.db.prepare("SELECT * FROM maintenance_windows WHERE id = ?").get(Number(info.lastInsertRowid)) as Row);
  }

  endWindow(id: number, at: string): boolean {
    return this.db.prepare("UPDATE maintenance_windows SET ends_at = ?, starts_at = CASE WHEN starts_at > ? THEN ? ELSE starts_at END WHERE id = ? AND ends_at > ?").run(at, at, at, id, at).changes === 1;
  }

  windows(now: string): MaintenanceWindow[] {
    return (this.db.prepare("SELECT * FROM maintenance_windows WHERE ends_at > ? ORDER BY starts_at, id").all(now) as Row[]).map(toWindow);
  }

  recordRun(job: string, at: string, error: string | null): void {
    this.db
      .prepare(
        `INSERT INTO job_runs (job, last_run_at, last_ok_at, last_error) VALUES (?, ?, ?, ?)
         ON CONFLICT (job) DO UPDATE SET last_run_at = excluded.last_run_at, last_ok_at = COALESCE(excluded.last_ok_at, job_runs.last_ok_at), last_error = excluded.last_error`,
      )
      .run(job, at, error === null ? at : null, error);
  }

  runs(): JobRun[] {
    return (this.db.prepare("SELECT * FROM job_runs ORDER BY job").all() as Row[]).map(toJobRun);
  }

  prune(before: string): number {
    return this.db.transaction(() => {
      const old = "SELECT id FROM alerts WHERE state = 'resolved' AND resolved_at < ?";
      this.db.prepare(`DELETE FROM notification_outbox WHERE transition_id IN (SELECT id FROM alert_transitions WHERE alert_id IN (${old}))`).run(before);
      this.db.prepare(`DELETE FROM alert_transitions WHERE alert_id IN (${old})`).run(before);
      const n = this.db.prepare("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < ?").run(before).changes;
      this.db.prepare("DELETE FROM maintenance_windows WHERE ends_at < ?").run(before);
      this.db.prepare("DELETE FROM alert_tracking WHERE evaluated_at < ?").run(before);
      this.db.prepare("DELETE FROM event_outbox WHERE state <> 'pending' AND done_at < ?").run(before);
      return n;
    })();
  }
}
