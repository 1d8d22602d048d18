import { bounded, burstEnd, burstKey, burstSummary, followingTarget } from "@/lib/store/audit-rules";
import type { AuditFilter, AuditRecord, AuditRepo, NewAuditRecord } from "@/lib/store/types";
import { opt, str, toAudit, type Row } from "@/lib/store/rows";
import { LOCK, lock, type PgDatabase, type Queryable } from "./database";

export class PgAudit implements AuditRepo {
  constructor(private readonly db: PgDatabase) {}

  append(rec: NewAuditRecord, at = new Date().toISOString()): Promise<AuditRecord> {
    return appendOn(this.db, rec, at);
  }

  refuse(rec: NewAuditRecord, at: string): Promise<AuditRecord | null> {
    return this.db.tx(async (c) => {
      // Bursts are read, counted and closed one transaction at a time (SQLite's single writer):
      // two replicas refusing the same actor at once must not both open a burst, nor lose a count.
      await lock(c, LOCK.bursts, "");
      await closeOn(c, at);
      const key = burstKey(rec);
      const open = (await c.query("SELECT * FROM audit_bursts WHERE key = $1", [key])).rows[0];
      if (!open) {
        const record = await appendOn(c, rec, at);
        await c.query("INSERT INTO audit_bursts (key, first_id, ends_at) VALUES ($1, $2, $3)", [key, record.id, burstEnd(at)]);
        return record;
      }
      const { targets, other } = followingTarget(await getOn(c, Number(open.first_id)), JSON.parse(str(open.targets)) as string[], rec);
      await c.query("UPDATE audit_bursts SET more = more + 1, targets = $1, varied = GREATEST(varied, $2) WHERE key = $3", [JSON.stringify(targets), other ? 1 : 0, key]);
      return null;
    });
  }

  closeBursts(now: string): Promise<AuditRecord[]> {
    return this.db.tx(async (c) => {
      await lock(c, LOCK.bursts, "");
      return closeOn(c, now);
    });
  }

  async nextBurstEnd(): Promise<string | null> {
    return opt((await this.db.query("SELECT MIN(ends_at) AS t FROM audit_bursts")).rows[0]?.t);
  }

  private where(f: AuditFilter): { sql: string; params: string[] } {
    const clauses: string[] = [];
    const params: string[] = [];
    const add = (clause: (p: string) => string, value: string | undefined) => {
      if (!value) return;
      params.push(value);
      clauses.push(clause(`$${params.length}`));
    };
    add((p) => `actor = ${p}`, f.actor);
    add((p) => `action = ${p}`, f.action);
    add((p) => `outcome = ${p}`, f.outcome);
    // SQLite's LIKE ignores the case of ASCII letters (only): lower() under COLLATE "C" does the same.
    add((p) => `(lower(target) LIKE lower(${p}::text COLLATE "C") ESCAPE '\\' OR lower(target_name) LIKE lower(${p}::text COLLATE "C") ESCAPE '\\')`, f.target ? `%${f.target.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : undefined);
    add((p) => `at >= ${p}`, f.from);
    add((p) => `at < ${p}`, f.to);
    return { sql: clauses.length ? ` WHERE ${clauses.join(" AND ")}` : "", params };
  }

  async list(filter: AuditFilter, page: { limit: number; offset: number }): Promise<{ records: AuditRecord[]; total: number }> {
    const { sql, params } = this.where(filter);
    const n = params.length;
    const [count, rows] = await Promise.all([
      this.db.query(`SELECT COUNT(*) AS n FROM audit${sql}`, params),
      this.db.query(`SELECT * FROM audit${sql} ORDER BY id DESC LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, page.limit, page.offset]),
    ]);
    return { records: rows.rows.map(toAudit), total: Number(count.rows[0]?.n) };
  }

  get(id: number): Promise<AuditRecord | null> {
    return getOn(this.db, id);
  }

  async relatedTo(ids: number[]): Promise<AuditRecord[]> {
    if (ids.length === 0) return [];
    return (await this.db.query("SELECT * FROM audit WHERE related_id = ANY($1::bigint[]) ORDER BY id", [ids])).rows.map(toAudit);
  }

  async distinct(field: "actor" | "action" | "outcome"): Promise<string[]> {
    const column = { actor: "actor", action: "action", outcome: "outcome" }[field];
    return (await this.db.query<Row>(`SELECT DISTINCT ${column} AS v FROM audit ORDER BY v`)).rows.map((r) => str(r.v));
  }
}

async function appendOn(q: Queryable, rec: NewAuditRecord, at: string): Promise<AuditRecord> {
  const r = bounded(rec);
  const row = (
    await q.query(
      `INSERT INTO audit (at, actor, actor_role, via, action, target_kind, target, target_name, outcome, status_before, detail, related_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [at, r.actor, r.actorRole, r.via, r.action, r.targetKind, r.target, r.targetName, r.outcome, r.statusBefore, r.detail, r.relatedId],
    )
  ).rows[0];
  if (!row) throw new Error("audit record vanished");
  return toAudit(row);
}

async function getOn(q: Queryable, id: number): Promise<AuditRecord | null> {
  const row = (await q.query("SELECT * FROM audit WHERE id = $1", [id])).rows[0];
  return row ? toAudit(row) : null;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Appends the summaries of the bursts that ended by `now` (the caller holds LOCK.bursts). */
async function closeOn(c: Queryable, now: string): Promise<AuditRecord[]> {
  const ended = (await c.query("DELETE FROM audit_bursts WHERE ends_at <= $1 RETURNING *", [now])).rows;
  // In the order they ended, as SQLite closes them.
  ended.sort((a, b) => byteOrder(str(a.ends_at), str(b.ends_at)) || byteOrder(str(a.key), str(b.key)));
  const out: AuditRecord[] = [];
  for (const b of ended) {
    const first = await getOn(c, Number(b.first_id));
    const more = Number(b.more);
    if (!first || more === 0) continue;
    out.push(await appendOn(c, burstSummary(first, { more, targets: JSON.parse(str(b.targets)) as string[], varied: Number(b.varied) === 1 }), now));
  }
  return out;
}
