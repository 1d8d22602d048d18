import type { SharedListingRepo } from "@/lib/store/types";
import { str } from "@/lib/store/rows";
import type { PgDatabase } from "./database";

/** Each statement decides under the row's lock (INSERT … ON CONFLICT DO UPDATE … WHERE): one claim wins. */
export class PgListings implements SharedListingRepo {
  constructor(private readonly db: PgDatabase) {}

  async claimRefresh(key: string, now: string, notBefore: string): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO shared_listings (key, refreshed_at) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET refreshed_at = excluded.refreshed_at
       WHERE shared_listings.refreshed_at IS NULL OR shared_listings.refreshed_at <= $3`,
      [key, now, notBefore],
    );
    return r.rowCount === 1;
  }

  async saveComplete(key: string, listing: string, at: string): Promise<void> {
    await this.db.query(
      `INSERT INTO shared_listings (key, complete_at, complete) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET complete_at = excluded.complete_at, complete = excluded.complete
       WHERE shared_listings.complete_at IS NULL OR shared_listings.complete_at <= excluded.complete_at`,
      [key, at, listing],
    );
  }

  async lastComplete(key: string): Promise<{ listing: string; at: string } | null> {
    const r = (await this.db.query("SELECT complete, complete_at FROM shared_listings WHERE key = $1 AND complete IS NOT NULL", [key])).rows[0];
    return r ? { listing: str(r.complete), at: str(r.complete_at) } : null;
  }
}
