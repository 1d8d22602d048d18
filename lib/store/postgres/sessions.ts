import type { SessionRepo, SignInSession } from "@/lib/store/types";
import { toSession } from "@/lib/store/rows";
import { nocase, type PgDatabase } from "./database";

export class PgSessions implements SessionRepo {
  constructor(private readonly db: PgDatabase) {}

  async start(s: Pick<SignInSession, "id" | "actor" | "name" | "groups" | "createdAt" | "expiresAt">): Promise<void> {
    await this.db.query("INSERT INTO sessions (id, actor, name, groups, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)", [s.id, s.actor, s.name, JSON.stringify(s.groups), s.createdAt, s.expiresAt]);
  }

  async get(id: string): Promise<SignInSession | null> {
    const row = (await this.db.query("SELECT * FROM sessions WHERE id = $1", [id])).rows[0];
    return row ? toSession(row) : null;
  }

  async isActive(id: string, now: number): Promise<boolean> {
    const s = await this.get(id);
    return s !== null && s.endedAt === null && Date.parse(s.expiresAt) > now;
  }

  async end(id: string, by: string, reason: string, at: string): Promise<boolean> {
    return (await this.db.query("UPDATE sessions SET ended_at = $1, ended_by = $2, end_reason = $3 WHERE id = $4 AND ended_at IS NULL", [at, by, reason, id])).rowCount === 1;
  }

  async endAllOf(actor: string, by: string, reason: string, at: string): Promise<number> {
    return (await this.db.query(`UPDATE sessions SET ended_at = $1, ended_by = $2, end_reason = $3 WHERE lower(actor) = ${nocase("$4")} AND ended_at IS NULL AND expires_at > $1`, [at, by, reason, actor])).rowCount ?? 0;
  }

  async active(now: number): Promise<SignInSession[]> {
    return (await this.db.query("SELECT * FROM sessions WHERE ended_at IS NULL AND expires_at > $1 ORDER BY created_at DESC, id", [new Date(now).toISOString()])).rows.map(toSession);
  }

  async latestOf(actor: string): Promise<SignInSession | null> {
    // SQLite breaks a tie of the same millisecond by insertion order (rowid); PostgreSQL has no
    // such order, so by id: two sign-ins of one user within a millisecond are told apart arbitrarily.
    const row = (await this.db.query(`SELECT * FROM sessions WHERE lower(actor) = ${nocase("$1")} ORDER BY created_at DESC, id DESC LIMIT 1`, [actor])).rows[0];
    return row ? toSession(row) : null;
  }

  async prune(before: string): Promise<number> {
    // Each user's latest sign-in stays: it carries the groups their tokens act with.
    return (
      (
        await this.db.query(
          `DELETE FROM sessions WHERE (expires_at < $1 OR ended_at < $1)
             AND id NOT IN (SELECT s.id FROM sessions s WHERE s.created_at = (SELECT MAX(t.created_at) FROM sessions t WHERE lower(t.actor) = lower(s.actor)))`,
          [before],
        )
      ).rowCount ?? 0
    );
  }
}
