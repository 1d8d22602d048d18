import path from "node:path";
import { test as base, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { FILE_FIXTURE } from "./support/app-env";
import { startApp, type AppServer } from "./support/app-server";
import { PostgresServer, type FileDatabase, type StoreEngine } from "./support/database";
import { signIn, signInByHttp, type User } from "./support/auth";
import { EmulatorControl } from "./support/emulator";
import { startReplicas, type ReplicaStack } from "./support/replicas";

export { expect } from "@playwright/test";
export type { User } from "./support/auth";

/** A spec file's app as several replicas behind a round-robin proxy (PostgreSQL only): how many, and their extra settings. */
export interface ReplicaOptions {
  count: number;
  env: Record<string, string>;
}

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/**
 * What one spec file runs against: the emulator reseeded with the demo fixture, and an app of its
 * own (own database) started after the seed; alice's and bob's sessions in that app, each signed
 * in once through the real OIDC flow when a test of the file first needs it (as HTTP requests,
 * without drawing its pages: signInByHttp in e2e/support/auth.ts).
 */
class FileStack {
  private readonly sessions = new Map<User, Promise<StorageState>>();

  constructor(
    readonly file: string,
    readonly app: AppServer,
    private readonly browser: Browser,
    /** PostgreSQL only: the file's database and the relay the app reaches it through. */
    readonly database: FileDatabase | null,
  ) {}

  session(user: User): Promise<StorageState> {
    let state = this.sessions.get(user);
    if (!state) {
      state = signedInState(this.browser, this.app.origin, user);
      this.sessions.set(user, state);
      state.catch(() => this.sessions.delete(user));
    }
    return state;
  }

  /** The session of `user` was ended: the next use signs in again. */
  forget(user: User): void {
    this.sessions.delete(user);
  }
}

async function signedInState(browser: Browser, origin: string, user: User): Promise<StorageState> {
  // Explicit options: a test's own (its user's storage state) must not leak into a sign-in.
  const context = await browser.newContext({ baseURL: origin, storageState: undefined });
  try {
    await signInByHttp(context.request, user);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/** The worker's current stack: a test of another file stops it and starts that file's. */
class Stacks {
  private current: FileStack | undefined;

  constructor(
    private readonly browser: Browser,
    private readonly postgres: PostgresServer | null,
  ) {}

  async for(file: string, replicas: ReplicaOptions | null): Promise<FileStack> {
    if (this.current?.file === file) return this.current;
    // The previous file's app goes first, so nothing it does reaches the new seed.
    await this.stop();
    const spec = path.basename(file).replace(/\.spec\.ts$/, "");
    await new EmulatorControl().seed(FILE_FIXTURE[spec] ?? "demo");
    // Named after the pass too: the passes run at the same time and write their apps' logs side by side.
    const name = this.postgres ? `postgres-${spec}` : spec;
    const database = this.postgres ? await this.postgres.createDatabase(spec) : null;
    try {
      if (replicas && !database) throw new Error("replicas share a PostgreSQL database: run this spec in the postgres project (playwright.config.ts)");
      const app = replicas && database ? await startReplicas(name, { postgresUrl: database.url, count: replicas.count, extraEnv: replicas.env }) : await startApp(name, { file: spec, postgresUrl: database?.url });
      this.current = new FileStack(file, app, this.browser, database);
    } catch (e) {
      await database?.drop();
      throw e;
    }
    return this.current;
  }

  async stop(): Promise<void> {
    const stack = this.current;
    this.current = undefined;
    await stack?.app.stop();
    await stack?.database?.drop();
  }
}

/** The app of the running spec file, and browser contexts signed in to it. */
export interface App {
  origin: string;
  /** A new browser context with the file's session of `user`, or signed out (`null`). */
  context(user: User | null): Promise<BrowserContext>;
  /** A page of a new context, as `context`. */
  page(user: User | null): Promise<Page>;
  /** A new context with a new session of `user`, signed in through the real flow. */
  signInAgain(user: User): Promise<BrowserContext>;
  /** Tells the file's stack that every session of `user` was ended: the next use signs in again. */
  sessionsEnded(user: User): void;
  /** Stops the file's app and starts it again with the same database (sessions survive). */
  restart(): Promise<void>;
}

interface TestFixtures {
  /** Who the test's `page`, `context` and `request` are signed in as (`null`: nobody). */
  user: User | null;
  stack: FileStack;
  app: App;
  emulator: EmulatorControl;
  /** PostgreSQL only: the file's database and its relay (a test can cut the app off it). */
  database: FileDatabase;
  /** `test.use({ replicas: { count, env } })`: the file's app is that many replicas behind a round-robin proxy. */
  replicas: ReplicaOptions | null;
  /** The replicas and the proxy of such a file. */
  replicaStack: ReplicaStack;
}

interface WorkerFixtures {
  /** The store engine of the project (playwright.config.ts): `sqlite`, or `postgres` for the second pass. */
  storeEngine: StoreEngine;
  /** PostgreSQL only: the worker's server (a throwaway cluster, or TETHER_TEST_DATABASE_URL's). */
  postgres: PostgresServer | null;
  stacks: Stacks;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  user: [null, { option: true }],
  replicas: [null, { option: true }],

  storeEngine: ["sqlite", { option: true, scope: "worker" }],

  postgres: [
    async ({ storeEngine }, provide) => {
      const server = storeEngine === "postgres" ? await PostgresServer.start() : null;
      await provide(server);
      await server?.stop();
    },
    { scope: "worker", timeout: 60_000 },
  ],

  stacks: [
    async ({ browser, postgres }, provide) => {
      const stacks = new Stacks(browser, postgres);
      await provide(stacks);
      await stacks.stop();
    },
    { scope: "worker", timeout: 60_000 },
  ],

  stack: [
    async ({ stacks, user, replicas }, provide, testInfo) => {
      const stack = await stacks.for(testInfo.file, replicas);
      if (user) await stack.session(user);
      await provide(stack);
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach("app log (tail)", { body: stack.app.tail(200), contentType: "text/plain" });
    },
    { auto: true, timeout: 120_000 },
  ],

  baseURL: async ({ stack }, provide) => {
    await provide(stack.app.origin);
  },

  storageState: async ({ stack, user }, provide) => {
    await provide(user ? await stack.session(user) : undefined);
  },

  app: async ({ stack, browser }, provide) => {
    const opened: BrowserContext[] = [];
    const open = async (storageState: StorageState | undefined) => {
      const context = await browser.newContext({ baseURL: stack.app.origin, storageState });
      opened.push(context);
      return context;
    };
    await provide({
      origin: stack.app.origin,
      context: async (user) => open(user ? await stack.session(user) : undefined),
      page: async (user) => (await open(user ? await stack.session(user) : undefined)).newPage(),
      signInAgain: async (user) => {
        const context = await open(undefined);
        await signIn(await context.newPage(), user);
        return context;
      },
      sessionsEnded: (user) => stack.forget(user),
      restart: () => stack.app.restart(),
    });
    for (const context of opened) await context.close();
  },

  database: async ({ stack }, provide) => {
    if (!stack.database) throw new Error("this test needs the PostgreSQL engine: run it in the postgres project (playwright.config.ts)");
    await provide(stack.database);
    // Whatever the test did, the next test of the file finds its database reachable.
    await stack.database.relay.restore();
  },

  replicaStack: async ({ stack }, provide) => {
    if (!("replicas" in stack.app)) throw new Error("this test needs replicas: test.use({ replicas: { count: 2, env: {} } })");
    await provide(stack.app as ReplicaStack);
  },

  emulator: async ({ stack: _stack }, provide) => {
    const emulator = new EmulatorControl();
    await provide(emulator);
    if (emulator.hasFaults) await emulator.clearFaults();
  },
});
