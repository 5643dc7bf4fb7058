import { LRUCache } from 'lru-cache';
import { credentialHash } from '#interactions';
import type { SharedRedis } from '#shared-state';

/** How long a credential the CRM accepted stays known without being accepted again (each acceptance renews it). */
export const KNOWN_FOR_MS = 15 * 60_000;

/**
 * With Redis, how long this process trusts what it last read there: a credential one replica saw rejected is
 * forgotten in Redis at once, and by the other replicas within this.
 */
const LOCAL_FOR_MS = 5_000;

/** Credentials remembered in this process at most: one per tenant in practice, a few per tenant at rotation. */
const MAX_IN_MEMORY = 10_000;

/**
 * Credentials a CRM accepted recently: what the per-tenant limit is charged to before the work, and what the lockout
 * never refuses. Kept by keyed hash (HMAC-SHA-256 with CACHE_KEY_SECRET), never in clear, in this process's memory
 * and, with Redis, in Redis too so that every replica knows what one of them saw accepted (an entry lives
 * KNOWN_FOR_MS after the last acceptance). A Redis failure is reported (`degraded`) and the memory carries on.
 */
export class KnownCredentials {
  /** Keyed hash → when the CRM last accepted it (ms since the epoch). */
  private readonly memory = new LRUCache<string, number>({ max: MAX_IN_MEMORY });

  constructor(
    private readonly secret: Buffer,
    private readonly redis: SharedRedis | null | undefined,
  ) {}

  /** The keyed hash a request's credentials are known by: every field of `auth`, the connector's name with them. */
  keyOf(connector: string, auth: Record<string, unknown>): string {
    return credentialHash(this.secret, connector, auth as Record<string, string>);
  }

  async has(key: string): Promise<boolean> {
    if (this.memory.get(key) !== undefined) return true;
    const redis = this.redis;
    const client = redis?.use('rate_limit');
    if (!redis || !client) return false;
    try {
      const acceptedAt = Number(await client.get(redis.key('edge', 'known', key)));
      const leftMs = acceptedAt + KNOWN_FOR_MS - Date.now();
      if (!(leftMs > 0)) return false;
      this.memory.set(key, acceptedAt, { ttl: Math.min(leftMs, LOCAL_FOR_MS) });
      return true;
    } catch (error) {
      redis.degraded('rate_limit', error);
      return false;
    }
  }

  /** The CRM accepted these credentials: known from now on, renewed at most every quarter of KNOWN_FOR_MS. */
  accepted(key: string): void {
    const now = Date.now();
    const last = this.memory.get(key);
    if (last !== undefined && now - last < KNOWN_FOR_MS / 4) return;
    const redis = this.redis;
    this.memory.set(key, now, { ttl: redis ? LOCAL_FOR_MS : KNOWN_FOR_MS });
    const client = redis?.use('rate_limit');
    if (!redis || !client) return;
    client.set(redis.key('edge', 'known', key), String(now), 'PX', KNOWN_FOR_MS).catch((error: unknown) => {
      redis.degraded('rate_limit', error);
    });
  }

  /** The CRM rejected them (revoked, expired): no longer known, here and in Redis. */
  forget(key: string): void {
    this.memory.delete(key);
    const redis = this.redis;
    const client = redis?.use('rate_limit');
    if (!redis || !client) return;
    client.del(redis.key('edge', 'known', key)).catch((error: unknown) => {
      redis.degraded('rate_limit', error);
    });
  }
}
