import { Worker } from "node:worker_threads";
import type { Outcome } from "@/lib/store/group-commit";
import type { IngestWrite } from "./ingest";
import { fromWire, type FromWriter, type ToWriter } from "./writer-protocol";

/**
 * The main thread's side of the writer thread (writer.ts): a node:worker_threads Worker with its
 * own connection to the same SQLite file, which commits the receivers' group-committed batches, so
 * the transaction and its fsync (synchronous=FULL) no longer hold up this thread's event loop.
 *
 * One message a batch, sent as soon as it forms; the thread merges the batches that arrive while
 * it commits into its next transaction and answers each once that transaction has committed (or
 * failed).
 * If the thread dies (an uncaught error, a native crash, terminated), every batch it had not yet
 * reported is rejected with a WriterThreadError, and the next batch starts a new thread. Such a
 * batch may or may not have committed (the thread can die between its commit and its answer): a
 * receiver answers 5xx, the provider redelivers, and the redelivery is then either stored or, if
 * the first one did commit, answered "duplicate" — never lost, never stored twice.
 */

/** The thread stopped before it said what became of a batch: whether it committed is unknown. */
export class WriterThreadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WriterThreadError";
  }
}

interface Running {
  worker: Worker;
  pending: Map<number, { resolve: (results: Outcome[]) => void; reject: (error: unknown) => void }>;
  closing: boolean;
  lastTransaction: number;
  /** Set when the thread could not open its connection (its message says why). */
  unusable: Error | null;
}

export class WriterThread {
  private current: Running | null = null;
  private closed = false;
  private seq = 0;
  /** Threads started so far (the first, and one per restart after a death). */
  started = 0;
  /** Transactions the threads committed and the writes they held (tests, the benchmark). */
  readonly stats = { transactions: 0, writes: 0 };

  constructor(private readonly file: string) {}

  /** Commits one batch in the thread; resolves with each write's outcome once it has committed. */
  commit(writes: IngestWrite[]): Promise<Outcome[]> {
    if (this.closed) return Promise.reject(new Error("the store is closed: no more writes"));
    const running = this.current ?? this.start();
    const seq = ++this.seq;
    return new Promise<Outcome[]>((resolve, reject) => {
      running.pending.set(seq, { resolve, reject });
      // Keeps the process alive only while a batch is out (a script that forgets close() still ends).
      running.worker.ref();
      running.worker.postMessage({ type: "batch", seq, writes } satisfies ToWriter);
    });
  }

  /** Whether a thread is running (tests: close() ends it). */
  get running(): boolean {
    return this.current !== null;
  }

  /** Ends the thread after the batches already sent (their promises settle first); later writes are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.current;
    if (!running) return;
    running.closing = true;
    await new Promise<void>((resolve) => {
      running.worker.once("exit", () => resolve());
      running.worker.postMessage({ type: "close" } satisfies ToWriter);
    });
  }

  private start(): Running {
    const workerData = { file: this.file };
    // Bundled by Next, the entry is the chunk Turbopack emits for writer.ts (with its imports;
    // better-sqlite3 stays external). NEXT_RUNTIME is a constant Next compiles into its server
    // code (instrumentation.ts reads it too), not a setting. Run from source (Vitest, tsx scripts),
    // the entry is TypeScript, which Node 20 cannot load in a worker even with tsx's --import hooks
    // (they do not reach a worker's entry): a one-line bootstrap imports it through tsx's API.
    const worker =
      process.env.NEXT_RUNTIME === "nodejs"
        ? new Worker(new URL("./writer.ts", import.meta.url), { workerData })
        : new Worker(`import("tsx/esm/api").then((tsx) => tsx.tsImport(${JSON.stringify(import.meta.url.replace(/writer-thread\.ts$/, "writer.ts"))}, { parentURL: ${JSON.stringify(import.meta.url)} }))`, { eval: true, workerData });
    const running: Running = { worker, pending: new Map(), closing: false, lastTransaction: 0, unusable: null };
    this.current = running;
    this.started++;
    worker.unref();
    worker.on("message", (m: FromWriter) => {
      if (m.type === "unusable") {
        running.unusable = fromWire(m.error);
        return;
      }
      const p = running.pending.get(m.seq);
      if (!p) return;
      running.pending.delete(m.seq);
      if (running.pending.size === 0) worker.unref();
      if (m.type === "failed") return p.reject(fromWire(m.error));
      // Batches merged into one transaction are answered one after the other with its number.
      if (m.transaction !== running.lastTransaction) this.stats.transactions++;
      running.lastTransaction = m.transaction;
      this.stats.writes += m.results.length;
      p.resolve(m.results.map((r) => (r.ok ? r : { ok: false, error: fromWire(r.error) })));
    });
    let cause: unknown = null;
    worker.on("error", (e) => {
      cause = e;
    });
    worker.on("exit", (code) => {
      if (this.current === running) this.current = null;
      if (running.unusable) {
        // Its connection never opened, so nothing it was sent committed: SQLite's own error
        // (SQLITE_CANTOPEN, …) for each batch, which the store reports as the database being
        // unavailable (503). Logged there, at most every 30 s, not once per thread here.
        for (const p of running.pending.values()) p.reject(running.unusable);
        running.pending.clear();
        return;
      }
      const why = running.closing ? "the store was closed" : cause instanceof Error ? `${cause.name}: ${cause.message}` : `exit code ${code}`;
      if (!running.closing) console.error(`[tether] the SQLite writer thread stopped (${why}); ${running.pending.size} batch(es) unanswered; the next write starts a new one`);
      if (running.pending.size === 0) return;
      const error = new WriterThreadError(`the SQLite writer thread stopped (${why}) before reporting this write: whether it committed is unknown`, { cause });
      for (const p of running.pending.values()) p.reject(error);
      running.pending.clear();
    });
    return running;
  }
}
