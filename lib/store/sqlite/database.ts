import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS, type Migration } from "@/lib/store/migrations";

export type Db = Database.Database;

/** Applies every migration not yet recorded, each in its own transaction. */
export function migrate(db: Db, migrations: Migration[] = MIGRATIONS): number[] {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const applied = new Set((db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
  const ran: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sqlite);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, new Date().toISOString());
    })();
    ran.push(m.version);
  }
  return ran;
}

/** The connection with Tether's settings (WAL, synchronous FULL, foreign keys), migrated. */
export function openDatabase(file: string): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // Every commit reaches the disk before it returns (a push answered 202 survives a power cut).
  // better-sqlite3 is compiled with WAL's default NORMAL, which a reopened file would run at, so
  // the level is set on every open, not left to the file (docs/durability.md).
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  migrate(db);
  reusePreparedStatements(db);
  return db;
}

/**
 * Repositories write `db.prepare(sql)` where they use a statement; compiling the same SQL on every
 * call cost more than running it (a webhook delivery prepared five statements). Prepared statements
 * are kept per SQL text and reused (no repository changes a statement's mode with pluck, raw or
 * expand, which would otherwise carry over); the cache is bounded for SQL built with variable
 * IN-lists.
 */
function reusePreparedStatements(db: Db): void {
  const cache = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size >= 1000) cache.clear();
      stmt = prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }) as Db["prepare"];
}

