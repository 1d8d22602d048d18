import { existsSync } from "node:fs";
import pg from "pg";
import { migrate as migratePostgres } from "@/lib/store/postgres/database";
import { openDatabase } from "@/lib/store/sqlite/database";

/**
 * Moves a SQLite store into an empty PostgreSQL database (`npm run db:migrate-sqlite-to-postgres`):
 * both are migrated to the latest version (the same tables, lib/store/schema.test.ts), then every
 * table is copied in one PostgreSQL transaction, ids kept and identity columns continued after the
 * highest id SQLite ever gave (its AUTOINCREMENT never reuses one, even of a pruned row). Row counts
 * are compared inside the transaction, so a mismatch writes nothing, and once more after it.
 */

export class MoveError extends Error {
  override name = "MoveError";
}

export interface MovedTable {
  table: string;
  rows: number;
}

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const BATCH = 500;

/** The tables of the migrated PostgreSQL schema, each after the tables it refers to. */
async function tablesInOrder(c: pg.ClientBase): Promise<string[]> {
  const tables = (await c.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY 1")).rows.map((r) => r.t);
  const refs = (
    await c.query<{ t: string; ref: string }>(
      `SELECT c.relname AS t, r.relname AS ref FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE k.contype = 'f' AND n.nspname = current_schema()`,
    )
  ).rows;
  const ordered: string[] = [];
  const visit = (t: string, path: string[]) => {
    if (ordered.includes(t)) return;
    if (path.includes(t)) throw new MoveError(`tables refer to each other in a circle (${[...path, t].join(" → ")}): this tool cannot order them`);
    // A table that refers to itself (audit.related_id) is copied in id order: a record only ever refers to an earlier one.
    for (const r of refs) if (r.t === t && r.ref !== t) visit(r.ref, [...path, t]);
    ordered.push(t);
  };
  for (const t of tables) visit(t, []);
  return ordered;
}

/** The identity columns (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT) per table. */
async function identityColumns(c: pg.ClientBase): Promise<Map<string, string>> {
  const rows = (await c.query<{ t: string; col: string }>("SELECT table_name AS t, column_name AS col FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'")).rows;
  return new Map(rows.map((r) => [r.t, r.col]));
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A value as PostgreSQL must get it. A refusal burst's key was "actor NUL action" before it became
 * JSON (PostgreSQL text cannot hold NUL): such a key is rewritten; any other NUL stops the move.
 */
function convert(table: string, column: string, value: unknown, row: Record<string, unknown>): unknown {
  if (typeof value !== "string" || !value.includes("\u0000")) return value;
  if (table === "audit_bursts" && column === "key") {
    const at = value.indexOf("\u0000");
    return JSON.stringify([value.slice(0, at), value.slice(at + 1)]);
  }
  const where = Object.entries(row)
    .filter(([k]) => k === "id" || k === "seq")
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
  throw new MoveError(`${table}.${column}${where ? ` (${where})` : ""} holds a NUL character, which PostgreSQL cannot store in text; fix or delete that row in the SQLite file and run the move again`);
}

/** `postgres://user:secret@host/db` with the password left out, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(not a URL)";
  }
}

export async function moveSqliteToPostgres(file: string, url: string, log: (line: string) => void = () => undefined): Promise<MovedTable[]> {
  if (!existsSync(file)) throw new MoveError(`no SQLite file at ${file}`);
  // The app migrates a file when it opens it; so does the move (a file of an older version).
  const source = openDatabase(file);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migratePostgres(pool);
    const client = await pool.connect();
    try {
      const tables = await tablesInOrder(client);
      const identity = await identityColumns(client);
      const liteTables = new Set((source.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
      const missing = tables.filter((t) => !liteTables.has(t));
      if (missing.length) throw new MoveError(`the SQLite file has no table ${missing.join(", ")}: the two schemas differ`);
      const sequences = new Map((liteTables.has("sqlite_sequence") ? (source.prepare("SELECT name, seq FROM sqlite_sequence").all() as { name: string; seq: number }[]) : []).map((r) => [r.name, Number(r.seq)]));

      const moved: MovedTable[] = [];
      // One read transaction on SQLite: a consistent snapshot even if something still writes to it.
      source.prepare("BEGIN").run();
      await client.query("BEGIN");
      try {
        // Nothing else writes to the target while it is filled (a Tether started on it too early waits).
        await client.query(`LOCK TABLE ${tables.map(quote).join(", ")} IN EXCLUSIVE MODE`);
        const occupied: string[] = [];
        for (const t of tables) {
          const n = Number((await client.query(`SELECT COUNT(*) AS n FROM ${quote(t)}`)).rows[0]?.n);
          if (n > 0) occupied.push(`${t} (${n})`);
        }
        if (occupied.length) throw new MoveError(`the PostgreSQL database is not empty: ${occupied.join(", ")}. Move into a new, empty database (CREATE DATABASE …), never over one Tether already uses`);

        for (const t of tables) {
          const columns = (await client.query<{ c: string }>("SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position", [t])).rows.map((r) => r.c);
          const id = identity.get(t);
          const select = source.prepare(`SELECT ${columns.map(quote).join(", ")} FROM ${quote(t)}${id ? ` ORDER BY ${quote(id)}` : ""}`);
          let rows = 0;
          let batch: unknown[][] = [];
          const flush = async () => {
            if (batch.length === 0) return;
            const values = batch.map((_, r) => `(${columns.map((__, i) => `$${r * columns.length + i + 1}`).join(", ")})`).join(", ");
            await client.query(`INSERT INTO ${quote(t)} (${columns.map(quote).join(", ")})${id ? " OVERRIDING SYSTEM VALUE" : ""} VALUES ${values}`, batch.flat());
            rows += batch.length;
            batch = [];
          };
          for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
            batch.push(columns.map((col) => convert(t, col, row[col], row)));
            if (batch.length >= BATCH) await flush();
          }
          await flush();
          if (id) {
            // Continue after the highest id SQLite ever gave, pruned rows included.
            const max = Number((await client.query(`SELECT COALESCE(MAX(${quote(id)}), 0) AS m FROM ${quote(t)}`)).rows[0]?.m);
            const next = Math.max(max, sequences.get(t) ?? 0) + 1;
            await client.query("SELECT setval(pg_get_serial_sequence($1, $2), $3, false)", [t, id, next]);
          }
          const expected = Number((source.prepare(`SELECT COUNT(*) AS n FROM ${quote(t)}`).get() as { n: number }).n);
          if (rows !== expected) throw new MoveError(`${t}: copied ${rows} rows of ${expected}`);
          moved.push({ table: t, rows });
          log(`  ${t.padEnd(20)}${String(rows).padStart(9)}`);
        }
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        const message = e instanceof MoveError ? e.message : `${(e as Error).message}`;
        throw new MoveError(`${message} (nothing was written to PostgreSQL)`, { cause: e });
      } finally {
        if (source.inTransaction) source.prepare("ROLLBACK").run();
      }
      // Once more, after the commit, on what any other connection now sees.
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      try {
        for (const m of moved) {
          const n = Number((await check.query(`SELECT COUNT(*) AS n FROM ${quote(m.table)}`)).rows[0]?.n);
          if (n !== m.rows) throw new MoveError(`the copy was committed, but ${m.table} now has ${n} rows in PostgreSQL where ${m.rows} were copied: did something else write to it?`);
        }
      } finally {
        await check.end();
      }
      return moved;
    } finally {
      client.release();
    }
  } finally {
    source.close();
    await pool.end();
  }
}
