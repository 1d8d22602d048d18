import type { HistoryEntry, ResourceKind } from "@/lib/types";
import { planListing } from "@/lib/store/listing";
import { statusEvents } from "@/lib/store/status-events";
import type { HistoryRepo, ListingKey, ListingState, ObservedResource, ResourceRecord } from "@/lib/store/types";
import type { Db } from "./database";
import type { Syncish } from "./index";
import { opt, str, toHistory, toResource, type Row } from "@/lib/store/rows";

export class SqliteHistory implements Syncish<HistoryRepo> {
  constructor(private readonly db: Db) {}

  recordListing(listing: ListingKey, items: ObservedResource[], at: string, answeredRegion?: string, options: { events?: boolean } = {}): HistoryEntry[] {
    const db = this.db;
    const region = listing.region ?? "";
    return db.transaction(() => {
      const state = db.prepare("SELECT first_complete_at FROM listing_state WHERE kind = ? AND account = ? AND region = ?").get(listing.kind, listing.account, region) as Row | undefined;
      // What this listing covers: the account's resources of this kind (and Region, for a regional listing).
      const covered = listing.region === null
        ? db.prepare("SELECT * FROM resources WHERE kind = ? AND account = ? ORDER BY region, id").all(listing.kind, listing.account)
        : db.prepare("SELECT * FROM resources WHERE kind = ? AND account = ? AND region = ? ORDER BY region, id").all(listing.kind, listing.account, listing.region);
      const plan = planListing(listing, items, (covered as Row[]).map(toResource), !state?.first_complete_at, at);
      const insert = db.prepare(
        "INSERT INTO resources (kind, account, region, id, arn, name, provider, status, first_seen_at, status_since, last_seen_at) VALUES (@kind, @account, @region, @id, @arn, @name, @provider, @status, @at, @at, @at)",
      );
      const update = db.prepare(
        "UPDATE resources SET arn = @arn, name = @name, provider = @provider, status = @status, status_since = @since, last_seen_at = @at, deleted_at = NULL WHERE kind = @kind AND account = @account AND region = @region AND id = @id",
      );
      const markDeleted = db.prepare("UPDATE resources SET deleted_at = ?, status_since = ? WHERE kind = ? AND account = ? AND region = ? AND id = ?");
      for (const r of plan.inserts) insert.run({ ...r, at });
      for (const r of plan.updates) update.run({ ...r, at });
      for (const r of plan.deletes) markDeleted.run(at, at, r.kind, r.account, r.region, r.id);
      const append = db.prepare(
        "INSERT INTO status_history (kind, account, region, id, name, from_status, to_status, at, initial) VALUES (@kind, @account, @region, @id, @name, @fromStatus, @toStatus, @at, @initial)",
      );
      const written = plan.entries.map((e) => ({ seq: Number(append.run({ ...e, initial: e.initial ? 1 : 0 }).lastInsertRowid), ...e }));
      if (options.events) {
        const enqueue = db.prepare(
          "INSERT INTO event_outbox (event_key, detail_type, resources, detail, occurred_at, next_attempt_at, created_at) VALUES (@eventKey, @detailType, @resources, @detail, @occurredAt, @occurredAt, @occurredAt) ON CONFLICT (event_key) DO NOTHING",
        );
        for (const ev of statusEvents(plan, written)) enqueue.run({ ...ev, resources: JSON.stringify(ev.resources) });
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
