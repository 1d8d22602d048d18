import pg from "pg";
import { afterEach, expect, test, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { resetSingleton } from "@/lib/singleton";
import { getStore } from "@/lib/store";
import { createTestDatabase } from "@/lib/store/test-database";

afterEach(async () => {
  await getStore().close();
  resetSingleton();
  resetEnvForTests();
  vi.unstubAllEnvs();
});

const use = (vars: Record<string, string>) => {
  resetSingleton();
  resetEnvForTests();
  for (const [k, v] of Object.entries({ AWS_REGION: "us-east-1", TETHER_DATABASE_URL: "", ...vars })) vi.stubEnv(k, v);
};

test("TETHER_DATABASE_URL set: the store is that PostgreSQL database", async () => {
  const { url } = await createTestDatabase();
  use({ TETHER_DATABASE_URL: url, TETHER_DATABASE_POOL_SIZE: "2", TETHER_DATABASE_PATH: ":memory:" });
  await getStore().tokens.create({ id: "t1", name: "ops", role: "viewer", hash: "h", hint: "x", createdBy: "a", createdAt: "2026-11-25T12:00:00.000Z", expiresAt: null });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    expect((await client.query("SELECT id FROM api_tokens")).rows).toEqual([{ id: "t1" }]);
    // The pool is the configured size: two connections at most, however many calls wait.
    await Promise.all(Array.from({ length: 10 }, () => getStore().tokens.list()));
    expect((await client.query("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tether'")).rows).toEqual([{ n: 2 }]);
  } finally {
    await client.end();
  }
});

test("unset: SQLite at TETHER_DATABASE_PATH", async () => {
  use({ TETHER_DATABASE_PATH: ":memory:" });
  await getStore().tokens.create({ id: "t1", name: "ops", role: "viewer", hash: "h", hint: "x", createdBy: "a", createdAt: "2026-11-25T12:00:00.000Z", expiresAt: null });
  expect((await getStore().tokens.list()).map((t) => t.id)).toEqual(["t1"]);
  // The SQLite repositories carry the group committer's counters; PostgreSQL's do not.
  expect(typeof (getStore().latency as unknown as Record<string, unknown>).groupCommitStats).toBe("function");
});
