import type { FreshdeskPlan } from './model.js';

/**
 * Freshdesk's per-minute limits, per account ("Rate Limit", https://developers.freshdesk.com/api/#ratelimit; "What
 * are the rate limits for the API calls to Freshdesk?", https://support.freshdesk.com/support/solutions/articles/225439):
 * the plan's calls a minute for the whole account, and a lower allowance of its own for the tickets list and the
 * contacts list. A call costs credits (one, more when it embeds: `include=description` on the tickets list); every
 * answer carries `X-Ratelimit-Total`, `X-Ratelimit-Remaining` and `X-Ratelimit-Used-CurrentRequest`, and a call over
 * a limit is answered 429 with `Retry-After` (seconds). Invalid requests count too. Counted in fixed windows of one
 * clock minute; a refused call is not counted.
 */
export type LimitedList = 'tickets' | 'contacts';

export interface RateLimitVerdict {
  allowed: boolean;
  total: number;
  remaining: number;
  used: number;
  retryAfterSeconds: number;
}

export class FreshdeskRateLimiter {
  private readonly windows = new Map<string, { index: number; account: number; tickets: number; contacts: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Spends `credits` of `domain`'s minute (and one call of `list`'s own allowance), when there is room for them. */
  take(domain: string, plan: FreshdeskPlan, credits: number, list?: LimitedList): RateLimitVerdict {
    const now = this.now();
    const index = Math.floor(now / 60_000);
    let window = this.windows.get(domain);
    if (!window || window.index !== index) {
      window = { index, account: 0, tickets: 0, contacts: 0 };
      this.windows.set(domain, window);
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(((index + 1) * 60_000 - now) / 1000));
    const listFull =
      (list === 'tickets' && window.tickets >= plan.ticketsList) ||
      (list === 'contacts' && window.contacts >= plan.contactsList);
    const allowed = window.account + credits <= plan.perMinute && !listFull;
    if (allowed) {
      window.account += credits;
      if (list) window[list]++;
    }
    return {
      allowed,
      total: plan.perMinute,
      remaining: plan.perMinute - window.account,
      used: allowed ? credits : 0,
      retryAfterSeconds,
    };
  }
}

export function rateLimitHeaders(verdict: RateLimitVerdict): Record<string, string> {
  return {
    'x-ratelimit-total': String(verdict.total),
    'x-ratelimit-remaining': String(verdict.remaining),
    'x-ratelimit-used-currentrequest': String(verdict.used),
  };
}
