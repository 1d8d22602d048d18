import { bounded, burstEnd, burstKey, burstSummary, followingTarget } from "@/lib/store/audit-rules";
import type { AuditFilter, AuditRecord, AuditRepo, NewAuditRecord } from "@/lib/store/types";
import type { Db } from "./database";
import type { Syncish } from "./index";
import { opt, str, toAudit, type Row } from "@/lib/store/rows";

export class SqliteAudit implements Syncish<AuditRepo> {
  constructor(private readonly db: Db) {}

  append(rec: NewAuditRecord, at = new Date().toISOString()): AuditRecord {
    const info = this.db
      .prepare(
        `INSERT INTO audit (at, actor, actor_role, via, action, target_kind, target, target_name, outcome, status_before, detail, related_id)
         VALUES (@at, @actor, @actorRole, @via, @action, @targetKind, @target, @targetName, @outcome, @statusBefore, @detail, @relatedId)`,
      )
      .run({ at, ...bounded(rec) });
    const record = this.get(Number(info.lastInsertRowid));
    if (!record) throw new Error("audit record vanished");
    return record;
  }

  refuse(rec: NewAuditRecord, at: string): AuditRecord | null {
    return this.db.transaction(() => {
      this.closeBursts(at);
      const key = burstKey(rec);
      const open = this.db.prepare("SELECT * FROM audit_bursts WHERE key = ?").get(key) as Row | undefined;
      if (!open) {
        const record = this.append(rec, at);
        this.db.prepare("INSERT INTO audit_bursts (key, first_id, ends_at) VALUES (?, ?, ?)").run(key, record.id, burstEnd(at));
        return record;
      }
      const { targets, other } = followingTarget(this.get(Number(open.first_id)), JSON.parse(str(open.targets)) as string[], rec);
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
        out.push(this.append(burstSummary(first, { more, targets: JSON.parse(str(b.targets)) as string[], varied: Number(b.varied) === 1 }), now));
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
