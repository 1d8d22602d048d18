import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/**
 * For tests: a database of its own on the run's PostgreSQL server (scripts/vitest-postgres.ts), so
 * test files run in parallel without seeing each other's rows. By default a copy of the run's
 * migrated template (a store opened on it starts at once); `{ empty: true }` for a database with no
 * tables at all (the migration tests). The run's databases are dropped when it ends, together
 * (each DROP DATABASE waits for a checkpoint, about a second; concurrent ones share it), or go
 * with the throwaway cluster.
 */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<{ url: string; name: string }> {
  const server = inject("postgresUrl");
  const name = `${inject("postgresPrefix")}${randomBytes(6).toString("hex")}`;
  await admin(server, `CREATE DATABASE ${name}${opts.empty ? "" : ` TEMPLATE ${inject("postgresTemplate")}`}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

async function admin(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
