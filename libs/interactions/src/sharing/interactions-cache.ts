import { Inject, Injectable, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { InjectSharedRedis, type SharedRedis } from '#shared-state';
import type { Deadline } from '../request-context.js';
import { SharingMetrics } from './sharing-metrics.js';
import { SHARING_SETTINGS, type SharingSettings } from './sharing-settings.js';

/** Contact resolutions, a contact's interactions of one type, and what connectors learn per credential. */
export type CacheTier = 'contacts' | 'interactions' | 'metadata';

/** How often a replica waiting for another replica's identical pop looks whether it is done. */
const WAIT_POLL_MS = 20;

/** How often a lock release Redis did not answer is sent again, until the lock would have expired. */
const RELEASE_RETRY_MS = 250;

/** Deletes the lock only when it is still ours (it may have expired and been taken since). */
const RELEASE_LOCK =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * The two cache tiers (contact resolution; a contact's interactions of one type) and the coalescing of identical
 * pops in flight. Entries live in this process's memory (lru-cache, bounded in entries and bytes) and, with
 * REDIS_URL, in Redis too, so that every replica finds what one of them fetched. Keys are built by the caller from
 * the tenant, a keyed hash of the credentials and a keyed hash of the query: never a credential or a caller's email
 * in clear. Redis errors (down, slow, refusing) are counted and the memory tier carries on.
 */
@Injectable()
export class InteractionsCache {
  private readonly memory: LRUCache<string, string>;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(SHARING_SETTINGS) private readonly settings: SharingSettings,
    private readonly metrics: SharingMetrics,
    @Optional() @InjectSharedRedis() private readonly redis: SharedRedis | null,
  ) {
    this.memory = new LRUCache<string, string>({
      max: settings.maxEntries,
      maxSize: settings.maxBytes,
      maxEntrySize: settings.maxEntryBytes,
      // UTF-16 code units: two bytes each in V8's worst case.
      sizeCalculation: (value, key) => 2 * (value.length + key.length),
    });
  }

  /**
   * The cached value of `key`, else `work()`'s, stored when `ttlSeconds(value)` is positive. A tier whose TTL is 0
   * neither reads nor stores.
   */
  async through<T>(
    tier: CacheTier,
    key: string,
    maxTtlSeconds: number,
    work: () => Promise<T>,
    ttlSeconds: (value: T) => number,
    onHit?: () => void,
  ): Promise<T> {
    if (maxTtlSeconds <= 0) return work();
    const cached = await this.read<T>(key);
    this.metrics.cacheLookups.inc({ tier, result: cached === undefined ? 'miss' : 'hit' });
    if (cached !== undefined) {
      onHit?.();
      return cached;
    }
    const value = await work();
    const ttl = Math.min(maxTtlSeconds, ttlSeconds(value));
    await this.write(key, value, ttl);
    return value;
  }

  /**
   * Identical work in flight is done once. Within the process, every caller of the same key shares the first one's
   * promise. Across replicas (Redis), the first to take a short lock does the work; the others wait until it is done
   * (at most half of what is left of their deadline), then do theirs, which finds the first one's results in the
   * cache. Without Redis, or when it fails, each replica does its own.
   */
  coalesce<T>(key: string, deadline: Deadline, work: () => Promise<T>): Promise<T> {
    if (!this.settings.coalesce) return work();
    const running = this.inFlight.get(key);
    if (running) {
      this.metrics.coalesced.inc({ scope: 'process' });
      return running as Promise<T>;
    }
    const promise = this.leadOrWait(key, deadline, work).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async leadOrWait<T>(key: string, deadline: Deadline, work: () => Promise<T>): Promise<T> {
    const redis = this.redis;
    const client = redis?.use('coalescing');
    if (!redis || !client) return work();
    const lock = redis.key('lock', key);
    const token = randomUUID();
    const ttlMs = Math.max(100, deadline.remainingMs());
    let acquired: boolean;
    try {
      acquired = (await client.set(lock, token, 'PX', ttlMs, 'NX')) === 'OK';
    } catch (error) {
      redis.degraded('coalescing', error);
      // A timed-out SET is not a failed one: a frozen Redis applies what it had queued when it resumes, and the
      // lock would then stand, ours and unreleased, keeping identical pops on other replicas waiting for nothing.
      void this.release(redis, lock, token, ttlMs);
      return work();
    }
    if (acquired) {
      try {
        return await work();
      } finally {
        await this.release(redis, lock, token, ttlMs);
      }
    }
    this.metrics.coalesced.inc({ scope: 'replicas' });
    const giveUpWhenLeftMs = deadline.budgetMs / 2;
    while (deadline.remainingMs() > giveUpWhenLeftMs) {
      await sleep(WAIT_POLL_MS);
      try {
        if ((await client.exists(lock)) === 0) break;
      } catch (error) {
        redis.degraded('coalescing', error);
        break;
      }
    }
    return work();
  }

  /**
   * Deletes the lock if it still holds our token (compare-and-delete), whatever became of the SET that took it. Sent
   * at once on the one connection, so it follows the SET in Redis's queue: when a frozen Redis resumes, it applies
   * the SET, then this. Until Redis has answered it, it is sent again every RELEASE_RETRY_MS (a dropped connection
   * may have lost it), and given up once the lock would have expired anyway. Resolves once the first attempt is
   * answered or has failed (the retries go on by themselves), never rejects.
   */
  private release(redis: SharedRedis, lock: string, token: string, ttlMs: number): Promise<void> {
    const expiresAt = Date.now() + ttlMs;
    // The client itself, not `use()`: a Redis paused after a failure is exactly when this must still be sent.
    const attempt = (): Promise<void> =>
      redis.client.eval(RELEASE_LOCK, 1, lock, token).then(
        () => undefined,
        (error: unknown) => {
          redis.degraded('coalescing', error);
          if (Date.now() + RELEASE_RETRY_MS < expiresAt) setTimeout(() => void attempt(), RELEASE_RETRY_MS).unref();
        },
      );
    return attempt();
  }

  private async read<T>(key: string): Promise<T | undefined> {
    const local = this.memory.get(key);
    if (local !== undefined) return unwrap<T>(local);
    const client = this.redis?.use('cache');
    if (!this.redis || !client) return undefined;
    let shared: string | null;
    try {
      shared = await client.get(this.redis.key('cache', key));
    } catch (error) {
      this.redis.degraded('cache', error);
      return undefined;
    }
    if (shared === null) return undefined;
    const value = unwrap<T>(shared);
    const ttlMs = expiresAt(shared) - Date.now();
    if (value !== undefined && ttlMs > 0) this.memory.set(key, shared, { ttl: ttlMs });
    return value;
  }

  /** Stores `value` under `key` for `ttlSeconds`, here and in Redis (a value learnt outside `through`). */
  async write(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    const entry = JSON.stringify({ expiresAt: Date.now() + ttlSeconds * 1000, value });
    if (2 * entry.length > this.settings.maxEntryBytes) return;
    this.memory.set(key, entry, { ttl: ttlSeconds * 1000 });
    const client = this.redis?.use('cache');
    if (!this.redis || !client) return;
    try {
      await client.set(this.redis.key('cache', key), entry, 'PX', ttlSeconds * 1000);
    } catch (error) {
      this.redis.degraded('cache', error);
    }
  }
}

function unwrap<T>(entry: string): T | undefined {
  try {
    const parsed = JSON.parse(entry) as { expiresAt: number; value: T };
    return parsed.expiresAt > Date.now() ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

function expiresAt(entry: string): number {
  try {
    return (JSON.parse(entry) as { expiresAt: number }).expiresAt;
  } catch {
    return 0;
  }
}
