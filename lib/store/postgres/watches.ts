import type { ResourceKind, WatchState } from "@/lib/types";
import type { Watch, WatchRepo } from "@/lib/store/types";
import { toWatch } from "@/lib/store/rows";
import type { PgDatabase } from "./database";

export class PgWatches implements WatchRepo {
  constructor(private readonly db: PgDatabase) {}

  async start(w: Omit<Watch, "id" | "state" | "lastStatus" | "checks" | "finishedAt">): Promise<Watch> {
    const row = (
      await this.db.query(
        `INSERT INTO watches (kind, account, region, resource_id, arn, name, audit_id, started_by, started_at, deadline_at, status_before, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'watching') RETURNING *`,
        [w.kind, w.account, w.region, w.resourceId, w.arn, w.name, w.auditId, w.startedBy, w.startedAt, w.deadlineAt, w.statusBefore],
      )
    ).rows[0];
    if (!row) throw new Error("watch vanished");
    return toWatch(row);
  }

  async get(id: number): Promise<Watch | null> {
    const row = (await this.db.query("SELECT * FROM watches WHERE id = $1", [id])).rows[0];
    return row ? toWatch(row) : null;
  }

  async latestFor(kind: ResourceKind, account: string, region: string, resourceId: string): Promise<Watch | null> {
    const row = (await this.db.query("SELECT * FROM watches WHERE kind = $1 AND account = $2 AND region = $3 AND resource_id = $4 ORDER BY id DESC LIMIT 1", [kind, account, region, resourceId])).rows[0];
    return row ? toWatch(row) : null;
  }

  async active(): Promise<Watch[]> {
    return (await this.db.query("SELECT * FROM watches WHERE state = 'watching' ORDER BY id")).rows.map(toWatch);
  }

  async recent(since: string): Promise<Watch[]> {
    return (
      await this.db.query(
        `SELECT * FROM watches w WHERE w.started_at >= $1 AND w.id = (SELECT MAX(id) FROM watches x WHERE x.kind = w.kind AND x.account = w.account AND x.region = w.region AND x.resource_id = w.resource_id)
         ORDER BY w.id`,
        [since],
      )
    ).rows.map(toWatch);
  }

  async check(id: number, status: string): Promise<void> {
    await this.db.query("UPDATE watches SET checks = checks + 1, last_status = $1 WHERE id = $2 AND state = 'watching'", [status, id]);
  }

  async finish(id: number, state: Exclude<WatchState, "watching">, status: string | null, at: string): Promise<boolean> {
    return (await this.db.query("UPDATE watches SET state = $1, last_status = COALESCE($2, last_status), finished_at = $3 WHERE id = $4 AND state = 'watching'", [state, status, at, id])).rowCount === 1;
  }
}
