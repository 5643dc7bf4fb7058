import { Logger, type FactoryProvider, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { ProtectionSettings } from './protection-config.js';

/**
 * The one optional ioredis client the edge's limiters take (undefined: counters in memory).
 *
 * MERGE NOTE: a stand-in of this branch. The CRM-budget work (`budget-cache`) provides the bridge's shared client
 * from REDIS_URL; at merge, bind this token to that client (or replace this token by theirs) and delete this file.
 */
export const LIMITER_REDIS = Symbol('LIMITER_REDIS');

export const PROTECTION_SETTINGS = Symbol('PROTECTION_SETTINGS');

/** Closes the client on shutdown, after the listener (shutdown.ts closes modules last). */
class ClosingRedis implements OnApplicationShutdown {
  constructor(readonly client: Redis | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}

export const LIMITER_REDIS_HOLDER = Symbol('LIMITER_REDIS_HOLDER');

export const limiterRedisProviders = (settings: ProtectionSettings): FactoryProvider[] => [
  {
    provide: LIMITER_REDIS_HOLDER,
    useFactory: () => {
      if (!settings.redisUrl) return new ClosingRedis(undefined);
      const logger = new Logger('Redis');
      const client = new Redis(settings.redisUrl, {
        // A screen pop never waits for Redis: the limiters fall back to memory when a command fails (insurance).
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2_000,
      });
      // The URL may carry a password: never logged; only that the connection failed and why.
      client.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
      return new ClosingRedis(client);
    },
  },
  { provide: LIMITER_REDIS, useFactory: (holder: ClosingRedis) => holder.client, inject: [LIMITER_REDIS_HOLDER] },
];
