/**
 * Zendesk's account-wide budget: so many requests per minute and account, announced on every answer with
 * `X-Rate-Limit` / `X-Rate-Limit-Remaining`; over it, 429 with `Retry-After` (seconds to the next minute).
 * Counted in fixed windows of one clock minute, per tenant.
 */
export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
}

export class MinuteRateLimiter {
  private readonly windows = new Map<string, { minute: number; used: number }>();

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `key` and says whether it is within the budget. */
  take(key: string): RateLimitState {
    const now = this.now();
    const minute = Math.floor(now / 60_000);
    let window = this.windows.get(key);
    if (!window || window.minute !== minute) {
      window = { minute, used: 0 };
      this.windows.set(key, window);
    }
    const allowed = window.used < this.limit;
    if (allowed) window.used++;
    return {
      allowed,
      limit: this.limit,
      remaining: this.limit - window.used,
      resetSeconds: Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)),
    };
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
