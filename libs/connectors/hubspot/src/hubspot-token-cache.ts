import { LRUCache } from 'lru-cache';
import { DeadlineExceededError } from '#interactions';

interface Entry<T> {
  value: Promise<T>;
  /** Set once the load succeeded; a pending entry has none. */
  settled?: { value: T };
}

export interface PerTokenCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/**
 * Account metadata (portal id, pipelines) kept per HubSpot token for a while, in this process: the tier in front of
 * the shared one (CredentialMetadata, Redis), holding parsed values and sharing loads in flight. Keys are token hashes
 * (HubspotCredentials.tokenKey), never tokens. Concurrent requests for one token share one in-flight load; a failed
 * load is forgotten at once, so the next request tries again. At most `maxEntries` tokens are kept (lru-cache: the
 * least recently used go first), each for `ttlMs` from when it was stored.
 */
export class PerTokenCache<T> {
  private readonly entries: LRUCache<string, Entry<T>>;

  constructor(options: PerTokenCacheOptions) {
    this.entries = new LRUCache({
      max: options.maxEntries,
      ttl: options.ttlMs,
      // No cached clock: a value is stale as soon as its TTL has passed.
      ttlResolution: 0,
      ...(options.now ? { perf: { now: options.now } } : {}),
    });
  }

  /** The cached value, the load already in flight, or a new load. */
  async get(tokenKey: string, load: () => Promise<T>): Promise<T> {
    const shared = this.entries.get(tokenKey);
    if (!shared) return this.start(tokenKey, load).value;
    try {
      return await shared.value;
    } catch (error) {
      // Another request's load ran out of *its* deadline; this request may still have time for its own.
      if (!(error instanceof DeadlineExceededError)) throw error;
      return (this.entries.get(tokenKey) ?? this.start(tokenKey, load)).value;
    }
  }

  /**
   * Loads again because `stale` turned out to be out of date, unless another request already did (or is doing) so:
   * then its result is shared, and the CRM is asked once.
   */
  refresh(tokenKey: string, stale: T, load: () => Promise<T>): Promise<T> {
    const current = this.entries.get(tokenKey);
    if (current && (!current.settled || current.settled.value !== stale)) return current.value;
    return this.start(tokenKey, load).value;
  }

  /** The value held for this key, if its load succeeded and has not expired; never loads. */
  peek(tokenKey: string): T | undefined {
    return this.entries.peek(tokenKey)?.settled?.value;
  }

  /** Stores a value fetched elsewhere (e.g. while verifying credentials). */
  set(tokenKey: string, value: T): void {
    this.entries.set(tokenKey, { value: Promise.resolve(value), settled: { value } });
  }

  /** The keys held, least recently used first, for tests and debugging: token hashes only. */
  tokenKeys(): string[] {
    return [...this.entries.rkeys()];
  }

  private start(tokenKey: string, load: () => Promise<T>): Entry<T> {
    const entry: Entry<T> = { value: load() };
    entry.value.then(
      (value) => {
        entry.settled = { value };
      },
      () => {
        if (this.entries.peek(tokenKey) === entry) this.entries.delete(tokenKey);
      },
    );
    this.entries.set(tokenKey, entry);
    return entry;
  }
}
