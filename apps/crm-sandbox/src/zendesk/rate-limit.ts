/**
 * Zendesk's account-wide budget: so many requests per minute and account, announced on every answer with
 * `X-Rate-Limit` / `X-Rate-Limit-Remaining`; over it, 429 with `Retry-After` (seconds to the next minute).
 * Counted in fixed windows of one clock minute, per tenant.
 * Sources: "Rate limits", https://developer.zendesk.com/api-reference/introduction/rate-limits/, and "Best practices
 * for avoiding rate limiting" (developer.zendesk.com/documentation/api-basics/best-practices/).
 */
import { FixedWindowCounter } from '../fixed-window-counter.js';

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
}

export class MinuteRateLimiter {
  private readonly counter: FixedWindowCounter;

  constructor(
    readonly limit: number,
    now: () => number = Date.now,
  ) {
    this.counter = new FixedWindowCounter(limit, 60_000, now);
  }

  /** Counts one request of `key` (an account on plan `limit`) and says whether it is within the budget. */
  take(key: string, limit = this.limit): RateLimitState {
    const { allowed, remaining, msToReset } = this.counter.take(key, limit);
    return { allowed, limit, remaining, resetSeconds: Math.max(1, Math.ceil(msToReset / 1000)) };
  }

  /** The budget without counting a request (for answers outside any tenant). */
  peek(): RateLimitState {
    return { allowed: true, limit: this.limit, remaining: this.limit, resetSeconds: 60 };
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'x-rate-limit': String(state.limit),
    'x-rate-limit-remaining': String(state.remaining),
    'ratelimit-limit': String(state.limit),
    'ratelimit-remaining': String(state.remaining),
    'ratelimit-reset': String(state.resetSeconds),
  };
}
