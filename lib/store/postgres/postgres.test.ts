import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, test } from "vitest";
import { MIGRATIONS } from "@/lib/store/migrations";
import { createTestDatabase } from "@/lib/store/test-database";
import { MIGRATION_LOCK, migrate } from "./database";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const pools: pg.Pool[] = [];
const pool = () => {
  const p = new pg.Pool({ connectionString: database.url, max: 3 });
  pools.push(p);
  return p;
};

beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
  await database.drop();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

describe("PostgreSQL migrations", () => {
  test("an empty database is migrated to the latest version; a second run applies nothing", async () => {
    const p = pool();
    expect(await migrate(p)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(p)).toEqual([]);
    expect((await p.query("SELECT version FROM schema_migrations ORDER BY version")).rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  test("run once, in order, and are recorded", async () => {
    const p = pool();
    const ms = [
      { version: 2, name: "two", sqlite: "", postgres: "ALTER TABLE t ADD COLUMN b TEXT" },
      { version: 1, name: "one", sqlite: "", postgres: "CREATE TABLE t (a TEXT)" },
    ];
    expect(await migrate(p, ms)).toEqual([1, 2]);
    expect(await migrate(p, ms)).toEqual([]);
    expect(await migrate(p, [...ms, { version: 3, name: "three", sqlite: "", postgres: "CREATE TABLE u (x TEXT)" }])).toEqual([3]);
  });

  test("a failing migration leaves nothing half-applied, and says which one failed", async () => {
    const p = pool();
    await expect(migrate(p, [{ version: 1, name: "bad", sqlite: "", postgres: "CREATE TABLE t (a TEXT); CREATE TABLE t (a TEXT);" }])).rejects.toThrow(/migration 1 \(bad\) failed on PostgreSQL: relation "t" already exists/);
    expect((await p.query("SELECT to_regclass('t') AS t")).rows).toEqual([{ t: null }]);
    expect((await p.query("SELECT COUNT(*)::int AS n FROM schema_migrations")).rows).toEqual([{ n: 0 }]);
  });

  test("two processes starting together: each version is applied once, the second waits for the first", async () => {
    const [a, b] = [pool(), pool()];
    const [ranA, ranB] = await Promise.all([migrate(a), migrate(b)]);
    expect([...ranA, ...ranB].sort((x, y) => x - y)).toEqual(MIGRATIONS.map((m) => m.version));
    // One of them did all the work: the lock is held for the whole run, not per version.
    expect([ranA.length, ranB.length].sort()).toEqual([0, MIGRATIONS.length]);
    expect((await a.query("SELECT version, COUNT(*)::int AS n FROM schema_migrations GROUP BY version HAVING COUNT(*) > 1")).rows).toEqual([]);
  });

  test("the migration waits while another session holds the lock", async () => {
    const holder = pool();
    const client = await holder.connect();
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    let done = false;
    const run = migrate(pool()).then((ran) => {
      done = true;
      return ran;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    expect((await holder.query("SELECT to_regclass('resources') AS t")).rows).toEqual([{ t: null }]);
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    client.release();
    expect(await run).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
