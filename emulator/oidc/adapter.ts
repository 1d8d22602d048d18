import type { Adapter, AdapterPayload } from "oidc-provider";

/**
 * oidc-provider's storage (sessions, interactions, grants, codes, tokens) in a Map owned by one
 * emulator, so two emulators in one process (tests) never share sign-ins. Entries expire after
 * `expiresIn` seconds. (oidc-provider has a built-in memory adapter, but it is process-wide and
 * prints a "development-only" warning.)
 */

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

export class OidcStore {
  readonly entries = new Map<string, Entry>();
  private writes = 0;

  adapterFor = (model: string): Adapter => new MemoryAdapter(this, model);

  get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    this.entries.set(key, { payload, expiresAt: expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000 });
    if (++this.writes % 500 === 0) this.sweep();
  }

  /** Drops expired entries (reads skip them anyway; this only bounds memory in a long demo). */
  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

class MemoryAdapter implements Adapter {
  constructor(
    private readonly store: OidcStore,
    private readonly model: string,
  ) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.set(this.key(id), payload, expiresIn);
    if (this.model === "Session" && payload.uid) this.store.set(`sessionUid:${payload.uid}`, { id }, expiresIn);
    if (payload.userCode) this.store.set(`userCode:${payload.userCode}`, { id }, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.get(this.key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const ref = this.store.get(`sessionUid:${uid}`);
    return typeof ref?.id === "string" ? this.find(ref.id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const ref = this.store.get(`userCode:${userCode}`);
    return typeof ref?.id === "string" ? this.find(ref.id) : undefined;
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.entries.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, entry] of this.store.entries) {
      if (entry.payload.grantId === grantId) this.store.entries.delete(key);
    }
  }
}
