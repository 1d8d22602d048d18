import { DISCOVERY_RUNS_KEPT, type DiscoveryRepo, type DiscoveryRun, type NewDiscoveryRun } from "@/lib/store/types";
import { toDiscoveryRun, type Row } from "@/lib/store/rows";
import type { Db } from "./database";
import type { Syncish } from "./index";

export class SqliteDiscovery implements Syncish<DiscoveryRepo> {
  constructor(private readonly db: Db) {}

  save(run: NewDiscoveryRun): number {
    return this.db.transaction(() => {
      const info = this.db
        .prepare("INSERT INTO discovery_runs (started_at, finished_at, trigger, outcome, error, result) VALUES (?, ?, ?, ?, ?, ?)")
        .run(run.startedAt, run.finishedAt, run.trigger, run.outcome, run.error, run.result);
      const id = Number(info.lastInsertRowid);
      this.db.prepare("DELETE FROM discovery_runs WHERE id <= ?").run(id - DISCOVERY_RUNS_KEPT);
      return id;
    })();
  }

  latest(): DiscoveryRun | null {
    const r = this.db.prepare("SELECT * FROM discovery_runs ORDER BY id DESC LIMIT 1").get() as Row | undefined;
    return r ? toDiscoveryRun(r) : null;
  }

  lastSuccessful(): DiscoveryRun | null {
    const r = this.db.prepare("SELECT * FROM discovery_runs WHERE outcome = 'ok' ORDER BY id DESC LIMIT 1").get() as Row | undefined;
    return r ? toDiscoveryRun(r) : null;
  }

  recent(limit: number): DiscoveryRun[] {
    return (this.db.prepare("SELECT * FROM discovery_runs ORDER BY id DESC LIMIT ?").all(limit) as Row[]).map(toDiscoveryRun);
  }
}
