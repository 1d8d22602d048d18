import net from "node:net";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { DatabaseUnavailableError, isDatabaseUnavailable } from "@/lib/store/errors";
import { MIGRATIONS } from "@/lib/store/migrations";
import { defineStoreSuite, type StoreEngine } from "@/lib/store/store.suite";
import { createTestDatabase } from "@/lib/store/test-database";
import type { Store } from "@/lib/store/types";
import { MIGRATION_LOCK, migrate, PgDatabase } from "./database";
import { openPostgresStore } from ".";

/** PostgreSQL for the shared suite: a database of its own per test (a copy of the run's migrated template). */
const opened: Store[] = [];
const openedPools: pg.Pool[] = [];
const postgres: StoreEngine = {
  name: "postgres",
  store: async () => {
    const s = openPostgresStore((await createTestDatabase()).url, { poolSize: 5 });
    opened.push(s);
    return s;
  },
  database: async () => {
    const { url } = await createTestDatabase({ empty: true });
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    openedPools.push(pool);
    return {
      open: () => {
        const s = openPostgresStore(url, { poolSize: 5 });
        opened.push(s);
        return s;
      },
      exec: async (sql) => void (await pool.query(sql)),
      insert: async (table, row) => void (await pool.query(`INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.keys(row).map((_, i) => `$${i + 1}`).join(", ")})`, Object.values(row))),
      migrateTo: async (version) => void (await migrate(pool, MIGRATIONS.filter((m) => m.version <= version))),
    };
  },
  // A store closed by its test is closed again here: pg's Pool.end() may be called once only.
  cleanup: async () => {
    await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
    await Promise.all(openedPools.splice(0).map((p) => p.end()));
  },
};

// Every write is a transaction flushed to disk through a socket: the suite's floods take seconds.
vi.setConfig({ testTimeout: 60_000 });

defineStoreSuite(postgres);

describe("PostgreSQL durability", () => {
  test("every connection commits to disk before the commit returns, even when the database's default is off; a stronger level is kept", async () => {
    const { url, name } = await createTestDatabase();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
      const db = new PgDatabase(url, { poolSize: 3 });
      try {
        const levels = await Promise.all(Array.from({ length: 3 }, () => db.query<{ synchronous_commit: string }>("SHOW synchronous_commit")));
        expect(levels.map((r) => r.rows[0]?.synchronous_commit)).toEqual(["on", "on", "on"]);
      } finally {
        await db.close();
      }
      await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = remote_apply`);
      const strong = new PgDatabase(url, { poolSize: 1 });
      try {
        expect((await strong.query<{ synchronous_commit: string }>("SHOW synchronous_commit")).rows).toEqual([{ synchronous_commit: "remote_apply" }]);
      } finally {
        await strong.close();
      }
    } finally {
      await admin.end();
    }
  });
});

describe("PostgreSQL: what SQLite would store and PostgreSQL cannot", () => {
  test("text with a NUL character: refused with a 400 that says why, not a 500", async () => {
    const s = await postgres.store();
    const create = s.tokens.create({ id: "t", name: "ops\u0000", role: "viewer", hash: "h", hint: "x", createdBy: "alice@example.com", createdAt: "2026-11-25T12:00:00.000Z", expiresAt: null });
    await expect(create).rejects.toMatchObject({ kind: "bad_request", status: 400, message: expect.stringContaining("NUL character") });
    expect(await s.tokens.list()).toEqual([]);
  });
});

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const pools: pg.Pool[] = [];
const pool = () => {
  const p = new pg.Pool({ connectionString: database.url, max: 3 });
  pools.push(p);
  return p;
};

beforeEach(async () => {
  database = await createTestDatabase({ empty: true });
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
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

/**
 * A TCP door in front of the run's PostgreSQL: closed (connection refused), open (forwarding), or
 * silent (accepting and never answering); closing it cuts the connections through it.
 */
async function door(target: URL) {
  const reserve = net.createServer();
  await new Promise<void>((resolve) => reserve.listen(0, "127.0.0.1", resolve));
  const port = (reserve.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => reserve.close(() => resolve()));
  let server: net.Server | null = null;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const listen = async (onConnection: (client: net.Socket) => void) => {
    server = net.createServer((client) => {
      track(client);
      onConnection(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
  };
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  };
  const url = new URL(target);
  url.port = String(port);
  return {
    url: url.toString(),
    open: () =>
      listen((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        track(upstream);
        client.pipe(upstream).pipe(client);
      }),
    silent: () => listen(() => undefined),
    close,
  };
}

describe("PostgreSQL unreachable", () => {
  test("a store opened on an unreachable server rejects every call with a clear error, and the same store works once the server is there", async () => {
    const d = await door(new URL((await createTestDatabase()).url));
    const s = openPostgresStore(d.url, { poolSize: 2, connectionTimeoutMs: 2000 });
    opened.push(s);
    // getStore() returns at once: nothing connects before the first call.
    const calls = await Promise.allSettled([s.tokens.list(), s.audit.append({ actor: "a", actorRole: "admin", via: "system", action: "x", targetKind: "t", target: "t", outcome: "allowed" }), s.latency.outboxCounts()]);
    for (const c of calls) {
      expect(c.status).toBe("rejected");
      const e = (c as PromiseRejectedResult).reason;
      expect(e).toBeInstanceOf(DatabaseUnavailableError);
      expect(isDatabaseUnavailable(e)).toBe(true);
      expect(e).toMatchObject({ kind: "unavailable", status: 503, message: "Tether's database is unreachable right now (connection refused); Tether keeps trying and recovers by itself when it is back." });
      expect((e as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
    }
    // Still down: the next call tries again (and fails again), it is not answered from a stored failure.
    await expect(s.tokens.list()).rejects.toThrow(/connection refused/);
    await d.open();
    try {
      expect(await s.tokens.list()).toEqual([]);
      const r = await s.audit.append({ actor: "a", actorRole: "admin", via: "system", action: "x", targetKind: "t", target: "t", outcome: "allowed" });
      expect(await s.audit.get(r.id)).toEqual(r);
    } finally {
      await d.close();
    }
  });

  test("the server going away: calls fail as unavailable, nothing half-written; the pool reconnects when it is back", async () => {
    const d = await door(new URL((await createTestDatabase()).url));
    await d.open();
    const s = openPostgresStore(d.url, { poolSize: 2, connectionTimeoutMs: 2000 });
    opened.push(s);
    expect(await s.latency.storePushDelivery({ provider: "github", deliveryId: "d1", repository: "acme/web", branch: "main", sha: "a".repeat(40), beforeSha: null, paths: null, pushedAt: "2026-11-25T12:00:00.000Z", receivedAt: "2026-11-25T12:00:00.000Z" }, "push")).not.toBeNull();
    await d.close();
    const failed = await s.latency.storePushDelivery({ provider: "github", deliveryId: "d2", repository: "acme/web", branch: "main", sha: "b".repeat(40), beforeSha: null, paths: null, pushedAt: "2026-11-25T12:00:00.000Z", receivedAt: "2026-11-25T12:00:00.000Z" }, "push").catch((e: unknown) => e);
    expect(isDatabaseUnavailable(failed)).toBe(true);
    expect(failed).toBeInstanceOf(DatabaseUnavailableError);
    await d.open();
    try {
      // The provider's retry of d2 is stored: the failed attempt wrote nothing.
      expect(await s.latency.storePushDelivery({ provider: "github", deliveryId: "d2", repository: "acme/web", branch: "main", sha: "b".repeat(40), beforeSha: null, paths: null, pushedAt: "2026-11-25T12:00:00.000Z", receivedAt: "2026-11-25T12:00:00.000Z" }, "push")).not.toBeNull();
      expect((await s.latency.recentPushes(10)).map((p) => p.deliveryId).sort()).toEqual(["d1", "d2"]);
    } finally {
      await d.close();
    }
  });

  test("a server that accepts and never answers: the call fails after the connection timeout, as unavailable", async () => {
    const d = await door(new URL((await createTestDatabase()).url));
    await d.silent();
    const s = openPostgresStore(d.url, { poolSize: 1, connectionTimeoutMs: 500 });
    opened.push(s);
    try {
      const started = Date.now();
      await expect(s.sessions.get("x")).rejects.toMatchObject({ message: "Tether's database is unreachable right now (connection timed out); Tether keeps trying and recovers by itself when it is back." });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await d.close();
    }
  });
});
