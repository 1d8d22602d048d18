import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate } from "@/lib/store/postgres/database";
import { startPostgres } from "./postgres.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server whose user may CREATE DATABASE: tests make their own databases there. */
    postgresUrl: string;
    /** The prefix of this run's databases (tether_test_<run>_…), dropped when the run ends. */
    postgresPrefix: string;
    /** A database migrated to the latest version: a fresh store is a copy of it (CREATE DATABASE … TEMPLATE). */
    postgresTemplate: string;
  }
}

const admin = async (url: string, sql: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/**
 * Vitest globalSetup (unit and contract projects): the PostgreSQL server the store tests use.
 * TETHER_TEST_DATABASE_URL names one; else a throwaway cluster is started for this run. Migrating
 * takes half a second (seven transactions of DDL, each flushed to disk), copying a migrated
 * template a fifth of that, so the template is migrated once here. When the run ends, every
 * database of the run is dropped (concurrently: each DROP DATABASE waits for a checkpoint, and
 * concurrent ones share it) and the cluster, if started here, is stopped and removed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TETHER_TEST_DATABASE_URL;
  const cluster = given ? null : await startPostgres({ fast: true });
  const url = given ?? (cluster?.url as string);
  const prefix = `tether_test_${randomBytes(4).toString("hex")}_`;
  const template = `${prefix}template`;
  const teardown = async () => {
    try {
      if (given) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const names = (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix])).rows.map((r) => r.datname);
        await client.end();
        await Promise.all(names.map((n) => admin(url, `DROP DATABASE IF EXISTS ${n} WITH (FORCE)`)));
      }
    } finally {
      await cluster?.stop();
    }
  };
  try {
    await admin(url, `CREATE DATABASE ${template}`);
    const target = new URL(url);
    target.pathname = `/${template}`;
    const pool = new pg.Pool({ connectionString: target.toString(), max: 1 });
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
  } catch (e) {
    await teardown();
    throw new Error(`cannot prepare the test database on ${given ? "TETHER_TEST_DATABASE_URL" : "the throwaway cluster"}: ${(e as Error).message}`, { cause: e });
  }
  project.provide("postgresUrl", url);
  project.provide("postgresPrefix", prefix);
  project.provide("postgresTemplate", template);
  return teardown;
}
