import type { SharedListingRepo } from "@/lib/store/types";
import { str, type Row } from "@/lib/store/rows";
import type { Db } from "./database";
import type { Syncish } from "./index";

export class SqliteListings implements Syncish<SharedListingRepo> {
  constructor(private readonly db: Db) {}

  claimRefresh(key: string, now: string, notBefore: string): boolean {
    return (
      this.db
        .prepare(
          `INSERT INTO shared_listings (key, refreshed_at) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET refreshed_at = excluded.refreshed_at
           WHERE shared_listings.refreshed_at IS NULL OR shared_listings.refreshed_at <= ?`,
        )
        .run(key, now, notBefore).changes === 1
    );
  }

  saveComplete(key: string, listing: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO shared_listings (key, complete_at, complete) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET complete_at = excluded.complete_at, complete = excluded.complete
         WHERE shared_listings.complete_at IS NULL OR shared_listings.complete_at <= excluded.complete_at`,
      )
      .run(key, at, listing);
  }

  lastComplete(key: string): { listing: string; at: string } | null {
    const r = this.db.prepare("SELECT complete, complete_at FROM shared_listings WHERE key = ? AND complete IS NOT NULL").get(key) as Row | undefined;
    return r ? { listing: str(r.complete), at: str(r.complete_at) } : null;
  }
}
