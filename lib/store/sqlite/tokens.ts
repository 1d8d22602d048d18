import type { ApiToken, TokenRepo } from "@/lib/store/types";
import type { Db } from "./database";
import type { Syncish } from "./index";
import { toToken, type Row } from "@/lib/store/rows";

export class SqliteTokens implements Syncish<TokenRepo> {
  constructor(private readonly db: Db) {}

  create(t: Omit<ApiToken, "lastUsedAt" | "revokedAt" | "revokedBy" | "creatorGroups"> & { hash: string; creatorGroups?: string[] | null }): void {
    this.db
      .prepare(
        "INSERT INTO api_tokens (id, name, role, token_hash, hint, created_by, creator_groups, created_at, expires_at) VALUES (@id, @name, @role, @hash, @hint, @createdBy, @creatorGroups, @createdAt, @expiresAt)",
      )
      .run({ ...t, creatorGroups: t.creatorGroups ? JSON.stringify(t.creatorGroups) : null });
  }

  findByHash(hash: string): ApiToken | null {
    const row = this.db.prepare("SELECT * FROM api_tokens WHERE token_hash = ?").get(hash) as Row | undefined;
    return row ? toToken(row) : null;
  }

  list(): ApiToken[] {
    return (this.db.prepare("SELECT * FROM api_tokens ORDER BY created_at DESC").all() as Row[]).map(toToken);
  }

  get(id: string): ApiToken | null {
    const row = this.db.prepare("SELECT * FROM api_tokens WHERE id = ?").get(id) as Row | undefined;
    return row ? toToken(row) : null;
  }

  revoke(id: string, by: string, at: string): boolean {
    return this.db.prepare("UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL").run(at, by, id).changes === 1;
  }

  touch(id: string, at: string): void {
    this.db.prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").run(at, id);
  }
}
