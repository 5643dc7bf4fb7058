import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { SharedRedis, SharedStateOperation } from './shared-redis.js';

/**
 * A rate-limiter-flexible counter kept in Redis (shared by every replica) when there is one, with its stand-in in this
 * process's memory. Each operation goes to Redis while it is worth trying (`SharedRedis.use`: connected, no failure
 * in the last second); when Redis fails, the failure is reported (`degraded`: counted, logged, Redis left alone for
 * a second) and the operation is done in memory. A limiter's own refusal (RateLimiterRes) is passed on as it is.
 */
export class SharedLimiter {
  private readonly memory: RateLimiterMemory;
  private readonly redisStore?: RateLimiterRedis;

  /** `name`: the keys' prefix, under the shared Redis's own prefix there. */
  constructor(
    name: string,
    options: Omit<IRateLimiterOptions, 'keyPrefix'>,
    private readonly redis: SharedRedis | null | undefined,
    private readonly operation: SharedStateOperation,
  ) {
    this.memory = new RateLimiterMemory({ ...options, keyPrefix: name });
    if (redis) {
      this.redisStore = new RateLimiterRedis({
        ...options,
        keyPrefix: redis.key(name),
        storeClient: redis.client,
        rejectIfRedisNotReady: true,
      });
    }
  }

  async run<T>(work: (store: RateLimiterAbstract) => Promise<T>): Promise<T> {
    if (this.redisStore && this.redis?.use(this.operation)) {
      try {
        return await work(this.redisStore);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw error;
        this.redis.degraded(this.operation, error);
      }
    }
    return work(this.memory);
  }
}
