import type Database from "better-sqlite3";

/**
 * Group commit: writes that arrive together share one transaction, so one fsync (the database runs
 * at synchronous=FULL) makes a whole burst durable instead of one fsync each. A caller's promise
 * settles only after the transaction that holds its write has committed — "committed before the
 * answer" still holds for every caller.
 *
 * A batch forms from the writes submitted before the event loop's next check phase (setImmediate):
 * no timer, so a lone write waits for nothing. Each write runs in its own savepoint: one that throws
 * is rolled back alone and rejects its own caller; if the commit itself fails, every caller of the
 * batch is rejected and nothing of it is stored.
 */
export class GroupCommit {
  private queue: { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;
  /** Transactions committed and writes they held (for tests and the benchmark). */
  readonly stats = { transactions: 0, writes: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly maxBatch = 500,
  ) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      try {
        this.db.transaction(() => {
          for (const item of batch) {
            try {
              // Nested: a savepoint, rolled back alone when this write throws.
              results.push({ ok: true, value: this.db.transaction(item.work)() });
            } catch (error) {
              results.push({ ok: false, error });
            }
          }
        })();
      } catch (error) {
        for (const item of batch) item.reject(error);
        continue;
      }
      this.stats.transactions++;
      this.stats.writes += batch.length;
      batch.forEach((item, i) => {
        const r = results[i];
        if (r?.ok) item.resolve(r.value);
        else item.reject(r?.error);
      });
    }
  }
}
