/**
 * A small read-through cache: identical concurrent loads share one promise (so fifty viewers
 * opening a page during an incident cost AWS one listing), and results are reused for a TTL.
 * `refresh` skips the stored value but still joins a load already under way; with `minAgeMs`, a
 * refresh of a value younger than that is not honoured (the caller shares the last result), so
 * forced refreshes cost at most one load per key per `minAgeMs`.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  private readonly inflight = new Map<string, Promise<T>>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<T>, opts: { refresh?: boolean; minAgeMs?: number } = {}): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      const age = this.now() - hit.at;
      if (opts.refresh ? age < (opts.minAgeMs ?? 0) : age < this.ttlMs()) return hit.value;
    }
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
