import { DeadlineExceededError } from '#interactions';

interface Entry<T> {
  value: Promise<T>;
  expiresAt: number;
  /** Set once the load succeeded; a pending entry has none. */
  settled?: { value: T };
}

export interface PerTokenCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/**
 * Account metadata (portal id, pipelines) kept per HubSpot token for a while. Keys are token hashes
 * (HubspotCredentials.tokenKey), never tokens. Concurrent requests for one token share one in-flight load; a failed
 * load is forgotten at once, so the next request tries again.
 */
export class PerTokenCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;

  constructor(private readonly options: PerTokenCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The cached value, the load already in flight, or a new load. */
  async get(tokenKey: string, load: () => Promise<T>): Promise<T> {
    const shared = this.fresh(tokenKey);
    if (!shared) return this.start(tokenKey, load).value;
    try {
      return await shared.value;
    } catch (error) {
      // Another request's load ran out of *its* deadline; this request may still have time for its own.
      if (!(error instanceof DeadlineExceededError)) throw error;
      return (this.fresh(tokenKey) ?? this.start(tokenKey, load)).value;
    }
  }

  /**
   * Loads again because `stale` turned out to be out of date, unless another request already did (or is doing) so:
   * then its result is shared, and the CRM is asked once.
   */
  refresh(tokenKey: string, stale: T, load: () => Promise<T>): Promise<T> {
    const current = this.fresh(tokenKey);
    if (current && (!current.settled || current.settled.value !== stale)) return current.value;
    return this.start(tokenKey, load).value;
  }

  /** Stores a value fetched elsewhere (e.g. while verifying credentials). */
  set(tokenKey: string, value: T): void {
    this.store(tokenKey, {
      value: Promise.resolve(value),
      expiresAt: this.now() + this.options.ttlMs,
      settled: { value },
    });
  }

  /** The keys held, for tests and debugging: token hashes only. */
  tokenKeys(): string[] {
    return [...this.entries.keys()];
  }

  private fresh(tokenKey: string): Entry<T> | undefined {
    const entry = this.entries.get(tokenKey);
    if (entry && entry.expiresAt > this.now()) return entry;
    return undefined;
  }

  private start(tokenKey: string, load: () => Promise<T>): Entry<T> {
    const entry: Entry<T> = { value: load(), expiresAt: this.now() + this.options.ttlMs };
    entry.value.then(
      (value) => {
        entry.settled = { value };
      },
      () => {
        if (this.entries.get(tokenKey) === entry) this.entries.delete(tokenKey);
      },
    );
    this.store(tokenKey, entry);
    return entry;
  }

  private store(tokenKey: string, entry: Entry<T>): void {
    this.entries.delete(tokenKey); // re-inserted last: the Map's order is the eviction order
    if (this.entries.size >= this.options.maxEntries) this.evict();
    this.entries.set(tokenKey, entry);
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }
}
