import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Role } from "@/lib/roles";
import { GroupCommit } from "./group-commit";
import { MIGRATIONS, type Migration } from "./migrations";
import { AUDIT_DETAIL_MAX, AUDIT_TARGET_MAX, REFUSAL_WINDOW_MS } from "./types";
import type { ApiToken, AuditFilter, AuditRecord, AuditRepo, HistoryRepo, LatencyRepo, MetricRow, MetricValue, MissedTrigger, NewPush, Sample, StoredPush, NewAuditRecord, ObservedResource, PipelineRepo, PipelineUse, ResourceRecord, ListingKey, ListingState, SessionRepo, SignInSession, Store, StoredExecution, StoredPipeline, TokenRepo, Watch, WatchRepo } from "./types";
import type { Execution, HistoryEntry, PipelineDefinition, PipelineListing, ResourceKind, WatchState } from "@/lib/types";

type Db = Database.Database;
type Row = Record<string, unknown>;

const str = (v: unknown): string => String(v);
const opt = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Applies every migration not yet recorded, each in its own transaction. */
export function migrate(db: Db, migrations: Migration[] = MIGRATIONS): number[] {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const applied = new Set((db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
  const ran: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, new Date().toISOString());
    })();
    ran.push(m.version);
  }
  return ran;
}

function toResource(r: Row): ResourceRecord {
  return {
    kind: r.kind as ResourceKind,
    account: str(r.account),
    region: str(r.region),
    id: str(r.id),
    arn: str(r.arn),
    name: str(r.name),
    provider: str(r.provider),
    status: str(r.status),
    firstSeenAt: str(r.first_seen_at),
    statusSince: str(r.status_since),
    lastSeenAt: str(r.last_seen_at),
    deletedAt: opt(r.deleted_at),
  };
}

function toHistory(r: Row): HistoryEntry {
  return {
    seq: Number(r.seq),
    kind: r.kind as ResourceKind,
    account: str(r.account),
    region: str(r.region),
    id: str(r.id),
    name: str(r.name),
    fromStatus: opt(r.from_status),
    toStatus: str(r.to_status),
    at: str(r.at),
    initial: Number(r.initial) === 1,
  };
}

class SqliteHistory implements HistoryRepo {
  constructor(private readonly db: Db) {}

  recordListing(listing: ListingKey, items: ObservedResource[], at: string, answeredRegion?: string): HistoryEntry[] {
    const db = this.db;
    const region = listing.region ?? "";
    return db.transaction(() => {
      const state = db.prepare("SELECT first_complete_at FROM listing_state WHERE kind = ? AND account = ? AND region = ?").get(listing.kind, listing.account, region) as Row | undefined;
      const initial = !state?.first_complete_at ? 1 : 0;
      const written: HistoryEntry[] = [];
      const append = db.prepare(
        "INSERT INTO status_history (kind, account, region, id, name, from_status, to_status, at, initial) VALUES (@kind, @account, @region, @id, @name, @from, @to, @at, @initial)",
      );
      const log = (r: { kind: ResourceKind; account: string; region: string; id: string; name: string }, from: string | null, to: string, isInitial: number) => {
        const info = append.run({ kind: r.kind, account: r.account, region: r.region, id: r.id, name: r.name, from, to, at, initial: isInitial });
        written.push({ seq: Number(info.lastInsertRowid), kind: r.kind, account: r.account, region: r.region, id: r.id, name: r.name, fromStatus: from, toStatus: to, at, initial: isInitial === 1 });
      };
      // What this listing covers: the account's resources of this kind (and Region, for a regional listing).
      const covered = listing.region === null
        ? db.prepare("SELECT * FROM resources WHERE kind = ? AND account = ?").all(listing.kind, listing.account)
        : db.prepare("SELECT * FROM resources WHERE kind = ? AND account = ? AND region = ?").all(listing.kind, listing.account, listing.region);
      const key = (r: { region: string; id: string }) => `${r.region}/${r.id.toLowerCase()}`;
      const current = new Map((covered as Row[]).map((row) => {
        const r = toResource(row);
        return [key(r), r] as const;
      }));
      const insert = db.prepare(
        "INSERT INTO resources (kind, account, region, id, arn, name, provider, status, first_seen_at, status_since, last_seen_at) VALUES (@kind, @account, @region, @id, @arn, @name, @provider, @status, @at, @at, @at)",
      );
      const update = db.prepare(
        "UPDATE resources SET arn = @arn, name = @name, provider = @provider, status = @status, status_since = @since, last_seen_at = @at, deleted_at = NULL WHERE kind = @kind AND account = @account AND region = @region AND id = @id",
      );
      const seen = new Set<string>();
      for (const item of items) {
        // A listing answers for its own kind, account (and Region) only.
        if (item.kind !== listing.kind || item.account !== listing.account || (listing.region !== null && item.region !== listing.region)) continue;
        const k = key(item);
        if (seen.has(k)) continue;
        seen.add(k);
        const before = current.get(k);
        const row = { kind: item.kind, account: item.account, region: item.region, id: before?.id ?? item.id, arn: item.arn, name: item.name, provider: item.provider, status: item.status };
        if (!before) {
          insert.run({ ...row, at });
          log(row, null, item.status, initial);
        } else if (before.deletedAt || before.status !== item.status) {
          update.run({ ...row, since: at, at });
          log(row, before.deletedAt ? "DELETED" : before.status, item.status, 0);
        } else {
          update.run({ ...row, since: before.statusSince, at });
        }
      }
      const markDeleted = db.prepare("UPDATE resources SET deleted_at = ?, status_since = ? WHERE kind = ? AND account = ? AND region = ? AND id = ?");
      for (const [k, r] of current) {
        if (seen.has(k) || r.deletedAt) continue;
        markDeleted.run(at, at, r.kind, r.account, r.region, r.id);
        log(r, r.status, "DELETED", 0);
      }
      db.prepare(
        `INSERT INTO listing_state (kind, account, region, first_complete_at, last_complete_at, last_attempt_at, last_error, answered_region) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
         ON CONFLICT (kind, account, region) DO UPDATE SET first_complete_at = COALESCE(first_complete_at, excluded.first_complete_at),
           last_complete_at = excluded.last_complete_at, last_attempt_at = excluded.last_attempt_at, last_error = NULL, answered_region = excluded.answered_region`,
      ).run(listing.kind, listing.account, region, at, at, at, answeredRegion ?? listing.region);
      return written;
    })();
  }

  recordFailure(listing: ListingKey, error: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO listing_state (kind, account, region, last_attempt_at, last_error) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, account, region) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error`,
      )
      .run(listing.kind, listing.account, listing.region ?? "", at, error);
  }

  resources(filter: { kind?: ResourceKind; includeDeleted?: boolean } = {}): ResourceRecord[] {
    const where = [filter.kind ? "kind = @kind" : null, filter.includeDeleted ? null : "deleted_at IS NULL"].filter(Boolean);
    const sql = `SELECT * FROM resources${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`;
    return (this.db.prepare(sql).all(filter.kind ? { kind: filter.kind } : {}) as Row[]).map(toResource);
  }

  resource(kind: ResourceKind, account: string, region: string, id: string): ResourceRecord | null {
    const row = this.db.prepare("SELECT * FROM resources WHERE kind = ? AND account = ? AND region = ? AND id = ?").get(kind, account, region, id) as Row | undefined;
    return row ? toResource(row) : null;
  }

  findById(kind: ResourceKind, id: string): ResourceRecord[] {
    return (this.db.prepare("SELECT * FROM resources WHERE kind = ? AND id = ? COLLATE NOCASE").all(kind, id) as Row[]).map(toResource);
  }

  history(kind: ResourceKind, account: string, region: string, id: string): HistoryEntry[] {
    return (this.db.prepare("SELECT * FROM status_history WHERE kind = ? AND account = ? AND region = ? AND id = ? ORDER BY seq").all(kind, account, region, id) as Row[]).map(toHistory);
  }

  changesSince(since: string, limit: number): HistoryEntry[] {
    return (this.db.prepare("SELECT * FROM status_history WHERE at >= ? AND initial = 0 ORDER BY seq DESC LIMIT ?").all(since, limit) as Row[]).map(toHistory);
  }

  listingStates(): ListingState[] {
    return (this.db.prepare("SELECT * FROM listing_state ORDER BY kind, account, region").all() as Row[]).map((r) => ({
      kind: r.kind as ResourceKind,
      account: str(r.account),
      region: r.region === "" ? null : str(r.region),
      firstCompleteAt: opt(r.first_complete_at),
      lastCompleteAt: opt(r.last_complete_at),
      lastAttemptAt: opt(r.last_attempt_at),
      lastError: opt(r.last_error),
      answeredRegion: opt(r.answered_region),
    }));
  }
}

function toAudit(r: Row): AuditRecord {
  return {
    id: Number(r.id),
    at: str(r.at),
    actor: str(r.actor),
    actorRole: r.actor_role as AuditRecord["actorRole"],
    via: r.via as AuditRecord["via"],
    action: str(r.action),
    targetKind: str(r.target_kind),
    target: str(r.target),
    targetName: opt(r.target_name),
    outcome: r.outcome as AuditRecord["outcome"],
    statusBefore: opt(r.status_before),
    detail: opt(r.detail),
    relatedId: r.related_id === null || r.related_id === undefined ? null : Number(r.related_id),
  };
}

/** `s` cut to `max` characters, ending in "…" when it was longer. */
function cut<T extends string | null | undefined>(s: T, max: number): T {
  return (typeof s === "string" && s.length > max ? `${s.slice(0, max - 1)}…` : s) as T;
}

/** How many distinct targets a refusal summary names. */
const SUMMARY_TARGETS = 5;

class SqliteAudit implements AuditRepo {
  constructor(private readonly db: Db) {}

  append(rec: NewAuditRecord, at = new Date().toISOString()): AuditRecord {
    const bounded = { ...rec, target: cut(rec.target, AUDIT_TARGET_MAX), targetName: cut(rec.targetName, AUDIT_TARGET_MAX), detail: cut(rec.detail, AUDIT_DETAIL_MAX) };
    const info = this.db
      .prepare(
        `INSERT INTO audit (at, actor, actor_role, via, action, target_kind, target, target_name, outcome, status_before, detail, related_id)
         VALUES (@at, @actor, @actorRole, @via, @action, @targetKind, @target, @targetName, @outcome, @statusBefore, @detail, @relatedId)`,
      )
      .run({ at, statusBefore: null, relatedId: null, ...bounded, targetName: bounded.targetName ?? null, detail: bounded.detail ?? null });
    const record = this.get(Number(info.lastInsertRowid));
    if (!record) throw new Error("audit record vanished");
    return record;
  }

  refuse(rec: NewAuditRecord, at: string): AuditRecord | null {
    return this.db.transaction(() => {
      this.closeBursts(at);
      const key = `${rec.actor}\u0000${rec.action}`;
      const open = this.db.prepare("SELECT * FROM audit_bursts WHERE key = ?").get(key) as Row | undefined;
      if (!open) {
        const record = this.append(rec, at);
        this.db.prepare("INSERT INTO audit_bursts (key, first_id, ends_at) VALUES (?, ?, ?)").run(key, record.id, new Date(Date.parse(at) + REFUSAL_WINDOW_MS).toISOString());
        return record;
      }
      const first = this.get(Number(open.first_id));
      const target = cut(rec.target, AUDIT_TARGET_MAX);
      const targets = JSON.parse(str(open.targets)) as string[];
      const other = target !== first?.target;
      if (other && targets.length < SUMMARY_TARGETS && !targets.includes(target)) targets.push(target);
      this.db.prepare("UPDATE audit_bursts SET more = more + 1, targets = ?, varied = varied OR ? WHERE key = ?").run(JSON.stringify(targets), other ? 1 : 0, key);
      return null;
    })();
  }

  closeBursts(now: string): AuditRecord[] {
    return this.db.transaction(() => {
      const out: AuditRecord[] = [];
      for (const b of this.db.prepare("SELECT * FROM audit_bursts WHERE ends_at <= ? ORDER BY ends_at").all(now) as Row[]) {
        this.db.prepare("DELETE FROM audit_bursts WHERE key = ?").run(b.key);
        const first = this.get(Number(b.first_id));
        const more = Number(b.more);
        if (!first || more === 0) continue;
        const targets = JSON.parse(str(b.targets)) as string[];
        const varied = Number(b.varied) === 1;
        const detail = `and ${more} more within a minute of #${first.id}${varied ? `; targets include ${targets.join(", ")}${more > targets.length ? ", …" : ""}` : ""}`;
        out.push(this.append({ actor: first.actor, actorRole: first.actorRole, via: first.via, action: first.action, targetKind: first.targetKind, target: varied ? "several targets" : first.target, targetName: varied ? null : first.targetName, outcome: "refused", detail, relatedId: first.id }, now));
      }
      return out;
    })();
  }

  nextBurstEnd(): string | null {
    return opt((this.db.prepare("SELECT MIN(ends_at) AS t FROM audit_bursts").get() as Row).t);
  }

  private where(f: AuditFilter): { sql: string; params: Record<string, string> } {
    const clauses: string[] = [];
    const params: Record<string, string> = {};
    const add = (clause: string, key: string, value: string | undefined) => {
      if (!value) return;
      clauses.push(clause);
      params[key] = value;
    };
    add("actor = @actor", "actor", f.actor);
    add("action = @action", "action", f.action);
    add("outcome = @outcome", "outcome", f.outcome);
    add("(target LIKE @target ESCAPE '\\' OR target_name LIKE @target ESCAPE '\\')", "target", f.target ? `%${f.target.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined);
    add("at >= @from", "from", f.from);
    add("at < @to", "to", f.to);
    return { sql: clauses.length ? ` WHERE ${clauses.join(" AND ")}` : "", params };
  }

  list(filter: AuditFilter, page: { limit: number; offset: number }): { records: AuditRecord[]; total: number } {
    const { sql, params } = this.where(filter);
    const total = Number((this.db.prepare(`SELECT COUNT(*) AS n FROM audit${sql}`).get(params) as Row).n);
    const records = (this.db.prepare(`SELECT * FROM audit${sql} ORDER BY id DESC LIMIT @limit OFFSET @offset`).all({ ...params, ...page }) as Row[]).map(toAudit);
    return { records, total };
  }

  get(id: number): AuditRecord | null {
    const row = this.db.prepare("SELECT * FROM audit WHERE id = ?").get(id) as Row | undefined;
    return row ? toAudit(row) : null;
  }

  relatedTo(ids: number[]): AuditRecord[] {
    if (ids.length === 0) return [];
    return (this.db.prepare(`SELECT * FROM audit WHERE related_id IN (${ids.map(() => "?").join(",")}) ORDER BY id`).all(...ids) as Row[]).map(toAudit);
  }

  distinct(field: "actor" | "action" | "outcome"): string[] {
    return (this.db.prepare(`SELECT DISTINCT ${field} AS v FROM audit ORDER BY v`).all() as Row[]).map((r) => str(r.v));
  }
}

function toToken(r: Row): ApiToken {
  return {
    id: str(r.id),
    name: str(r.name),
    role: r.role as Role,
    hint: str(r.hint),
    createdBy: str(r.created_by),
    createdAt: str(r.created_at),
    expiresAt: opt(r.expires_at),
    lastUsedAt: opt(r.last_used_at),
    revokedAt: opt(r.revoked_at),
    revokedBy: opt(r.revoked_by),
    creatorGroups: r.creator_groups === null || r.creator_groups === undefined ? null : (JSON.parse(str(r.creator_groups)) as string[]),
  };
}

class SqliteTokens implements TokenRepo {
  constructor(private readonly db: Db) {}

  create(t: Omit<ApiToken, "lastUsedAt" | "revokedAt" | "revokedBy" | "creatorGroups"> & { hash: string; creatorGroups?: string[] | null }): void {
    this.db
      .prepare(
        "INSERT INTO api_tokens (id, name, role, token_hash, hint, created_by, creator_groups, created_at, expires_at) VALUES (@id, @name, @role, @hash, @hint, @createdBy, @creatorGroups, @createdAt, @expiresAt)",
      )
      .run({ ...t, creatorGroups: t.creatorGroups ? JSON.stringify(t.creatorGroups) : null });
  }

  findByHash(hash: string): ApiToken | null {
    const row = this.db.prepare("SELECT * FROM api_tokens WHERE token_hash = ?").get(hash) as Row | undefined;
    return row ? toToken(row) : null;
  }

  list(): ApiToken[] {
    return (this.db.prepare("SELECT * FROM api_tokens ORDER BY created_at DESC").all() as Row[]).map(toToken);
  }

  get(id: string): ApiToken | null {
    const row = this.db.prepare("SELECT * FROM api_tokens WHERE id = ?").get(id) as Row | undefined;
    return row ? toToken(row) : null;
  }

  revoke(id: string, by: string, at: string): boolean {
    return this.db.prepare("UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL").run(at, by, id).changes === 1;
  }

  touch(id: string, at: string): void {
    this.db.prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").run(at, id);
  }
}

function toSession(r: Row): SignInSession {
  return {
    id: str(r.id),
    actor: str(r.actor),
    name: opt(r.name),
    groups: JSON.parse(str(r.groups)) as string[],
    createdAt: str(r.created_at),
    expiresAt: str(r.expires_at),
    endedAt: opt(r.ended_at),
    endedBy: opt(r.ended_by),
    endReason: opt(r.end_reason),
  };
}

class SqliteSessions implements SessionRepo {
  constructor(private readonly db: Db) {}

  start(s: Pick<SignInSession, "id" | "actor" | "name" | "groups" | "createdAt" | "expiresAt">): void {
    this.db.prepare("INSERT INTO sessions (id, actor, name, groups, created_at, expires_at) VALUES (@id, @actor, @name, @groups, @createdAt, @expiresAt)").run({ ...s, groups: JSON.stringify(s.groups) });
  }

  get(id: string): SignInSession | null {
    const row = this.db.prepare("SELECT * FROM sessions WHERE id = ?").get(id) as Row | undefined;
    return row ? toSession(row) : null;
  }

  isActive(id: string, now: number): boolean {
    const s = this.get(id);
    return s !== null && s.endedAt === null && Date.parse(s.expiresAt) > now;
  }

  end(id: string, by: string, reason: string, at: string): boolean {
    return this.db.prepare("UPDATE sessions SET ended_at = ?, ended_by = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL").run(at, by, reason, id).changes === 1;
  }

  endAllOf(actor: string, by: string, reason: string, at: string): number {
    return this.db.prepare("UPDATE sessions SET ended_at = ?, ended_by = ?, end_reason = ? WHERE actor = ? COLLATE NOCASE AND ended_at IS NULL AND expires_at > ?").run(at, by, reason, actor, at).changes;
  }

  active(now: number): SignInSession[] {
    return (this.db.prepare("SELECT * FROM sessions WHERE ended_at IS NULL AND expires_at > ? ORDER BY created_at DESC").all(new Date(now).toISOString()) as Row[]).map(toSession);
  }

  latestOf(actor: string): SignInSession | null {
    const row = this.db.prepare("SELECT * FROM sessions WHERE actor = ? COLLATE NOCASE ORDER BY created_at DESC, rowid DESC LIMIT 1").get(actor) as Row | undefined;
    return row ? toSession(row) : null;
  }

  prune(before: string): number {
    // Each user's latest sign-in stays: it carries the groups their tokens act with.
    return this.db
      .prepare(
        `DELETE FROM sessions WHERE (expires_at < @before OR ended_at < @before)
           AND rowid NOT IN (SELECT rowid FROM sessions s WHERE s.created_at = (SELECT MAX(created_at) FROM sessions t WHERE t.actor = s.actor COLLATE NOCASE))`,
      )
      .run({ before }).changes;
  }
}

function toWatch(r: Row): Watch {
  return {
    id: Number(r.id),
    kind: r.kind as ResourceKind,
    account: str(r.account),
    region: str(r.region),
    resourceId: str(r.resource_id),
    arn: str(r.arn),
    name: str(r.name),
    auditId: Number(r.audit_id),
    startedBy: str(r.started_by),
    startedAt: str(r.started_at),
    deadlineAt: str(r.deadline_at),
    statusBefore: str(r.status_before),
    state: r.state as WatchState,
    lastStatus: opt(r.last_status),
    checks: Number(r.checks),
    finishedAt: opt(r.finished_at),
  };
}

class SqliteWatches implements WatchRepo {
  constructor(private readonly db: Db) {}

  start(w: Omit<Watch, "id" | "state" | "lastStatus" | "checks" | "finishedAt">): Watch {
    const info = this.db
      .prepare(
        `INSERT INTO watches (kind, account, region, resource_id, arn, name, audit_id, started_by, started_at, deadline_at, status_before, state)
         VALUES (@kind, @account, @region, @resourceId, @arn, @name, @auditId, @startedBy, @startedAt, @deadlineAt, @statusBefore, 'watching')`,
      )
      .run(w);
    const watch = this.get(Number(info.lastInsertRowid));
    if (!watch) throw new Error("watch vanished");
    return watch;
  }

  get(id: number): Watch | null {
    const row = this.db.prepare("SELECT * FROM watches WHERE id = ?").get(id) as Row | undefined;
    return row ? toWatch(row) : null;
  }

  latestFor(kind: ResourceKind, account: string, region: string, resourceId: string): Watch | null {
    const row = this.db.prepare("SELECT * FROM watches WHERE kind = ? AND account = ? AND region = ? AND resource_id = ? ORDER BY id DESC LIMIT 1").get(kind, account, region, resourceId) as Row | undefined;
    return row ? toWatch(row) : null;
  }

  active(): Watch[] {
    return (this.db.prepare("SELECT * FROM watches WHERE state = 'watching' ORDER BY id").all() as Row[]).map(toWatch);
  }

  recent(since: string): Watch[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM watches w WHERE w.started_at >= ? AND w.id = (SELECT MAX(id) FROM watches x WHERE x.kind = w.kind AND x.account = w.account AND x.region = w.region AND x.resource_id = w.resource_id)`,
        )
        .all(since) as Row[]
    ).map(toWatch);
  }

  check(id: number, status: string): void {
    this.db.prepare("UPDATE watches SET checks = checks + 1, last_status = ? WHERE id = ? AND state = 'watching'").run(status, id);
  }

  finish(id: number, state: Exclude<WatchState, "watching">, status: string | null, at: string): boolean {
    return this.db.prepare("UPDATE watches SET state = ?, last_status = COALESCE(?, last_status), finished_at = ? WHERE id = ? AND state = 'watching'").run(state, status, at, id).changes === 1;
  }
}

function toPipeline(r: Row): StoredPipeline {
  return {
    account: str(r.account),
    region: str(r.region),
    name: str(r.name),
    version: Number(r.version),
    pipelineType: str(r.pipeline_type),
    updated: opt(r.updated),
    definition: JSON.parse(str(r.definition)) as PipelineDefinition,
    fetchedAt: str(r.fetched_at),
    lastSweptAt: opt(r.last_swept_at),
    lastSweepAttemptAt: opt(r.last_sweep_attempt_at),
    lastSweepError: opt(r.last_sweep_error),
  };
}

function toUse(r: Row): PipelineUse {
  return {
    account: str(r.account),
    region: str(r.region),
    pipeline: str(r.pipeline),
    actionName: str(r.action_name),
    connectionAccount: str(r.connection_account),
    connectionRegion: str(r.connection_region),
    connectionId: str(r.connection_id),
    connectionArn: str(r.connection_arn),
    repository: str(r.repository),
    branch: str(r.branch),
  };
}

function toExecutionRow(r: Row): StoredExecution {
  return {
    account: str(r.account),
    region: str(r.region),
    pipeline: str(r.pipeline),
    executionId: str(r.execution_id),
    status: str(r.status),
    startTime: opt(r.start_time),
    lastUpdateTime: opt(r.last_update_time),
    triggerType: opt(r.trigger_type),
    triggerDetail: opt(r.trigger_detail),
    revisionId: opt(r.revision_id),
    revisionSummary: opt(r.revision_summary),
  };
}

class SqlitePipelines implements PipelineRepo {
  constructor(private readonly db: Db) {}

  listed(scope: { account: string; region: string }) {
    return (this.db.prepare("SELECT name, version, updated FROM pipelines WHERE account = ? AND region = ?").all(scope.account, scope.region) as Row[]).map((r) => ({ name: str(r.name), version: Number(r.version), updated: opt(r.updated) }));
  }

  saveDefinition(listing: PipelineListing, def: PipelineDefinition, uses: PipelineUse[], at: string): void {
    const db = this.db;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO pipelines (account, region, name, version, pipeline_type, updated, definition, fetched_at) VALUES (@account, @region, @name, @version, @pipelineType, @updated, @definition, @at)
         ON CONFLICT (account, region, name) DO UPDATE SET version = excluded.version, pipeline_type = excluded.pipeline_type, updated = excluded.updated, definition = excluded.definition, fetched_at = excluded.fetched_at, deleted_at = NULL`,
      ).run({ account: def.account, region: def.region, name: listing.name, version: listing.version, pipelineType: listing.pipelineType, updated: listing.updated, definition: JSON.stringify(def), at });
      db.prepare("DELETE FROM pipeline_sources WHERE account = ? AND region = ? AND pipeline = ?").run(def.account, def.region, listing.name);
      const insert = db.prepare(
        `INSERT OR REPLACE INTO pipeline_sources (account, region, pipeline, action_name, connection_account, connection_region, connection_id, connection_arn, repository, branch)
         VALUES (@account, @region, @pipeline, @actionName, @connectionAccount, @connectionRegion, @connectionId, @connectionArn, @repository, @branch)`,
      );
      for (const u of uses) insert.run(u);
    })();
  }

  remove(scope: { account: string; region: string }, names: string[]): void {
    const db = this.db;
    db.transaction(() => {
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
    return db.transaction(() => executions.reduce((n, e) => n + upsert.run({ ...e, account, region, pipeline }).changes, 0))();
  }

  addExecution(account: string, region: string, pipeline: string, e: Execution): boolean {
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO executions (account, region, pipeline, execution_id, status, start_time, last_update_time, trigger_type, trigger_detail, revision_id, revision_summary)
           VALUES (@account, @region, @pipeline, @executionId, @status, @startTime, @lastUpdateTime, @triggerType, @triggerDetail, @revisionId, @revisionSummary)`,
        )
        .run({ ...e, account, region, pipeline }).changes === 1
    );
  }

  markSwept(account: string, region: string, pipeline: string, at: string): void {
    this.db.prepare("UPDATE pipelines SET last_swept_at = ?, last_sweep_attempt_at = ?, last_sweep_error = NULL WHERE account = ? AND region = ? AND name = ?").run(at, at, account, region, pipeline);
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
    return this.db.prepare("DELETE FROM executions WHERE start_time < ?").run(before).changes;
  }

  markMapped(scope: { account: string; region: string }, at: string): void {
    this.db.prepare("INSERT INTO pipeline_maps (account, region, mapped_at) VALUES (?, ?, ?) ON CONFLICT (account, region) DO UPDATE SET mapped_at = excluded.mapped_at").run(scope.account, scope.region, at);
  }

  mapped(): Map<string, string> {
    return new Map((this.db.prepare("SELECT * FROM pipeline_maps").all() as Row[]).map((r) => [`${str(r.account)}/${str(r.region)}`, str(r.mapped_at)]));
  }
}

function toPush(r: Row): StoredPush {
  return {
    id: Number(r.id),
    provider: r.provider as StoredPush["provider"],
    deliveryId: str(r.delivery_id),
    repository: str(r.repository),
    branch: str(r.branch),
    sha: str(r.sha),
    beforeSha: opt(r.before_sha),
    paths: r.paths === null || r.paths === undefined ? null : (JSON.parse(str(r.paths)) as string[]),
    pushedAt: str(r.pushed_at),
    receivedAt: str(r.received_at),
    evaluatedAt: opt(r.evaluated_at),
  };
}

/** Lookups of an execution's commit before Tether gives up on it (it then never becomes a sample). */
export const MAX_REVISION_ATTEMPTS = 3;

const PUSH_TRIGGER_SQL = "trigger_type IN ('Webhook', 'WebhookV2')";

class SqliteLatency implements LatencyRepo {
  private readonly group: GroupCommit;

  constructor(private readonly db: Db) {
    this.group = new GroupCommit(db);
  }

  recordDelivery(provider: string, deliveryId: string, event: string, status: string, at: string): boolean {
    return this.db.prepare("INSERT OR IGNORE INTO deliveries (provider, delivery_id, event, status, received_at) VALUES (?, ?, ?, ?, ?)").run(provider, deliveryId, event, status, at).changes === 1;
  }

  savePush(p: NewPush): { id: number; duplicate: boolean } {
    const info = this.db
      .prepare(
        `INSERT OR IGNORE INTO pushes (provider, delivery_id, repository, branch, sha, before_sha, paths, pushed_at, received_at)
         VALUES (@provider, @deliveryId, @repository, @branch, @sha, @beforeSha, @paths, @pushedAt, @receivedAt)`,
      )
      .run({ ...p, paths: p.paths === null ? null : JSON.stringify(p.paths) });
    if (info.changes === 1) return { id: Number(info.lastInsertRowid), duplicate: false };
    const row = this.db.prepare("SELECT id FROM pushes WHERE provider = ? AND delivery_id = ?").get(p.provider, p.deliveryId) as Row;
    return { id: Number(row.id), duplicate: true };
  }

  storeDelivery(provider: string, deliveryId: string, event: string, status: string, at: string): Promise<boolean> {
    return this.group.run(() => this.recordDelivery(provider, deliveryId, event, status, at));
  }

  storePushDelivery(p: NewPush, event: string, outbox: (MetricValue & { source: string })[] = []): Promise<{ id: number } | null> {
    return this.group.run(() => {
      // A captured delivery replayed under a new id (the id is not signed) pushes nothing new.
      const same = this.db.prepare("SELECT 1 FROM pushes WHERE provider = ? AND repository = ? COLLATE NOCASE AND branch = ? AND sha = ? LIMIT 1").get(p.provider, p.repository, p.branch, p.sha);
      if (!this.recordDelivery(p.provider, p.deliveryId, event, same ? "duplicate" : "stored", p.receivedAt) || same) return null;
      const stored = { id: this.savePush(p).id };
      if (outbox.length) this.enqueue(outbox, p.receivedAt);
      return stored;
    });
  }

  /** The group committer's counts (tests, the benchmark). */
  groupCommitStats(): { transactions: number; writes: number } {
    return { ...this.group.stats };
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
    this.db.prepare("UPDATE executions SET revision_id = ? WHERE account = ? AND region = ? AND pipeline = ? AND execution_id = ?").run(revisionId, account, region, pipeline, executionId);
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

  enqueue(rows: (MetricValue & { source: string })[], now: string): number {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO metric_outbox (metric, unit, value, at, pipeline, connection_id, provider, fleet, next_attempt_at, source)
       VALUES (@metric, @unit, @value, @at, @pipeline, @connectionId, @provider, @fleet, @now, @source)`,
    );
    return this.db.transaction(() => rows.reduce((n, r) => n + insert.run({ ...r, fleet: r.fleet ? 1 : 0, now }).changes, 0))();
  }

  due(now: string, limit: number): MetricRow[] {
    return (this.db.prepare("SELECT * FROM metric_outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?").all(now, limit) as Row[]).map((r) => ({
      id: Number(r.id),
      metric: str(r.metric),
      unit: str(r.unit),
      value: Number(r.value),
      at: str(r.at),
      pipeline: opt(r.pipeline),
      connectionId: opt(r.connection_id),
      provider: opt(r.provider),
      fleet: Number(r.fleet) === 1,
      attempts: Number(r.attempts),
    }));
  }

  private updateMany(sql: string, ids: number[], params: unknown[]): void {
    const stmt = this.db.prepare(sql);
    this.db.transaction(() => {
      for (const id of ids) stmt.run(...params, id);
    })();
  }

  markPublished(ids: number[], at: string): void {
    this.updateMany("UPDATE metric_outbox SET state = 'published', done_at = ?, attempts = attempts + 1 WHERE id = ?", ids, [at]);
  }

  markDropped(ids: number[], reason: string, at: string): void {
    this.updateMany("UPDATE metric_outbox SET state = 'dropped', reason = ?, done_at = ? WHERE id = ?", ids, [reason, at]);
  }

  retryLater(ids: number[], nextAt: string, reason: string): void {
    this.updateMany("UPDATE metric_outbox SET attempts = attempts + 1, next_attempt_at = ?, reason = ? WHERE id = ?", ids, [nextAt, reason]);
  }

  retryNow(now: string): number {
    return this.db.prepare("UPDATE metric_outbox SET next_attempt_at = ? WHERE state = 'pending' AND attempts > 0 AND next_attempt_at > ?").run(now, now).changes;
  }

  retrying(): { count: number; reason: string | null; nextAt: string | null } {
    const r = this.db.prepare("SELECT COUNT(*) AS n, MIN(next_attempt_at) AS next FROM metric_outbox WHERE state = 'pending' AND attempts > 0").get() as Row;
    const last = this.db.prepare("SELECT reason FROM metric_outbox WHERE state = 'pending' AND attempts > 0 ORDER BY id DESC LIMIT 1").get() as Row | undefined;
    return { count: Number(r.n), reason: last ? opt(last.reason) : null, nextAt: opt(r.next) };
  }

  outboxCounts(): Record<"pending" | "published" | "dropped", number> {
    const out = { pending: 0, published: 0, dropped: 0 };
    for (const r of this.db.prepare("SELECT state, COUNT(*) AS n FROM metric_outbox GROUP BY state").all() as Row[]) out[r.state as keyof typeof out] = Number(r.n);
    return out;
  }

  droppedReasons(): { reason: string; count: number }[] {
    return (this.db.prepare("SELECT reason, COUNT(*) AS n FROM metric_outbox WHERE state = 'dropped' GROUP BY reason ORDER BY n DESC").all() as Row[]).map((r) => ({ reason: str(r.reason), count: Number(r.n) }));
  }
}

/** Opens (creating the folder and file if needed) and migrates a SQLite store. `:memory:` works for tests. */
export function openSqliteStore(file: string): Store {
  return storeOn(openDatabase(file));
}

/** The connection with Tether's settings (WAL, synchronous FULL, foreign keys), migrated. */
export function openDatabase(file: string): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // Every commit reaches the disk before it returns (a push answered 202 survives a power cut).
  // better-sqlite3 is compiled with WAL's default NORMAL, which a reopened file would run at, so
  // the level is set on every open, not left to the file (docs/durability.md).
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  migrate(db);
  reusePreparedStatements(db);
  return db;
}

/**
 * Repositories write `db.prepare(sql)` where they use a statement; compiling the same SQL on every
 * call cost more than running it (a webhook delivery prepared five statements). Prepared statements
 * are kept per SQL text and reused (no repository changes a statement's mode with pluck, raw or
 * expand, which would otherwise carry over); the cache is bounded for SQL built with variable
 * IN-lists.
 */
function reusePreparedStatements(db: Db): void {
  const cache = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size >= 1000) cache.clear();
      stmt = prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }) as Db["prepare"];
}

function storeOn(db: Db): Store {
  return {
    sessions: new SqliteSessions(db),
    latency: new SqliteLatency(db),
    pipelines: new SqlitePipelines(db),
    history: new SqliteHistory(db),
    audit: new SqliteAudit(db),
    tokens: new SqliteTokens(db),
    watches: new SqliteWatches(db),
    close: () => db.close(),
  };
}
