import type { Lease, LeaseRepo } from "@/lib/store/types";
import { toLease, type Row } from "@/lib/store/rows";
import type { Db } from "./database";
import type { Syncish } from "./index";

/** On SQLite one process owns the file, so its leases are always its own; the same rules apply all the same. */
export class SqliteLeases implements Syncish<LeaseRepo> {
  constructor(private readonly db: Db) {}

  acquire(name: string, holder: string, now: string, until: string): boolean {
    return (
      this.db
        .prepare(
          `INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET
             acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
             holder = excluded.holder, expires_at = excluded.expires_at
           WHERE leases.holder = excluded.holder OR leases.expires_at <= excluded.acquired_at`,
        )
        .run(name, holder, now, until).changes === 1
    );
  }

  release(name: string, holder: string): void {
    this.db.prepare("DELETE FROM leases WHERE name = ? AND holder = ?").run(name, holder);
  }

  list(): Lease[] {
    return (this.db.prepare("SELECT * FROM leases ORDER BY name").all() as Row[]).map(toLease);
  }
}
