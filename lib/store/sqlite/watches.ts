import type { ResourceKind, WatchState } from "@/lib/types";
import type { Watch, WatchRepo } from "@/lib/store/types";
import type { Db } from "./database";
import type { Syncish } from "./index";
import { toWatch, type Row } from "@/lib/store/rows";

export class SqliteWatches implements Syncish<WatchRepo> {
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
