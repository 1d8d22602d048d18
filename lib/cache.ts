/**
 * A small read-through cache: identical concurrent loads share one promise (so fifty viewers
 * opening a page during an incident cost AWS one listing), and results are reused for a TTL.
 * `refresh` skips the stored value but still joins a load already under way; with `minAgeMs`, a
 * refresh of a value younger than that is not honoured (the caller shares the last result), so
 * forced refreshes cost at most one load per key per `minAgeMs`.
 *
 * With `staleMs`, a value older than the TTL but not older than TTL + `staleMs` is still answered at
 * once while a load runs in the background (stale-while-revalidate): a reader never waits for a
 * reload it did not ask for, as long as something (a poller, an earlier reader) keeps reloading.
 * Older than that, or with a TTL of zero, readers wait for the load as without it.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  private readonly inflight = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly now: () => number = Date.now,
    private readonly staleMs: () => number = () => 0,
  ) {}

  async get(key: string, load: () => Promise<T>, opts: { refresh?: boolean; minAgeMs?: number } = {}): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      const age = this.now() - hit.at;
      const ttl = this.ttlMs();
      if (opts.refresh ? age < (opts.minAgeMs ?? 0) : age < ttl) return hit.value;
      // A TTL of zero means "never reuse": nothing stale either.
      if (!opts.refresh && ttl > 0 && age < ttl + this.staleMs()) {
        // Whoever waits on a reload gets its error; nobody waits on this one.
        this.load(key, load).catch(() => undefined);
        return hit.value;
      }
    }
    return this.load(key, load);
  }

  /** The load under way for the key, or a new one (stored when it succeeds). */
  private load(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = load()
      .then((value) => {
        this.entries.set(key, { value, at: this.now() });
        return value;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  /** The stored value, however old (or undefined). */
  peek(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  clear(): void {
    this.entries.clear();
  }
}
