import type Database from "better-sqlite3";

/** What became of one write of a batch. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * One transaction for a batch of writes: one fsync (the database runs at synchronous=FULL) makes
 * the whole batch durable. Each write runs in its own savepoint: one that throws is rolled back
 * alone and reported as failed, the others commit. Throws when the transaction itself fails
 * (then nothing of the batch is stored). BEGIN IMMEDIATE: the write lock is taken first, waiting
 * (busy_timeout) for another connection's transaction to end, never failing half-way.
 */
export function commitBatch<W>(db: Database.Database, writes: W[], run: (write: W) => unknown): Outcome[] {
  const results: Outcome[] = [];
  db.transaction(() => {
    for (const write of writes) {
      try {
        // Nested: a savepoint, rolled back alone when this write throws.
        results.push({ ok: true, value: db.transaction(() => run(write))() });
      } catch (error) {
        results.push({ ok: false, error });
      }
    }
  }).immediate();
  return results;
}

/**
 * Group commit: writes that arrive together share one transaction, so one fsync makes a whole burst
 * durable instead of one fsync each. A caller's promise settles only after the transaction that
 * holds its write has committed — "committed before the answer" still holds for every caller.
 *
 * A batch forms from the writes submitted before the event loop's next check phase (setImmediate):
 * no timer, so a lone write waits for nothing. `commit` is either synchronous (commitBatch on this
 * thread's connection: each batch is its own transaction) or asynchronous (the writer thread). An
 * asynchronous committer is handed each batch as soon as it forms, without waiting for the one
 * before to be reported: the writer thread merges the batches that queue up while it flushes into
 * its next transaction, so it never waits for this thread to turn around. If `commit` throws or
 * rejects, every caller of the batch is rejected with that error.
 */
export class GroupCommit<W> {
  private queue: { write: W; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** Batches committed and the writes they held (with a synchronous committer, one transaction each). */
  readonly stats = { batches: 0, writes: 0 };

  constructor(
    private readonly commit: (batch: W[]) => Outcome[] | Promise<Outcome[]>,
    private readonly maxBatch = 500,
  ) {}

  run<T>(write: W): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves once every write submitted so far has settled (Store.close waits for it). */
  idle(): Promise<void> {
    if (!this.scheduled && this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    if (this.queue.length === 0) {
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.inFlight++;
    const settle = (results: Outcome[]) => {
      this.stats.batches++;
      this.stats.writes += batch.length;
      batch.forEach((item, i) => {
        const r = results[i];
        if (r?.ok) item.resolve(r.value);
        else item.reject(r ? r.error : new Error("the group commit reported no outcome for this write"));
      });
    };
    const fail = (error: unknown) => {
      for (const item of batch) item.reject(error);
    };
    const done = () => {
      this.inFlight--;
      this.schedule();
    };
    let outcome: Outcome[] | Promise<Outcome[]>;
    try {
      outcome = this.commit(batch.map((item) => item.write));
    } catch (error) {
      fail(error);
      done();
      return;
    }
    if (Array.isArray(outcome)) {
      settle(outcome);
      done();
    } else {
      void outcome.then(settle, fail).finally(done);
      // More writes may already be waiting (more than maxBatch arrived together).
      this.schedule();
    }
  }
}
