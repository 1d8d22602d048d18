/**
 * Versioned schema, one text per engine. Each migration runs once, in order, inside a transaction;
 * the applied versions are recorded in schema_migrations. Never edit a shipped migration: add one.
 *
 * A version means the same tables on both engines: the same tables, columns (by name, in order),
 * named indexes and unique keys; lib/store/schema.test.ts migrates both and compares them, so a
 * migration written for one engine only fails the suite.
 */
export interface Migration {
  version: number;
  name: string;
  /** SQLite (better-sqlite3, lib/store/sqlite/database.ts). */
  sqlite: string;
  /**
   * PostgreSQL (lib/store/postgres/database.ts). Text columns are COLLATE "C": byte order, as
   * SQLite's BINARY, whatever the server's locale; SQLite's COLLATE NOCASE becomes lower(), which
   * under "C" folds ASCII letters only, as NOCASE does.
   */
  postgres: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "status history, audit log, api tokens, watches",
    sqlite: `
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
    postgres: `
      -- The same tables, columns, indexes and keys as the SQLite text. Text is COLLATE "C" (byte
      -- order, as SQLite's BINARY) so ordering and comparisons never depend on the server's locale;
      -- SQLite's COLLATE NOCASE becomes lower(), which folds ASCII only under "C", as NOCASE does.
      -- Integers the code reads as numbers or 0/1 flags stay INTEGER; AUTOINCREMENT ids are identities.
      CREATE TABLE resources (
        kind          TEXT COLLATE "C" NOT NULL CHECK (kind IN ('connection', 'host')),
        account       TEXT COLLATE "C" NOT NULL,
        region        TEXT COLLATE "C" NOT NULL,
        id            TEXT COLLATE "C" NOT NULL,
        arn           TEXT COLLATE "C" NOT NULL,
        name          TEXT COLLATE "C" NOT NULL,
        provider      TEXT COLLATE "C" NOT NULL,
        status        TEXT COLLATE "C" NOT NULL,
        first_seen_at TEXT COLLATE "C" NOT NULL,
        status_since  TEXT COLLATE "C" NOT NULL,
        last_seen_at  TEXT COLLATE "C" NOT NULL,
        deleted_at    TEXT COLLATE "C",
        PRIMARY KEY (kind, account, region, id)
      );

      CREATE TABLE status_history (
        seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind        TEXT COLLATE "C" NOT NULL,
        account     TEXT COLLATE "C" NOT NULL,
        region      TEXT COLLATE "C" NOT NULL,
        id          TEXT COLLATE "C" NOT NULL,
        name        TEXT COLLATE "C" NOT NULL,
        from_status TEXT COLLATE "C",
        to_status   TEXT COLLATE "C" NOT NULL,
        at          TEXT COLLATE "C" NOT NULL,
        initial     INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX status_history_resource ON status_history (kind, account, region, id, seq);
      CREATE INDEX status_history_at ON status_history (at);

      CREATE TABLE scope_state (
        account             TEXT COLLATE "C" NOT NULL,
        region              TEXT COLLATE "C" NOT NULL,
        first_complete_at   TEXT COLLATE "C",
        last_complete_at    TEXT COLLATE "C",
        last_attempt_at     TEXT COLLATE "C",
        last_error          TEXT COLLATE "C",
        PRIMARY KEY (account, region)
      );

      CREATE TABLE audit (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at            TEXT COLLATE "C" NOT NULL,
        actor         TEXT COLLATE "C" NOT NULL,
        actor_role    TEXT COLLATE "C" NOT NULL,
        via           TEXT COLLATE "C" NOT NULL CHECK (via IN ('session', 'token', 'system')),
        action        TEXT COLLATE "C" NOT NULL,
        target_kind   TEXT COLLATE "C" NOT NULL,
        target        TEXT COLLATE "C" NOT NULL,
        target_name   TEXT COLLATE "C",
        outcome       TEXT COLLATE "C" NOT NULL,
        status_before TEXT COLLATE "C",
        detail        TEXT COLLATE "C",
        related_id    BIGINT REFERENCES audit (id)
      );
      CREATE INDEX audit_at ON audit (at);
      -- Append-only, enforced by the database as the SQLite triggers do; TRUNCATE (which SQLite
      -- does not have) is refused too.
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit records are append-only';
      END
      $$;
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
      CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

      CREATE TABLE api_tokens (
        id           TEXT COLLATE "C" PRIMARY KEY,
        name         TEXT COLLATE "C" NOT NULL,
        role         TEXT COLLATE "C" NOT NULL CHECK (role IN ('viewer', 'admin')),
        token_hash   TEXT COLLATE "C" NOT NULL UNIQUE,
        hint         TEXT COLLATE "C" NOT NULL,
        created_by   TEXT COLLATE "C" NOT NULL,
        created_at   TEXT COLLATE "C" NOT NULL,
        expires_at   TEXT COLLATE "C",
        last_used_at TEXT COLLATE "C",
        revoked_at   TEXT COLLATE "C",
        revoked_by   TEXT COLLATE "C"
      );

      CREATE TABLE watches (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind          TEXT COLLATE "C" NOT NULL CHECK (kind IN ('connection', 'host')),
        account       TEXT COLLATE "C" NOT NULL,
        region        TEXT COLLATE "C" NOT NULL,
        resource_id   TEXT COLLATE "C" NOT NULL,
        arn           TEXT COLLATE "C" NOT NULL,
        name          TEXT COLLATE "C" NOT NULL,
        audit_id      BIGINT NOT NULL REFERENCES audit (id),
        started_by    TEXT COLLATE "C" NOT NULL,
        started_at    TEXT COLLATE "C" NOT NULL,
        deadline_at   TEXT COLLATE "C" NOT NULL,
        status_before TEXT COLLATE "C" NOT NULL,
        state         TEXT COLLATE "C" NOT NULL CHECK (state IN ('watching', 'completed', 'failed', 'timeout')),
        last_status   TEXT COLLATE "C",
        checks        INTEGER NOT NULL DEFAULT 0,
        finished_at   TEXT COLLATE "C"
      );
      CREATE INDEX watches_resource ON watches (kind, account, region, resource_id, id);
      CREATE INDEX watches_state ON watches (state);
    `,
  },
  {
    version: 2,
    name: "pipeline map and execution history",
    sqlite: `
      -- Pipeline declarations, refetched only when ListPipelines shows a new version or update time.
      CREATE TABLE pipelines (
        account        TEXT NOT NULL,
        region         TEXT NOT NULL,
        name           TEXT NOT NULL,
        version        INTEGER NOT NULL,
        pipeline_type  TEXT NOT NULL,
        updated        TEXT,
        definition     TEXT NOT NULL,
        fetched_at     TEXT NOT NULL,
        last_swept_at  TEXT,
        deleted_at     TEXT,
        PRIMARY KEY (account, region, name)
      );

      -- Source actions that use a connection, keyed by the connection's {account, region, uuid}
      -- (never by ARN string: either prefix names the same connection).
      CREATE TABLE pipeline_sources (
        account            TEXT NOT NULL,
        region             TEXT NOT NULL,
        pipeline           TEXT NOT NULL,
        action_name        TEXT NOT NULL,
        connection_account TEXT NOT NULL,
        connection_region  TEXT NOT NULL,
        connection_id      TEXT NOT NULL,
        connection_arn     TEXT NOT NULL,
        repository         TEXT NOT NULL,
        branch             TEXT NOT NULL,
        PRIMARY KEY (account, region, pipeline, action_name)
      );
      CREATE INDEX pipeline_sources_connection ON pipeline_sources (connection_account, connection_region, connection_id COLLATE NOCASE);

      -- Execution history, filled by the background sweep (pages never call AWS per pipeline).
      CREATE TABLE executions (
        account          TEXT NOT NULL,
        region           TEXT NOT NULL,
        pipeline         TEXT NOT NULL,
        execution_id     TEXT NOT NULL,
        status           TEXT NOT NULL,
        start_time       TEXT,
        last_update_time TEXT,
        trigger_type     TEXT,
        trigger_detail   TEXT,
        revision_id      TEXT,
        revision_summary TEXT,
        PRIMARY KEY (account, region, pipeline, execution_id)
      );
      CREATE INDEX executions_start ON executions (start_time);
      CREATE INDEX executions_pipeline ON executions (account, region, pipeline, start_time);

      -- When each scope's pipeline map was last complete (pipeline counts are unknown before).
      CREATE TABLE pipeline_maps (
        account   TEXT NOT NULL,
        region    TEXT NOT NULL,
        mapped_at TEXT NOT NULL,
        PRIMARY KEY (account, region)
      );
    `,
    postgres: `
      CREATE TABLE pipelines (
        account        TEXT COLLATE "C" NOT NULL,
        region         TEXT COLLATE "C" NOT NULL,
        name           TEXT COLLATE "C" NOT NULL,
        version        INTEGER NOT NULL,
        pipeline_type  TEXT COLLATE "C" NOT NULL,
        updated        TEXT COLLATE "C",
        definition     TEXT COLLATE "C" NOT NULL,
        fetched_at     TEXT COLLATE "C" NOT NULL,
        last_swept_at  TEXT COLLATE "C",
        deleted_at     TEXT COLLATE "C",
        PRIMARY KEY (account, region, name)
      );

      CREATE TABLE pipeline_sources (
        account            TEXT COLLATE "C" NOT NULL,
        region             TEXT COLLATE "C" NOT NULL,
        pipeline           TEXT COLLATE "C" NOT NULL,
        action_name        TEXT COLLATE "C" NOT NULL,
        connection_account TEXT COLLATE "C" NOT NULL,
        connection_region  TEXT COLLATE "C" NOT NULL,
        connection_id      TEXT COLLATE "C" NOT NULL,
        connection_arn     TEXT COLLATE "C" NOT NULL,
        repository         TEXT COLLATE "C" NOT NULL,
        branch             TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (account, region, pipeline, action_name)
      );
      CREATE INDEX pipeline_sources_connection ON pipeline_sources (connection_account, connection_region, lower(connection_id));

      CREATE TABLE executions (
        account          TEXT COLLATE "C" NOT NULL,
        region           TEXT COLLATE "C" NOT NULL,
        pipeline         TEXT COLLATE "C" NOT NULL,
        execution_id     TEXT COLLATE "C" NOT NULL,
        status           TEXT COLLATE "C" NOT NULL,
        start_time       TEXT COLLATE "C",
        last_update_time TEXT COLLATE "C",
        trigger_type     TEXT COLLATE "C",
        trigger_detail   TEXT COLLATE "C",
        revision_id      TEXT COLLATE "C",
        revision_summary TEXT COLLATE "C",
        PRIMARY KEY (account, region, pipeline, execution_id)
      );
      CREATE INDEX executions_start ON executions (start_time);
      CREATE INDEX executions_pipeline ON executions (account, region, pipeline, start_time);

      CREATE TABLE pipeline_maps (
        account   TEXT COLLATE "C" NOT NULL,
        region    TEXT COLLATE "C" NOT NULL,
        mapped_at TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (account, region)
      );
    `,
  },
  {
    version: 3,
    name: "pushes, latency samples, missed triggers, metric outbox",
    sqlite: `
      -- A push finds the pipelines watching its repository without reading every declaration.
      CREATE INDEX pipeline_sources_repository ON pipeline_sources (repository COLLATE NOCASE);

      -- Every authenticated delivery, so a re-delivery is answered "duplicate" whatever it was.
      CREATE TABLE deliveries (
        provider    TEXT NOT NULL,
        delivery_id TEXT NOT NULL,
        event       TEXT NOT NULL,
        status      TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (provider, delivery_id)
      );

      -- Push webhooks received (committed before the 2xx answer).
      CREATE TABLE pushes (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        provider     TEXT NOT NULL,
        delivery_id  TEXT NOT NULL,
        repository   TEXT NOT NULL,
        branch       TEXT NOT NULL,
        sha          TEXT NOT NULL,
        before_sha   TEXT,
        -- JSON array of changed files, or NULL when the payload does not list them all
        paths        TEXT,
        pushed_at    TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        evaluated_at TEXT,
        UNIQUE (provider, delivery_id)
      );
      CREATE INDEX pushes_sha ON pushes (sha);
      CREATE INDEX pushes_repo_branch ON pushes (repository, branch, pushed_at);
      CREATE INDEX pushes_unevaluated ON pushes (evaluated_at, received_at);

      -- One row per webhook-triggered execution joined (or not) with its push.
      CREATE TABLE samples (
        account       TEXT NOT NULL,
        region        TEXT NOT NULL,
        pipeline      TEXT NOT NULL,
        execution_id  TEXT NOT NULL,
        push_id       INTEGER REFERENCES pushes (id),
        connection_id TEXT,
        provider      TEXT,
        latency_ms    REAL,
        start_time    TEXT NOT NULL,
        -- sample: a latency; negative: dropped (clock skew); no-push: no push for its commit
        kind          TEXT NOT NULL CHECK (kind IN ('sample', 'negative', 'no-push')),
        created_at    TEXT NOT NULL,
        PRIMARY KEY (account, region, pipeline, execution_id)
      );
      CREATE INDEX samples_start ON samples (start_time);

      -- Pushes that should have started a pipeline and did not (or could not be evaluated).
      CREATE TABLE missed_triggers (
        push_id       INTEGER NOT NULL REFERENCES pushes (id),
        account       TEXT NOT NULL,
        region        TEXT NOT NULL,
        pipeline      TEXT NOT NULL,
        connection_id TEXT,
        provider      TEXT,
        state         TEXT NOT NULL CHECK (state IN ('missed', 'unknown')),
        reason        TEXT NOT NULL,
        detected_at   TEXT NOT NULL,
        PRIMARY KEY (push_id, account, region, pipeline)
      );
      CREATE INDEX missed_detected ON missed_triggers (detected_at);

      -- Metric values waiting for PutMetricData: kept until CloudWatch accepts them, so an
      -- outage or a restart loses nothing; dropped (with the reason) only when CloudWatch would
      -- refuse them.
      CREATE TABLE metric_outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        metric          TEXT NOT NULL,
        unit            TEXT NOT NULL,
        value           REAL NOT NULL,
        at              TEXT NOT NULL,
        pipeline        TEXT,
        connection_id   TEXT,
        provider        TEXT,
        -- 1: also counted in the fleet-wide set {} (0 for per-pipeline copies of a per-push count)
        fleet           INTEGER NOT NULL DEFAULT 1,
        state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published', 'dropped')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        reason          TEXT,
        done_at         TEXT,
        -- what produced it, so the same event never publishes twice
        source          TEXT NOT NULL UNIQUE
      );
      CREATE INDEX metric_outbox_due ON metric_outbox (state, next_attempt_at);
    `,
    postgres: `
      CREATE INDEX pipeline_sources_repository ON pipeline_sources (lower(repository));

      CREATE TABLE deliveries (
        provider    TEXT COLLATE "C" NOT NULL,
        delivery_id TEXT COLLATE "C" NOT NULL,
        event       TEXT COLLATE "C" NOT NULL,
        status      TEXT COLLATE "C" NOT NULL,
        received_at TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (provider, delivery_id)
      );

      CREATE TABLE pushes (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        provider     TEXT COLLATE "C" NOT NULL,
        delivery_id  TEXT COLLATE "C" NOT NULL,
        repository   TEXT COLLATE "C" NOT NULL,
        branch       TEXT COLLATE "C" NOT NULL,
        sha          TEXT COLLATE "C" NOT NULL,
        before_sha   TEXT COLLATE "C",
        paths        TEXT COLLATE "C",
        pushed_at    TEXT COLLATE "C" NOT NULL,
        received_at  TEXT COLLATE "C" NOT NULL,
        evaluated_at TEXT COLLATE "C",
        UNIQUE (provider, delivery_id)
      );
      CREATE INDEX pushes_sha ON pushes (sha);
      CREATE INDEX pushes_repo_branch ON pushes (repository, branch, pushed_at);
      CREATE INDEX pushes_unevaluated ON pushes (evaluated_at, received_at);

      CREATE TABLE samples (
        account       TEXT COLLATE "C" NOT NULL,
        region        TEXT COLLATE "C" NOT NULL,
        pipeline      TEXT COLLATE "C" NOT NULL,
        execution_id  TEXT COLLATE "C" NOT NULL,
        push_id       BIGINT REFERENCES pushes (id),
        connection_id TEXT COLLATE "C",
        provider      TEXT COLLATE "C",
        latency_ms    DOUBLE PRECISION,
        start_time    TEXT COLLATE "C" NOT NULL,
        kind          TEXT COLLATE "C" NOT NULL CHECK (kind IN ('sample', 'negative', 'no-push')),
        created_at    TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (account, region, pipeline, execution_id)
      );
      CREATE INDEX samples_start ON samples (start_time);

      CREATE TABLE missed_triggers (
        push_id       BIGINT NOT NULL REFERENCES pushes (id),
        account       TEXT COLLATE "C" NOT NULL,
        region        TEXT COLLATE "C" NOT NULL,
        pipeline      TEXT COLLATE "C" NOT NULL,
        connection_id TEXT COLLATE "C",
        provider      TEXT COLLATE "C",
        state         TEXT COLLATE "C" NOT NULL CHECK (state IN ('missed', 'unknown')),
        reason        TEXT COLLATE "C" NOT NULL,
        detected_at   TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (push_id, account, region, pipeline)
      );
      CREATE INDEX missed_detected ON missed_triggers (detected_at);

      CREATE TABLE metric_outbox (
        id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        metric          TEXT COLLATE "C" NOT NULL,
        unit            TEXT COLLATE "C" NOT NULL,
        value           DOUBLE PRECISION NOT NULL,
        at              TEXT COLLATE "C" NOT NULL,
        pipeline        TEXT COLLATE "C",
        connection_id   TEXT COLLATE "C",
        provider        TEXT COLLATE "C",
        fleet           INTEGER NOT NULL DEFAULT 1,
        state           TEXT COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published', 'dropped')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT COLLATE "C" NOT NULL,
        reason          TEXT COLLATE "C",
        done_at         TEXT COLLATE "C",
        source          TEXT COLLATE "C" NOT NULL UNIQUE
      );
      CREATE INDEX metric_outbox_due ON metric_outbox (state, next_attempt_at);
    `,
  },
  {
    version: 4,
    name: "bounded commit lookups; indexes for the join and for pruning",
    sqlite: `
      -- Executions whose commit cannot be found (failed at Source, gone, scope no longer watched)
      -- leave the lookup queue after a few tries instead of blocking newer ones for two weeks.
      ALTER TABLE executions ADD COLUMN revision_attempts INTEGER NOT NULL DEFAULT 0;
      -- The join asks for the first push Tether received on every cycle, and for the executions
      -- of one commit on every push; repositories compare case-insensitively.
      CREATE INDEX pushes_received ON pushes (received_at);
      CREATE INDEX executions_revision ON executions (revision_id);
      DROP INDEX pushes_repo_branch;
      CREATE INDEX pushes_repo_branch ON pushes (repository COLLATE NOCASE, branch, pushed_at);
      -- Pruning (LatencyRepo.prune) by age.
      CREATE INDEX deliveries_received ON deliveries (received_at);
      CREATE INDEX metric_outbox_done ON metric_outbox (done_at) WHERE state != 'pending';
    `,
    postgres: `
      ALTER TABLE executions ADD COLUMN revision_attempts INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX pushes_received ON pushes (received_at);
      CREATE INDEX executions_revision ON executions (revision_id);
      DROP INDEX pushes_repo_branch;
      CREATE INDEX pushes_repo_branch ON pushes (lower(repository), branch, pushed_at);
      CREATE INDEX deliveries_received ON deliveries (received_at);
      CREATE INDEX metric_outbox_done ON metric_outbox (done_at) WHERE state <> 'pending';
    `,
  },
  {
    version: 5,
    name: "connections are account-global: listing state per account for connections",
    sqlite: `
      -- AWS lists an account's connections of every home Region from any Region, so Tether lists
      -- connections once per account and hosts once per account and Region. The state of complete
      -- listings ("data as of", errors, whether history may move) follows the same split:
      -- kind 'connection' rows have region '' (the whole account), kind 'host' rows name their Region.
      CREATE TABLE listing_state (
        kind              TEXT NOT NULL CHECK (kind IN ('connection', 'host')),
        account           TEXT NOT NULL,
        region            TEXT NOT NULL DEFAULT '',
        first_complete_at TEXT,
        last_complete_at  TEXT,
        last_attempt_at   TEXT,
        last_error        TEXT,
        -- the Region whose endpoint gave the last complete listing (connections)
        answered_region   TEXT,
        PRIMARY KEY (kind, account, region)
      );
      -- Hosts keep their per-scope state as it was.
      INSERT INTO listing_state (kind, account, region, first_complete_at, last_complete_at, last_attempt_at, last_error)
        SELECT 'host', account, region, first_complete_at, last_complete_at, last_attempt_at, last_error FROM scope_state;
      -- An account's connections were complete as soon as one of its scopes was; its latest
      -- attempt's error stands only if that attempt came after the latest complete listing.
      INSERT INTO listing_state (kind, account, region, first_complete_at, last_complete_at, last_attempt_at, last_error, answered_region)
        SELECT 'connection', s.account, '', MIN(s.first_complete_at), MAX(s.last_complete_at), MAX(s.last_attempt_at),
          (SELECT l.last_error FROM scope_state l WHERE l.account = s.account AND l.last_error IS NOT NULL
             AND (l.last_complete_at IS NULL OR l.last_attempt_at > l.last_complete_at)
             AND l.last_attempt_at = (SELECT MAX(m.last_attempt_at) FROM scope_state m WHERE m.account = s.account)
           LIMIT 1),
          (SELECT c.region FROM scope_state c WHERE c.account = s.account AND c.last_complete_at IS NOT NULL ORDER BY c.last_complete_at DESC LIMIT 1)
        FROM scope_state s GROUP BY s.account;
      DROP TABLE scope_state;
    `,
    postgres: `
      CREATE TABLE listing_state (
        kind              TEXT COLLATE "C" NOT NULL CHECK (kind IN ('connection', 'host')),
        account           TEXT COLLATE "C" NOT NULL,
        region            TEXT COLLATE "C" NOT NULL DEFAULT '',
        first_complete_at TEXT COLLATE "C",
        last_complete_at  TEXT COLLATE "C",
        last_attempt_at   TEXT COLLATE "C",
        last_error        TEXT COLLATE "C",
        answered_region   TEXT COLLATE "C",
        PRIMARY KEY (kind, account, region)
      );
      INSERT INTO listing_state (kind, account, region, first_complete_at, last_complete_at, last_attempt_at, last_error)
        SELECT 'host', account, region, first_complete_at, last_complete_at, last_attempt_at, last_error FROM scope_state;
      INSERT INTO listing_state (kind, account, region, first_complete_at, last_complete_at, last_attempt_at, last_error, answered_region)
        SELECT 'connection', s.account, '', MIN(s.first_complete_at), MAX(s.last_complete_at), MAX(s.last_attempt_at),
          (SELECT l.last_error FROM scope_state l WHERE l.account = s.account AND l.last_error IS NOT NULL
             AND (l.last_complete_at IS NULL OR l.last_attempt_at > l.last_complete_at)
             AND l.last_attempt_at = (SELECT MAX(m.last_attempt_at) FROM scope_state m WHERE m.account = s.account)
           LIMIT 1),
          (SELECT c.region FROM scope_state c WHERE c.account = s.account AND c.last_complete_at IS NOT NULL ORDER BY c.last_complete_at DESC LIMIT 1)
        FROM scope_state s GROUP BY s.account;
      DROP TABLE scope_state;
    `,
  },
  {
    version: 6,
    name: "server-side sessions, refusal bursts, token creators' groups, same-push lookup",
    sqlite: `
      -- One row per sign-in. The session cookie names its row; a session is valid while its row
      -- is not ended and not past expires_at (TETHER_SESSION_MAX_HOURS after sign-in), so
      -- sign-out and an admin can end it on the server, whatever copy of the cookie exists.
      CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        actor       TEXT NOT NULL,
        name        TEXT,
        -- JSON array: the groups the identity provider gave at this sign-in
        groups      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL,
        ended_at    TEXT,
        ended_by    TEXT,
        end_reason  TEXT
      );
      CREATE INDEX sessions_actor ON sessions (actor COLLATE NOCASE, created_at);
      CREATE INDEX sessions_expires ON sessions (expires_at);

      -- Refusals folded into one audit summary per actor and action per minute (the audit table
      -- itself stays append-only): the first refusal's record, and how many followed it.
      CREATE TABLE audit_bursts (
        key        TEXT PRIMARY KEY,
        first_id   INTEGER NOT NULL REFERENCES audit (id),
        ends_at    TEXT NOT NULL,
        more       INTEGER NOT NULL DEFAULT 0,
        -- JSON array: the first few distinct targets of the refusals that followed
        targets    TEXT NOT NULL DEFAULT '[]',
        -- 1 once a refusal that followed named another target than the first
        varied     INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX audit_bursts_ends ON audit_bursts (ends_at);

      -- The groups of a token's creator when they made it (a token acts with at most the
      -- creator's current role; their latest sign-in's groups win when there is one).
      ALTER TABLE api_tokens ADD COLUMN creator_groups TEXT;

      -- A push replayed under a new delivery id is found by what it pushed.
      CREATE INDEX pushes_same_push ON pushes (provider, repository COLLATE NOCASE, branch, sha);
    `,
    postgres: `
      CREATE TABLE sessions (
        id          TEXT COLLATE "C" PRIMARY KEY,
        actor       TEXT COLLATE "C" NOT NULL,
        name        TEXT COLLATE "C",
        groups      TEXT COLLATE "C" NOT NULL,
        created_at  TEXT COLLATE "C" NOT NULL,
        expires_at  TEXT COLLATE "C" NOT NULL,
        ended_at    TEXT COLLATE "C",
        ended_by    TEXT COLLATE "C",
        end_reason  TEXT COLLATE "C"
      );
      CREATE INDEX sessions_actor ON sessions (lower(actor), created_at);
      CREATE INDEX sessions_expires ON sessions (expires_at);

      CREATE TABLE audit_bursts (
        key        TEXT COLLATE "C" PRIMARY KEY,
        first_id   BIGINT NOT NULL REFERENCES audit (id),
        ends_at    TEXT COLLATE "C" NOT NULL,
        more       INTEGER NOT NULL DEFAULT 0,
        targets    TEXT COLLATE "C" NOT NULL DEFAULT '[]',
        varied     INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX audit_bursts_ends ON audit_bursts (ends_at);

      ALTER TABLE api_tokens ADD COLUMN creator_groups TEXT COLLATE "C";

      CREATE INDEX pushes_same_push ON pushes (provider, lower(repository), branch, sha);
    `,
  },
  {
    version: 7,
    name: "execution sweep: attempts apart from successes",
    sqlite: `
      -- The sweep takes the least recently ATTEMPTED pipelines first, so a pipeline whose scope
      -- fails goes to the back of the queue instead of starving every healthy one; last_swept_at
      -- stays the last SUCCESSFUL sweep (verdicts need it), last_sweep_error says why it failed.
      ALTER TABLE pipelines ADD COLUMN last_sweep_attempt_at TEXT;
      ALTER TABLE pipelines ADD COLUMN last_sweep_error TEXT;
      UPDATE pipelines SET last_sweep_attempt_at = last_swept_at;
      CREATE INDEX pipelines_sweep_order ON pipelines (last_sweep_attempt_at);
    `,
    postgres: `
      ALTER TABLE pipelines ADD COLUMN last_sweep_attempt_at TEXT COLLATE "C";
      ALTER TABLE pipelines ADD COLUMN last_sweep_error TEXT COLLATE "C";
      UPDATE pipelines SET last_sweep_attempt_at = last_swept_at;
      CREATE INDEX pipelines_sweep_order ON pipelines (last_sweep_attempt_at);
    `,
  },
  {
    version: 8,
    name: "alerts: rule settings, alerts and their transitions, notification outbox, maintenance windows, job runs",
    sqlite: `
      -- An admin's changes to a built-in rule; a rule without a row runs with its defaults.
      CREATE TABLE alert_rules (
        rule_id    TEXT PRIMARY KEY,
        enabled    INTEGER NOT NULL,
        -- JSON object: the thresholds changed, by parameter key
        params     TEXT NOT NULL,
        -- JSON array of channel ids; NULL = every configured channel
        channels   TEXT,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      );

      -- One row per alert: it fires, may be acknowledged or silenced, and resolves. A new firing of
      -- the same rule and subject is a new row; resolved rows are the history.
      CREATE TABLE alerts (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id          TEXT NOT NULL,
        -- kind|account|region|id: one firing alert per rule and subject (index below)
        subject_key      TEXT NOT NULL,
        subject_kind     TEXT NOT NULL,
        subject_id       TEXT NOT NULL,
        subject_name     TEXT NOT NULL,
        subject_account  TEXT,
        subject_region   TEXT,
        subject_arn      TEXT,
        subject_provider TEXT,
        state            TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
        -- when the condition began, as far as Tether knows
        since            TEXT NOT NULL,
        fired_at         TEXT NOT NULL,
        resolved_at      TEXT,
        summary          TEXT NOT NULL,
        detail           TEXT NOT NULL,
        -- the last transition whose notifications were queued; NULL = never notified
        last_notified_at TEXT,
        acknowledged_at  TEXT,
        acknowledged_by  TEXT,
        ack_reason       TEXT,
        silenced_until   TEXT,
        silenced_by      TEXT,
        silence_reason   TEXT
      );
      CREATE UNIQUE INDEX alerts_one_firing ON alerts (rule_id, subject_key) WHERE state = 'firing';
      CREATE INDEX alerts_state ON alerts (state, fired_at);
      CREATE INDEX alerts_rule ON alerts (rule_id, fired_at);
      CREATE INDEX alerts_resolved ON alerts (resolved_at);

      -- What the evaluation remembers between passes, per rule and subject: how many consecutive
      -- evaluations found the condition true or false (flapping is damped over two), and since when
      -- it first saw the rule's finding. Kept across restarts so a restart neither re-fires nor
      -- forgets half a confirmation.
      CREATE TABLE alert_tracking (
        rule_id        TEXT NOT NULL,
        subject_key    TEXT NOT NULL,
        observed_since TEXT,
        true_count     INTEGER NOT NULL DEFAULT 0,
        false_count    INTEGER NOT NULL DEFAULT 0,
        evaluated_at   TEXT NOT NULL,
        PRIMARY KEY (rule_id, subject_key)
      );

      -- Every transition of an alert: fired, renotified, resolved (these notify), acknowledged,
      -- silenced (recorded only). The event is the notification's content as of the transition,
      -- so every retry of a delivery sends the same thing.
      CREATE TABLE alert_transitions (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL REFERENCES alerts (id),
        kind     TEXT NOT NULL CHECK (kind IN ('fired', 'renotified', 'resolved', 'acknowledged', 'silenced')),
        at       TEXT NOT NULL,
        actor    TEXT,
        -- the reason given, or why no notification was sent
        note     TEXT,
        notified INTEGER NOT NULL DEFAULT 0,
        -- JSON: the AlertEvent
        event    TEXT NOT NULL
      );
      CREATE INDEX alert_transitions_alert ON alert_transitions (alert_id, id);

      -- One delivery per (transition, channel), written in the same transaction as the transition:
      -- kept until the channel accepts it or it is given up, so a restart loses nothing, and the
      -- unique key means one transition is never queued twice for a channel.
      CREATE TABLE notification_outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        transition_id   INTEGER NOT NULL REFERENCES alert_transitions (id),
        channel         TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_status     INTEGER,
        last_error      TEXT,
        created_at      TEXT NOT NULL,
        done_at         TEXT,
        UNIQUE (transition_id, channel)
      );
      CREATE INDEX notification_outbox_due ON notification_outbox (state, next_attempt_at);

      -- Maintenance windows: notifications of alerts whose subject is in scope are held while one is
      -- active. account NULL = every account and the fleet-wide subjects; region NULL = every Region.
      CREATE TABLE maintenance_windows (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        account    TEXT,
        region     TEXT,
        starts_at  TEXT NOT NULL,
        ends_at    TEXT NOT NULL,
        reason     TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX maintenance_windows_ends ON maintenance_windows (ends_at);

      -- The last run of each background job (the poller, the metric publisher), for the rules that
      -- watch Tether itself.
      CREATE TABLE job_runs (
        job         TEXT PRIMARY KEY,
        last_run_at TEXT NOT NULL,
        last_ok_at  TEXT,
        last_error  TEXT
      );
    `,
    postgres: `
      CREATE TABLE alert_rules (
        rule_id    TEXT COLLATE "C" PRIMARY KEY,
        enabled    INTEGER NOT NULL,
        params     TEXT COLLATE "C" NOT NULL,
        channels   TEXT COLLATE "C",
        updated_at TEXT COLLATE "C" NOT NULL,
        updated_by TEXT COLLATE "C" NOT NULL
      );

      CREATE TABLE alerts (
        id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rule_id          TEXT COLLATE "C" NOT NULL,
        subject_key      TEXT COLLATE "C" NOT NULL,
        subject_kind     TEXT COLLATE "C" NOT NULL,
        subject_id       TEXT COLLATE "C" NOT NULL,
        subject_name     TEXT COLLATE "C" NOT NULL,
        subject_account  TEXT COLLATE "C",
        subject_region   TEXT COLLATE "C",
        subject_arn      TEXT COLLATE "C",
        subject_provider TEXT COLLATE "C",
        state            TEXT COLLATE "C" NOT NULL CHECK (state IN ('firing', 'resolved')),
        since            TEXT COLLATE "C" NOT NULL,
        fired_at         TEXT COLLATE "C" NOT NULL,
        resolved_at      TEXT COLLATE "C",
        summary          TEXT COLLATE "C" NOT NULL,
        detail           TEXT COLLATE "C" NOT NULL,
        last_notified_at TEXT COLLATE "C",
        acknowledged_at  TEXT COLLATE "C",
        acknowledged_by  TEXT COLLATE "C",
        ack_reason       TEXT COLLATE "C",
        silenced_until   TEXT COLLATE "C",
        silenced_by      TEXT COLLATE "C",
        silence_reason   TEXT COLLATE "C"
      );
      -- The same partial unique index: two evaluations (two replicas) firing the same rule and
      -- subject at once leave one firing alert; the second insert fails and its transaction rolls back.
      CREATE UNIQUE INDEX alerts_one_firing ON alerts (rule_id, subject_key) WHERE state = 'firing';
      CREATE INDEX alerts_state ON alerts (state, fired_at);
      CREATE INDEX alerts_rule ON alerts (rule_id, fired_at);
      CREATE INDEX alerts_resolved ON alerts (resolved_at);

      CREATE TABLE alert_tracking (
        rule_id        TEXT COLLATE "C" NOT NULL,
        subject_key    TEXT COLLATE "C" NOT NULL,
        observed_since TEXT COLLATE "C",
        true_count     INTEGER NOT NULL DEFAULT 0,
        false_count    INTEGER NOT NULL DEFAULT 0,
        evaluated_at   TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (rule_id, subject_key)
      );

      CREATE TABLE alert_transitions (
        id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alert_id BIGINT NOT NULL REFERENCES alerts (id),
        kind     TEXT COLLATE "C" NOT NULL CHECK (kind IN ('fired', 'renotified', 'resolved', 'acknowledged', 'silenced')),
        at       TEXT COLLATE "C" NOT NULL,
        actor    TEXT COLLATE "C",
        note     TEXT COLLATE "C",
        notified INTEGER NOT NULL DEFAULT 0,
        event    TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX alert_transitions_alert ON alert_transitions (alert_id, id);

      CREATE TABLE notification_outbox (
        id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transition_id   BIGINT NOT NULL REFERENCES alert_transitions (id),
        channel         TEXT COLLATE "C" NOT NULL,
        state           TEXT COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT COLLATE "C" NOT NULL,
        last_status     INTEGER,
        last_error      TEXT COLLATE "C",
        created_at      TEXT COLLATE "C" NOT NULL,
        done_at         TEXT COLLATE "C",
        UNIQUE (transition_id, channel)
      );
      CREATE INDEX notification_outbox_due ON notification_outbox (state, next_attempt_at);

      CREATE TABLE maintenance_windows (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account    TEXT COLLATE "C",
        region     TEXT COLLATE "C",
        starts_at  TEXT COLLATE "C" NOT NULL,
        ends_at    TEXT COLLATE "C" NOT NULL,
        reason     TEXT COLLATE "C" NOT NULL,
        created_by TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX maintenance_windows_ends ON maintenance_windows (ends_at);

      CREATE TABLE job_runs (
        job         TEXT COLLATE "C" PRIMARY KEY,
        last_run_at TEXT COLLATE "C" NOT NULL,
        last_ok_at  TEXT COLLATE "C",
        last_error  TEXT COLLATE "C"
      );
    `,
  },
  {
    version: 9,
    name: "leases: one replica runs each background job",
    sqlite: `
      -- A named lease per background job (the poll, the latency cycle, the watches): the replica
      -- whose holder id is here runs the job until expires_at; it renews well before then, and
      -- when it dies another replica takes the lease once it has expired (lib/repeat.ts).
      CREATE TABLE leases (
        name         TEXT PRIMARY KEY,
        holder       TEXT NOT NULL,
        acquired_at  TEXT NOT NULL,
        expires_at   TEXT NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE leases (
        name         TEXT COLLATE "C" PRIMARY KEY,
        holder       TEXT COLLATE "C" NOT NULL,
        acquired_at  TEXT COLLATE "C" NOT NULL,
        expires_at   TEXT COLLATE "C" NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: "metric outbox: values claimed by one publisher",
    sqlite: `
      -- A publisher claims the values it is about to send until claimed_until: no other replica
      -- takes them meanwhile; publishing, dropping or a retry clears the claim, and a publisher that
      -- died leaves values that are due again once the claim has run out.
      ALTER TABLE metric_outbox ADD COLUMN claimed_until TEXT;
    `,
    postgres: `
      ALTER TABLE metric_outbox ADD COLUMN claimed_until TEXT COLLATE "C";
    `,
  },
  {
    version: 11,
    name: "listings shared by replicas: forced refreshes and the last complete listing",
    sqlite: `
      -- Per listing (an account's connections, a scope's hosts): when a replica last relisted it on
      -- a forced refresh (the limit TETHER_MIN_REFRESH_SECONDS holds across replicas), and its last
      -- complete listing as JSON (what a replica shows while the listing fails).
      CREATE TABLE shared_listings (
        key           TEXT PRIMARY KEY,
        refreshed_at  TEXT,
        complete_at   TEXT,
        complete      TEXT
      );
    `,
    postgres: `
      CREATE TABLE shared_listings (
        key           TEXT COLLATE "C" PRIMARY KEY,
        refreshed_at  TEXT COLLATE "C",
        complete_at   TEXT COLLATE "C",
        complete      TEXT COLLATE "C"
      );
    `,
  },
  {
    version: 12,
    name: "event outbox: status changes for the EventBridge bus, written with the history entry",
    sqlite: `
      -- One row per event Tether puts on its EventBridge bus (TETHER_NOTIFY_EVENT_BUS) that is not an
      -- alert transition: a connection's or host's status change, written in the same transaction as
      -- its status_history entry (event_key "status-<seq>", unique: never queued twice). Sent in
      -- PutEvents batches; an attempt holds the row until next_attempt_at (a lease), like
      -- notification_outbox. detail and resources are JSON.
      CREATE TABLE event_outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        event_key       TEXT NOT NULL UNIQUE,
        detail_type     TEXT NOT NULL,
        resources       TEXT NOT NULL,
        detail          TEXT NOT NULL,
        occurred_at     TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error      TEXT,
        created_at      TEXT NOT NULL,
        done_at         TEXT
      );
      CREATE INDEX event_outbox_due ON event_outbox (state, next_attempt_at);
    `,
    postgres: `
      CREATE TABLE event_outbox (
        id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_key       TEXT COLLATE "C" NOT NULL UNIQUE,
        detail_type     TEXT COLLATE "C" NOT NULL,
        resources       TEXT COLLATE "C" NOT NULL,
        detail          TEXT COLLATE "C" NOT NULL,
        occurred_at     TEXT COLLATE "C" NOT NULL,
        state           TEXT COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT COLLATE "C" NOT NULL,
        last_error      TEXT COLLATE "C",
        created_at      TEXT COLLATE "C" NOT NULL,
        done_at         TEXT COLLATE "C"
      );
      CREATE INDEX event_outbox_due ON event_outbox (state, next_attempt_at);
    `,
  },
  {
    version: 13,
    name: "organization discovery: each run and what it found",
    sqlite: `
      -- One row per discovery of the organization's accounts (lib/fleet/discovery.ts): when, who
      -- asked (the schedule or an admin), and what it found as JSON (the accounts watched and
      -- those skipped, with why), or why the run failed. The newest successful run's accounts are
      -- the discovered scopes of every replica, and of a restarted one until it runs again; only
      -- the newest runs are kept (DISCOVERY_RUNS_KEPT).
      CREATE TABLE discovery_runs (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at   TEXT NOT NULL,
        finished_at  TEXT NOT NULL,
        trigger      TEXT NOT NULL,
        outcome      TEXT NOT NULL CHECK (outcome IN ('ok', 'error')),
        error        TEXT,
        result       TEXT
      );
      CREATE INDEX discovery_runs_outcome ON discovery_runs (outcome, id);
    `,
    postgres: `
      CREATE TABLE discovery_runs (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        started_at   TEXT COLLATE "C" NOT NULL,
        finished_at  TEXT COLLATE "C" NOT NULL,
        trigger      TEXT COLLATE "C" NOT NULL,
        outcome      TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('ok', 'error')),
        error        TEXT COLLATE "C",
        result       TEXT COLLATE "C"
      );
      CREATE INDEX discovery_runs_outcome ON discovery_runs (outcome, id);
    `,
  },
  {
    version: 14,
    name: "pipeline change sequence: the pipelines page follows changes instead of rereading everything",
    sqlite: `
      -- Every write that can change a pipeline's row on the pipelines page (its declaration, its first
      -- sweep, an execution new or changed, a revision found) takes the next number of the "change"
      -- counter, in its own transaction, and stamps the pipeline with it (data_seq). A reader that
      -- saw number N reads only the pipelines stamped after N. Removals (pipelines gone, old
      -- executions pruned) also record their number as "removal": a reader older than that rereads
      -- everything. PostgreSQL writers wait on the counter's row lock, so numbers commit in order.
      CREATE TABLE pipeline_seq (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
      ALTER TABLE pipelines ADD COLUMN data_seq INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX pipelines_data_seq ON pipelines (data_seq);
    `,
    postgres: `
      CREATE TABLE pipeline_seq (
        name  TEXT COLLATE "C" PRIMARY KEY,
        value BIGINT NOT NULL
      );
      ALTER TABLE pipelines ADD COLUMN data_seq BIGINT NOT NULL DEFAULT 0;
      CREATE INDEX pipelines_data_seq ON pipelines (data_seq);
    `,
  },
];
