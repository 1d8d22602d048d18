import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server whose user may CREATE DATABASE: each test file makes its own database there. */
    postgresUrl: string;
  }
}

/**
 * Vitest globalSetup (unit and contract projects): the PostgreSQL server the store tests use.
 * TETHER_TEST_DATABASE_URL names one; else a throwaway cluster is started for this run and
 * stopped (its folder removed) when the run ends.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.TETHER_TEST_DATABASE_URL;
  if (given) {
    project.provide("postgresUrl", given);
    return undefined;
  }
  const cluster = await startPostgres();
  project.provide("postgresUrl", cluster.url);
  return () => cluster.stop();
}
