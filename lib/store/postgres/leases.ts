import type { Lease, LeaseRepo } from "@/lib/store/types";
import { toLease } from "@/lib/store/rows";
import type { PgDatabase } from "./database";

/**
 * One statement per acquisition: INSERT … ON CONFLICT DO UPDATE … WHERE locks the lease's row, so
 * of two replicas asking at once the second sees the first's row and gets it only if it expired.
 */
export class PgLeases implements LeaseRepo {
  constructor(private readonly db: PgDatabase) {}

  async acquire(name: string, holder: string, now: string, until: string): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET
         acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
         holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= excluded.acquired_at`,
      [name, holder, now, until],
    );
    return r.rowCount === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.query("DELETE FROM leases WHERE name = $1 AND holder = $2", [name, holder]);
  }

  async list(): Promise<Lease[]> {
    return (await this.db.query("SELECT * FROM leases ORDER BY name")).rows.map(toLease);
  }
}
