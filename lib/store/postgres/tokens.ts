import type { ApiToken, TokenRepo } from "@/lib/store/types";
import { toToken } from "@/lib/store/rows";
import type { PgDatabase } from "./database";

export class PgTokens implements TokenRepo {
  constructor(private readonly db: PgDatabase) {}

  async create(t: Omit<ApiToken, "lastUsedAt" | "revokedAt" | "revokedBy" | "creatorGroups"> & { hash: string; creatorGroups?: string[] | null }): Promise<void> {
    await this.db.query(
      "INSERT INTO api_tokens (id, name, role, token_hash, hint, created_by, creator_groups, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      [t.id, t.name, t.role, t.hash, t.hint, t.createdBy, t.creatorGroups ? JSON.stringify(t.creatorGroups) : null, t.createdAt, t.expiresAt],
    );
  }

  async findByHash(hash: string): Promise<ApiToken | null> {
    const row = (await this.db.query("SELECT * FROM api_tokens WHERE token_hash = $1", [hash])).rows[0];
    return row ? toToken(row) : null;
  }

  async list(): Promise<ApiToken[]> {
    return (await this.db.query("SELECT * FROM api_tokens ORDER BY created_at DESC, id")).rows.map(toToken);
  }

  async get(id: string): Promise<ApiToken | null> {
    const row = (await this.db.query("SELECT * FROM api_tokens WHERE id = $1", [id])).rows[0];
    return row ? toToken(row) : null;
  }

  async revoke(id: string, by: string, at: string): Promise<boolean> {
    return (await this.db.query("UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL", [at, by, id])).rowCount === 1;
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", [at, id]);
  }
}
