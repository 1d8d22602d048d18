import { DISCOVERY_RUNS_KEPT, type DiscoveryRepo, type DiscoveryRun, type NewDiscoveryRun } from "@/lib/store/types";
import { toDiscoveryRun } from "@/lib/store/rows";
import type { PgDatabase } from "./database";

export class PgDiscovery implements DiscoveryRepo {
  constructor(private readonly db: PgDatabase) {}

  async save(run: NewDiscoveryRun): Promise<number> {
    return this.db.tx(async (c) => {
      const r = await c.query("INSERT INTO discovery_runs (started_at, finished_at, trigger, outcome, error, result) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", [run.startedAt, run.finishedAt, run.trigger, run.outcome, run.error, run.result]);
      const id = Number(r.rows[0]?.id);
      await c.query("DELETE FROM discovery_runs WHERE id <= $1", [id - DISCOVERY_RUNS_KEPT]);
      return id;
    });
  }

  async latest(): Promise<DiscoveryRun | null> {
    const r = (await this.db.query("SELECT * FROM discovery_runs ORDER BY id DESC LIMIT 1")).rows[0];
    return r ? toDiscoveryRun(r) : null;
  }

  async lastSuccessful(): Promise<DiscoveryRun | null> {
    const r = (await this.db.query("SELECT * FROM discovery_runs WHERE outcome = 'ok' ORDER BY id DESC LIMIT 1")).rows[0];
    return r ? toDiscoveryRun(r) : null;
  }

  async recent(limit: number): Promise<DiscoveryRun[]> {
    return (await this.db.query("SELECT * FROM discovery_runs ORDER BY id DESC LIMIT $1", [limit])).rows.map(toDiscoveryRun);
  }
}
