import net from "node:net";
import pg from "pg";
import { startPostgres } from "../../scripts/postgres.mjs";

/**
 * The store an e2e app runs on. `sqlite` (the default project): a file of its own per spec file
 * (app-server.ts). `postgres` (the `postgres` project, playwright.config.ts): one PostgreSQL
 * server per worker — a throwaway cluster (scripts/postgres.mjs), or the server of
 * TETHER_TEST_DATABASE_URL — with a database of its own per spec file, reached through a TCP relay
 * that a test can cut to take the database away from the app (database-outage.spec.ts).
 */
export type StoreEngine = "sqlite" | "postgres";

/** One PostgreSQL server for a worker's spec files. */
export class PostgresServer {
  private constructor(
    private readonly url: string,
    private readonly stopCluster: (() => Promise<void>) | null,
  ) {}

  static async start(): Promise<PostgresServer> {
    const given = process.env.TETHER_TEST_DATABASE_URL;
    if (given) return new PostgresServer(given, null);
    const cluster = await startPostgres({ fast: true });
    return new PostgresServer(cluster.url, cluster.stop);
  }

  /**
   * A new, empty database for a spec file, named after the run (two checkouts may share the
   * server of TETHER_TEST_DATABASE_URL), and a relay in front of it: the app is given the relay's URL.
   */
  async createDatabase(name: string): Promise<FileDatabase> {
    const run = (process.env.TETHER_E2E_RUN_ID ?? String(process.pid)).replace(/[^0-9]/g, "").slice(-12);
    const database = `tether_e2e_${run}_${name.replace(/[^a-z0-9]/gi, "_").toLowerCase()}`;
    await this.admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await this.admin(`CREATE DATABASE ${database}`);
    const target = new URL(this.url);
    const relay = await TcpRelay.start(target.hostname, Number(target.port || 5432));
    const url = new URL(this.url);
    url.hostname = "127.0.0.1";
    url.port = String(relay.port);
    url.pathname = `/${database}`;
    return {
      url: url.toString(),
      relay,
      drop: async () => {
        await relay.close();
        await this.admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      },
    };
  }

  async stop(): Promise<void> {
    await this.stopCluster?.();
  }

  private async admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

export interface FileDatabase {
  /** What the app gets as TETHER_DATABASE_URL (through the relay). */
  url: string;
  relay: TcpRelay;
  drop(): Promise<void>;
}

/**
 * A TCP relay on 127.0.0.1: every connection is piped to the target. `cut()` is the database
 * going away as the network sees it: open connections are reset and new ones refused
 * (ECONNREFUSED), until `restore()` listens on the same port again.
 */
export class TcpRelay {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly host: string,
    private readonly targetPort: number,
    public port: number,
  ) {}

  static async start(host: string, targetPort: number): Promise<TcpRelay> {
    const relay = new TcpRelay(host, targetPort, 0);
    await relay.listen();
    return relay;
  }

  get isCut(): boolean {
    return this.server === null;
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect({ host: this.host, port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.once("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => {
        server.off("error", reject);
        this.port = (server.address() as net.AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  /** Resets every open connection and stops listening. */
  async cutOff(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.cutOff();
  }
}
