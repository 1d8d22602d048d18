import type { SessionRepo, SignInSession } from "@/lib/store/types";
import type { Db } from "./database";
import type { Syncish } from "./index";
import { toSession, type Row } from "@/lib/store/rows";

export class SqliteSessions implements Syncish<SessionRepo> {
  constructor(private readonly db: Db) {}

  start(s: Pick<SignInSession, "id" | "actor" | "name" | "groups" | "createdAt" | "expiresAt">): void {
    this.db.prepare("INSERT INTO sessions (id, actor, name, groups, created_at, expires_at) VALUES (@id, @actor, @name, @groups, @createdAt, @expiresAt)").run({ ...s, groups: JSON.stringify(s.groups) });
  }

  get(id: string): SignInSession | null {
    const row = this.db.prepare("SELECT * FROM sessions WHERE id = ?").get(id) as Row | undefined;
    return row ? toSession(row) : null;
  }

  isActive(id: string, now: number): boolean {
    const s = this.get(id);
    return s !== null && s.endedAt === null && Date.parse(s.expiresAt) > now;
  }

  end(id: string, by: string, reason: string, at: string): boolean {
    return this.db.prepare("UPDATE sessions SET ended_at = ?, ended_by = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL").run(at, by, reason, id).changes === 1;
  }

  endAllOf(actor: string, by: string, reason: string, at: string): number {
    return this.db.prepare("UPDATE sessions SET ended_at = ?, ended_by = ?, end_reason = ? WHERE actor = ? COLLATE NOCASE AND ended_at IS NULL AND expires_at > ?").run(at, by, reason, actor, at).changes;
  }

  active(now: number): SignInSession[] {
    return (this.db.prepare("SELECT * FROM sessions WHERE ended_at IS NULL AND expires_at > ? ORDER BY created_at DESC").all(new Date(now).toISOString()) as Row[]).map(toSession);
  }

  latestOf(actor: string): SignInSession | null {
    const row = this.db.prepare("SELECT * FROM sessions WHERE actor = ? COLLATE NOCASE ORDER BY created_at DESC, rowid DESC LIMIT 1").get(actor) as Row | undefined;
    return row ? toSession(row) : null;
  }

  prune(before: string): number {
    // Each user's latest sign-in stays: it carries the groups their tokens act with.
    return this.db
      .prepare(
        `DELETE FROM sessions WHERE (expires_at < @before OR ended_at < @before)
           AND rowid NOT IN (SELECT rowid FROM sessions s WHERE s.created_at = (SELECT MAX(created_at) FROM sessions t WHERE t.actor = s.actor COLLATE NOCASE))`,
      )
      .run({ before }).changes;
  }
}
