import type { HistoryEntry, ResourceKind } from "@/lib/types";
import { planListing } from "@/lib/store/listing";
import { statusEvents } from "@/lib/store/status-events";
import type { HistoryRepo, ListingKey, ListingState, ObservedResource, ResourceRecord } from "@/lib/store/types";
import { opt, str, toHistory, toResource, type Row } from "@/lib/store/rows";
import { LOCK, lock, nocase, type PgDatabase } from "./database";

export class PgHistory implements HistoryRepo {
  constructor(private readonly db: PgDatabase) {}

  recordListing(listing: ListingKey, items: ObservedResource[], at: string, answeredRegion?: string, options: { events?: boolean } = {}): Promise<HistoryEntry[]> {
    const region = listing.region ?? "";
    return this.db.tx(async (c) => {
      // Two replicas may record the same listing at once: the second waits, then sees the first's rows.
      await lock(c, LOCK.listing, `${listing.kind}/${listing.account}/${region}`);
      const state = (await c.query("SELECT first_complete_at FROM listing_state WHERE kind = $1 AND account = $2 AND region = $3", [listing.kind, listing.account, region])).rows[0];
      const covered =
        listing.region === null
          ? await c.query("SELECT * FROM resources WHERE kind = $1 AND account = $2 ORDER BY region, id", [listing.kind, listing.account])
          : await c.query("SELECT * FROM resources WHERE kind = $1 AND account = $2 AND region = $3 ORDER BY region, id", [listing.kind, listing.account, listing.region]);
      const plan = planListing(listing, items, covered.rows.map(toResource), !state?.first_complete_at, at);
      // One statement per kind of write, whatever the listing's size (an account may have thousands).
      const col = <T>(rows: T[], f: (r: T) => unknown) => rows.map(f);
      if (plan.inserts.length) {
        const r = plan.inserts;
        await c.query(
          `INSERT INTO resources (kind, account, region, id, arn, name, provider, status, first_seen_at, status_since, last_seen_at)
           SELECT u.kind, u.account, u.region, u.id, u.arn, u.name, u.provider, u.status, $9, $9, $9
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(kind, account, region, id, arn, name, provider, status)`,
          [col(r, (x) => x.kind), col(r, (x) => x.account), col(r, (x) => x.region), col(r, (x) => x.id), col(r, (x) => x.arn), col(r, (x) => x.name), col(r, (x) => x.provider), col(r, (x) => x.status), at],
        );
      }
      if (plan.updates.length) {
        const r = plan.updates;
        await c.query(
          `UPDATE resources r SET arn = u.arn, name = u.name, provider = u.provider, status = u.status, status_since = u.since, last_seen_at = $10, deleted_at = NULL
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS u(kind, account, region, id, arn, name, provider, status, since)
           WHERE r.kind = u.kind AND r.account = u.account AND r.region = u.region AND r.id = u.id`,
          [col(r, (x) => x.kind), col(r, (x) => x.account), col(r, (x) => x.region), col(r, (x) => x.id), col(r, (x) => x.arn), col(r, (x) => x.name), col(r, (x) => x.provider), col(r, (x) => x.status), col(r, (x) => x.since), at],
        );
      }
      if (plan.deletes.length) {
        const r = plan.deletes;
        await c.query(
          `UPDATE resources r SET deleted_at = $5, status_since = $5
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(kind, account, region, id)
           WHERE r.kind = u.kind AND r.account = u.account AND r.region = u.region AND r.id = u.id`,
          [col(r, (x) => x.kind), col(r, (x) => x.account), col(r, (x) => x.region), col(r, (x) => x.id), at],
        );
      }
      const written: HistoryEntry[] = [];
      if (plan.entries.length) {
        const e = plan.entries;
        // Inserted in the plan's order, so seq follows it as on SQLite.
        const rows = await c.query<{ seq: string; region: string; id: string }>(
          `INSERT INTO status_history (kind, account, region, id, name, from_status, to_status, at, initial)
           SELECT u.kind, u.account, u.region, u.id, u.name, u.from_status, u.to_status, $9, u.initial
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[]) WITH ORDINALITY AS u(kind, account, region, id, name, from_status, to_status, initial, ord)
           ORDER BY u.ord
           RETURNING seq, region, id`,
          [col(e, (x) => x.kind), col(e, (x) => x.account), col(e, (x) => x.region), col(e, (x) => x.id), col(e, (x) => x.name), col(e, (x) => x.fromStatus), col(e, (x) => x.toStatus), col(e, (x) => (x.initial ? 1 : 0)), at],
        );
        // One entry per resource of the listing: its Region and id name it.
        const seqOf = new Map(rows.rows.map((r) => [`${r.region}\u0000${r.id}`, Number(r.seq)]));
        for (const x of e) written.push({ seq: seqOf.get(`${x.region}\u0000${x.id}`) as number, ...x });
      }
      const events = options.events ? statusEvents(plan, written) : [];
      if (events.length) {
        await c.query(
          `INSERT INTO event_outbox (event_key, detail_type, resources, detail, occurred_at, next_attempt_at, created_at)
           SELECT u.event_key, u.detail_type, u.resources, u.detail, $5, $5, $5
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(event_key, detail_type, resources, detail, ord)
           ORDER BY u.ord
           ON CONFLICT (event_key) DO NOTHING`,
          [col(events, (x) => x.eventKey), col(events, (x) => x.detailType), col(events, (x) => JSON.stringify(x.resources)), col(events, (x) => x.detail), at],
        );
      }
      await c.query(
        `INSERT INTO listing_state (kind, account, region, first_complete_at, last_complete_at, last_attempt_at, last_error, answered_region) VALUES ($1, $2, $3, $4, $4, $4, NULL, $5)
         ON CONFLICT (kind, account, region) DO UPDATE SET first_complete_at = COALESCE(listing_state.first_complete_at, excluded.first_complete_at),
           last_complete_at = excluded.last_complete_at, last_attempt_at = excluded.last_attempt_at, last_error = NULL, answered_region = excluded.answered_region`,
        [listing.kind, listing.account, region, at, answeredRegion ?? listing.region],
      );
      return written;
    });
  }

  async recordFailure(listing: ListingKey, error: string, at: string): Promise<void> {
    await this.db.query(
      `INSERT INTO listing_state (kind, account, region, last_attempt_at, last_error) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, account, region) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error`,
      [listing.kind, listing.account, listing.region ?? "", at, error],
    );
  }

  async resources(filter: { kind?: ResourceKind; includeDeleted?: boolean } = {}): Promise<ResourceRecord[]> {
    const where = [filter.kind ? "kind = $1" : null, filter.includeDeleted ? null : "deleted_at IS NULL"].filter(Boolean);
    const sql = `SELECT * FROM resources${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY kind, account, region, id`;
    return (await this.db.query(sql, filter.kind ? [filter.kind] : [])).rows.map(toResource);
  }

  async resource(kind: ResourceKind, account: string, region: string, id: string): Promise<ResourceRecord | null> {
    const row = (await this.db.query("SELECT * FROM resources WHERE kind = $1 AND account = $2 AND region = $3 AND id = $4", [kind, account, region, id])).rows[0];
    return row ? toResource(row) : null;
  }

  async findById(kind: ResourceKind, id: string): Promise<ResourceRecord[]> {
    return (await this.db.query(`SELECT * FROM resources WHERE kind = $1 AND lower(id) = ${nocase("$2")} ORDER BY account, region, id`, [kind, id])).rows.map(toResource);
  }

  async history(kind: ResourceKind, account: string, region: string, id: string): Promise<HistoryEntry[]> {
    return (await this.db.query("SELECT * FROM status_history WHERE kind = $1 AND account = $2 AND region = $3 AND id = $4 ORDER BY seq", [kind, account, region, id])).rows.map(toHistory);
  }

  async changesSince(since: string, limit: number): Promise<HistoryEntry[]> {
    return (await this.db.query("SELECT * FROM status_history WHERE at >= $1 AND initial = 0 ORDER BY seq DESC LIMIT $2", [since, limit])).rows.map(toHistory);
  }

  async listingStates(): Promise<ListingState[]> {
    return (await this.db.query<Row>("SELECT * FROM listing_state ORDER BY kind, account, region")).rows.map((r) => ({
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
