import { ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { hash } from 'node:crypto';
import type { CrmHttpSettings } from './crm-http-settings.js';

const MAX_BREAKERS = 10_000;

/**
 * One cockatiel breaker per CRM host and credential: one customer's dead CRM, or revoked-but-retried token, must
 * not cut off the others. Keys hold a hash of the credential, never the credential. At most MAX_BREAKERS are kept,
 * the least recently used dropped first.
 */
export class CircuitBreakers {
  private readonly breakers = new LRUCache<string, CircuitBreakerPolicy>({ max: MAX_BREAKERS });

  constructor(
    private readonly settings: CrmHttpSettings,
    private readonly countsAsFailure: (error: unknown) => boolean,
  ) {}

  for(origin: string, credential: string): CircuitBreakerPolicy {
    // crypto.hash: the one-shot form, without a Hash object per call.
    const key = `${origin}|${hash('sha256', credential, 'base64url').slice(0, 22)}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = circuitBreaker(handleWhen(this.countsAsFailure), {
        halfOpenAfter: this.settings.breakerHalfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.settings.breakerFailureThreshold),
      });
      this.breakers.set(key, breaker);
    }
    return breaker;
  }
}
