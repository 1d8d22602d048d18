import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MIGRATIONS } from "@/lib/store/migrations";
import { migrate as migratePostgres } from "@/lib/store/postgres/database";
import { migrate as migrateSqlite } from "@/lib/store/sqlite/database";
import { createTestDatabase } from "@/lib/store/test-database";

/**
 * A schema version means the same tables on both engines. Both are migrated to the latest version
 * and described the same way: tables with their columns in order, named indexes with their table,
 * key columns (SQLite's COLLATE NOCASE written as lower(), as PostgreSQL spells it) and whether they
 * are partial, primary and unique keys by table and columns (SQLite names those itself), triggers.
 * A migration written for one engine only, or differently, fails here.
 */
interface Schema {
  tables: Record<string, string[]>;
  indexes: Record<string, string>;
  keys: string[];
  triggers: string[];
}

function sqliteSchema(db: Database.Database): Schema {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const tables: Schema["tables"] = {};
  const keys: string[] = [];
  for (const t of names) {
    const columns = db.prepare(`PRAGMA table_info(${t})`).all() as { name: string; pk: number }[];
    tables[t] = columns.map((c) => c.name);
    const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    if (pk.length) keys.push(`${t} primary (${pk.join(", ")})`);
    for (const idx of db.prepare(`PRAGMA index_list(${t})`).all() as { name: string; origin: string }[]) {
      if (idx.origin !== "u") continue;
      const cols = (db.prepare(`PRAGMA index_info(${idx.name})`).all() as { name: string }[]).map((c) => c.name);
      keys.push(`${t} unique (${cols.join(", ")})`);
    }
  }
  const indexes: Schema["indexes"] = {};
  for (const idx of db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string; tbl_name: string }[]) {
    const cols = (db.prepare(`PRAGMA index_xinfo(${idx.name})`).all() as { name: string; coll: string; key: number }[]).filter((c) => c.key === 1).map((c) => (c.coll === "NOCASE" ? `lower(${c.name})` : c.name));
    const partial = (db.prepare(`PRAGMA index_list(${idx.tbl_name})`).all() as { name: string; partial: number }[]).find((i) => i.name === idx.name)?.partial === 1;
    indexes[idx.name] = `${idx.tbl_name} (${cols.join(", ")})${partial ? " partial" : ""}`;
  }
  const triggers = (db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; tbl_name: string }[]).map((r) => `${r.tbl_name}.${r.name}`);
  return { tables, indexes, keys: keys.sort(), triggers: triggers.sort() };
}

async function postgresSchema(c: pg.ClientBase): Promise<Schema> {
  const tables: Schema["tables"] = {};
  const columns = await c.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
  );
  for (const r of columns.rows) (tables[r.table_name] ??= []).push(r.column_name);
  const keys = await c.query<{ t: string; kind: string; cols: string }>(
    `SELECT t.relname AS t, CASE k.contype WHEN 'p' THEN 'primary' ELSE 'unique' END AS kind,
       (SELECT string_agg(a.attname, ', ' ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) AS cols
     FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = current_schema() AND k.contype IN ('p', 'u')`,
  );
  const indexes = await c.query<{ name: string; t: string; cols: string; partial: boolean }>(
    `SELECT i.relname AS name, t.relname AS t, x.indpred IS NOT NULL AS partial,
       (SELECT string_agg(pg_get_indexdef(x.indexrelid, k, true), ', ' ORDER BY k) FROM generate_series(1, x.indnkeyatts) k) AS cols
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
  );
  const triggers = await c.query<{ t: string; name: string }>(
    `SELECT t.relname AS t, g.tgname AS name FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = current_schema() AND NOT g.tgisinternal`,
  );
  return {
    tables,
    indexes: Object.fromEntries(indexes.rows.map((r) => [r.name, `${r.t} (${r.cols})${r.partial ? " partial" : ""}`])),
    keys: keys.rows.map((r) => `${r.t} ${r.kind} (${r.cols})`).sort(),
    triggers: triggers.rows.map((r) => `${r.t}.${r.name}`).sort(),
  };
}

describe("the two engines' schemas", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
  });

  test("after every migration: the same tables and columns, named indexes, keys and triggers", async () => {
    const sqlite = new Database(":memory:");
    migrateSqlite(sqlite);
    await migratePostgres(pool);
    const client = await pool.connect();
    try {
      const [lite, post] = [sqliteSchema(sqlite), await postgresSchema(client)];
      expect(Object.keys(lite.tables).length).toBeGreaterThan(15);
      expect(post.tables).toEqual(lite.tables);
      expect(post.indexes).toEqual(lite.indexes);
      expect(post.keys).toEqual(lite.keys);
      // PostgreSQL also refuses TRUNCATE of the audit log, which SQLite does not have.
      expect(post.triggers).toEqual([...lite.triggers, "audit.audit_no_truncate"].sort());
    } finally {
      client.release();
    }
  });

  test("every version has a text for each engine", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const m of MIGRATIONS) {
      expect(m.sqlite.trim(), `migration ${m.version} for SQLite`).not.toBe("");
      expect(m.postgres.trim(), `migration ${m.version} for PostgreSQL`).not.toBe("");
    }
  });
});
