/**
 * Versioned schema. Each migration runs once, in order, inside a transaction; the applied
 * versions are recorded in schema_migrations. Never edit a shipped migration: add one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "status history, audit log, api tokens, watches",
    sql: `
      -- What Tether has seen of each connection and host: its current status and since when.
      CREATE TABLE resources (
        kind          TEXT NOT NULL CHECK (kind IN ('connection', 'host')),
        account       TEXT NOT NULL,
        region        TEXT NOT NULL,
        id            TEXT NOT NULL,
        arn           TEXT NOT NULL,
        name          TEXT NOT NULL,
        provider      TEXT NOT NULL,
        status        TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        status_since  TEXT NOT NULL,
        last_seen_at  TEXT NOT NULL,
        deleted_at    TEXT,
        PRIMARY KEY (kind, account, region, id)
      );

      -- Every change, appended: first seen, status changes, deletion, reappearance.
      CREATE TABLE status_history (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,
        account     TEXT NOT NULL,
        region      TEXT NOT NULL,
        id          TEXT NOT NULL,
        name        TEXT NOT NULL,
        from_status TEXT,
        to_status   TEXT NOT NULL,
        at          TEXT NOT NULL,
        -- 1 when recorded by the scope's first complete listing (bootstrap, not a change)
        initial     INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX status_history_resource ON status_history (kind, account, region, id, seq);
      CREATE INDEX status_history_at ON status_history (at);

      -- Listing health per scope: history only moves on complete listings.
      CREATE TABLE scope_state (
        account             TEXT NOT NULL,
        region              TEXT NOT NULL,
        first_complete_at   TEXT,
        last_complete_at    TEXT,
        last_attempt_at     TEXT,
        last_error          TEXT,
        PRIMARY KEY (account, region)
      );

      -- Append-only record of every admin action, refused attempts included.
      CREATE TABLE audit (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        at            TEXT NOT NULL,
        actor         TEXT NOT NULL,
        actor_role    TEXT NOT NULL,
        via           TEXT NOT NULL CHECK (via IN ('session', 'token', 'system')),
        action        TEXT NOT NULL,
        target_kind   TEXT NOT NULL,
        target        TEXT NOT NULL,
        target_name   TEXT,
        outcome       TEXT NOT NULL,
        status_before TEXT,
        detail        TEXT,
        related_id    INTEGER REFERENCES audit (id)
      );
      CREATE INDEX audit_at ON audit (at);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;

      -- API tokens: only a SHA-256 of the secret is kept.
      CREATE TABLE api_tokens (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
        token_hash   TEXT NOT NULL UNIQUE,
        hint         TEXT NOT NULL,
        created_by   TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        expires_at   TEXT,
        last_used_at TEXT,
        revoked_at   TEXT,
        revoked_by   TEXT
      );

      -- Connections and hosts Tether is watching after a resume / set-up.
      CREATE TABLE watches (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        kind          TEXT NOT NULL CHECK (kind IN ('connection', 'host')),
        account       TEXT NOT NULL,
        region        TEXT NOT NULL,
        resource_id   TEXT NOT NULL,
        arn           TEXT NOT NULL,
        name          TEXT NOT NULL,
        audit_id      INTEGER NOT NULL REFERENCES audit (id),
        started_by    TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        deadline_at   TEXT NOT NULL,
        status_before TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('watching', 'completed', 'failed', 'timeout')),
        last_status   TEXT,
        checks        INTEGER NOT NULL DEFAULT 0,
        finished_at   TEXT
      );
      CREATE INDEX watches_resource ON watches (kind, account, region, resource_id, id);
      CREATE INDEX watches_state ON watches (state);
    `,
  },
];
