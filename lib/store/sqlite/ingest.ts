import type { MetricValue, NewPush } from "@/lib/store/types";
import type { Db } from "./database";
import type { Row } from "@/lib/store/rows";

/**
 * The receivers' writes, written once: the SQL of a delivery, its push and its metric values. The
 * latency repository runs it on the main connection (SqliteLatency extends this class) and the
 * writer thread (writer.ts) runs the very same methods on its own connection to the same file.
 */

/** One receiver write as the group committer queues it: plain data, so it can cross to the writer thread. */
export type IngestWrite =
  | { op: "push"; push: NewPush; event: string; outbox: (MetricValue & { source: string })[] }
  | { op: "delivery"; provider: string; deliveryId: string; event: string; status: string; at: string };

export class IngestWrites {
  constructor(protected readonly db: Db) {}

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

  enqueue(rows: (MetricValue & { source: string })[], now: string): number {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO metric_outbox (metric, unit, value, at, pipeline, connection_id, provider, fleet, next_attempt_at, source)
       VALUES (@metric, @unit, @value, @at, @pipeline, @connectionId, @provider, @fleet, @now, @source)`,
    );
    return this.db.transaction(() => rows.reduce((n, r) => n + insert.run({ ...r, fleet: r.fleet ? 1 : 0, now }).changes, 0))();
  }

  /**
   * The delivery, its push and the push's metric values (the caller's transaction holds them all);
   * null when the delivery id was seen before, or when the same push is stored under another id.
   */
  pushDelivery(p: NewPush, event: string, outbox: (MetricValue & { source: string })[]): { id: number } | null {
    // A captured delivery replayed under a new id (the id is not signed) pushes nothing new.
    const same = this.db.prepare("SELECT 1 FROM pushes WHERE provider = ? AND repository = ? COLLATE NOCASE AND branch = ? AND sha = ? LIMIT 1").get(p.provider, p.repository, p.branch, p.sha);
    if (!this.recordDelivery(p.provider, p.deliveryId, event, same ? "duplicate" : "stored", p.receivedAt) || same) return null;
    const stored = { id: this.savePush(p).id };
    if (outbox.length) this.enqueue(outbox, p.receivedAt);
    return stored;
  }

  /** Runs one queued write (inside the group commit's transaction). */
  apply(w: IngestWrite): { id: number } | null | boolean {
    return w.op === "push" ? this.pushDelivery(w.push, w.event, w.outbox) : this.recordDelivery(w.provider, w.deliveryId, w.event, w.status, w.at);
  }
}
