import { afterAll, vi } from "vitest";
import { openPostgresStore } from "@/lib/store/postgres";
import { PgAlerts } from "@/lib/store/postgres/alerts";
import { PgAudit } from "@/lib/store/postgres/audit";
import { PgHistory } from "@/lib/store/postgres/history";
import { PgLatency } from "@/lib/store/postgres/latency";
import { PgLeases } from "@/lib/store/postgres/leases";
import { PgListings } from "@/lib/store/postgres/listings";
import { PgDiscovery } from "@/lib/store/postgres/discovery";
import { PgPipelines } from "@/lib/store/postgres/pipelines";
import { PgSessions } from "@/lib/store/postgres/sessions";
import { PgTokens } from "@/lib/store/postgres/tokens";
import { PgWatches } from "@/lib/store/postgres/watches";
import { createTestDatabase } from "@/lib/store/test-database";
import type { Store } from "@/lib/store/types";

/**
 * Vitest setupFile for TETHER_TEST_STORE_ENGINE=postgres: the unit and contract suites with every
 * store on PostgreSQL, to find callers that depend on SQLite. Tests open their store as SQLite's
 * ":memory:" (a fresh, empty store), directly or through getStore() with
 * TETHER_DATABASE_PATH=":memory:"; here each such store is a fresh PostgreSQL database instead (a
 * copy of the run's migrated template). The store is returned at once, as getStore() must, and its
 * methods wait for the database; they are the store's own properties, so tests can still spy on them.
 */
vi.mock("@/lib/store/sqlite", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/store/sqlite")>();
  const { freshPostgresStore } = await import("./vitest-store-postgres");
  return { ...real, openSqliteStore: (file: string) => (file === ":memory:" ? freshPostgresStore() : real.openSqliteStore(file)) };
});

const opened: Promise<Store>[] = [];

afterAll(async () => {
  await Promise.all(opened.splice(0).map(async (s) => (await s).close().catch(() => undefined)));
});

export function freshPostgresStore(): Store {
  const real = createTestDatabase().then(({ url }) => openPostgresStore(url, { poolSize: 5 }));
  opened.push(real);
  // Repositories whose methods wait for the real ones (the methods of the PostgreSQL classes).
  const repo = (name: Exclude<keyof Store, "close">) =>
    Object.fromEntries(SHAPE[name].map((m) => [m, async (...args: unknown[]) => ((await real)[name] as unknown as Record<string, (...a: unknown[]) => unknown>)[m]?.(...args)]));
  return {
    discovery: repo("discovery"),
    alerts: repo("alerts"),
    sessions: repo("sessions"),
    latency: repo("latency"),
    leases: repo("leases"),
    listings: repo("listings"),
    pipelines: repo("pipelines"),
    history: repo("history"),
    audit: repo("audit"),
    tokens: repo("tokens"),
    watches: repo("watches"),
    close: async () => (await real).close(),
  } as unknown as Store;
}

const methods = (c: { prototype: object }) => Object.getOwnPropertyNames(c.prototype).filter((m) => m !== "constructor");
const SHAPE: Record<Exclude<keyof Store, "close">, string[]> = { discovery: methods(PgDiscovery), alerts: methods(PgAlerts), sessions: methods(PgSessions), latency: methods(PgLatency), leases: methods(PgLeases), listings: methods(PgListings), pipelines: methods(PgPipelines), history: methods(PgHistory), audit: methods(PgAudit), tokens: methods(PgTokens), watches: methods(PgWatches) };
