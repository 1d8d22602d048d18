import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/**
 * For tests: a fresh, empty PostgreSQL database on the run's server (scripts/vitest-postgres.ts),
 * so test files run in parallel without seeing each other's rows. `drop()` removes it, closing
 * whatever connections a test left open.
 */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const server = inject("postgresUrl");
  const name = `tether_test_${randomBytes(6).toString("hex")}`;
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
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
