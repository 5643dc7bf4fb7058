import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/** The list endpoints Freshdesk limits per minute on their own, below the account's allowance. */
export type FreshdeskListEndpoint = 'tickets' | 'contacts';

/** Freshdesk's limits are per minute: without a Retry-After, a spent allowance is back within one. */
const MINUTE_SECONDS = 60;

/**
 * Freshdesk limits some list endpoints per minute below the account's allowance (Growth: 200 calls a minute, of which
 * at most 20 "Tickets List" and 20 "Contacts List"; Pro 100 and 100; Enterprise 200 and 200: "What are the rate
 * limits for the API calls to Freshdesk?", https://support.freshdesk.com/support/solutions/articles/225439, and the
 * API reference's "Rate Limit", https://developers.freshdesk.com/api/#ratelimit), and answers a call over it with 429
 * and `Retry-After`. The account's `X-Ratelimit-Remaining` (what the CRM budget reads) may still be high then, so the
 * budget cannot see it; this remembers, per account and endpoint, until when Freshdesk said to wait, and the API
 * class makes no call to that endpoint before then (a refused call still counts toward Freshdesk's limits, so
 * retrying each pop would only keep the account refused). Per process: another replica learns it from its own 429.
 */
@Injectable()
export class FreshdeskListCooldowns {
  private readonly until = new LRUCache<string, number>({ max: 10_000 });
  /** The clock (ms); tests move it. */
  now: () => number = Date.now;

  /** Freshdesk refused a call to `endpoint` of `domain` with 429 and this Retry-After (seconds). */
  limited(domain: string, endpoint: FreshdeskListEndpoint, retryAfterSeconds: number | undefined): void {
    const seconds =
      retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0
        ? Math.min(retryAfterSeconds, MINUTE_SECONDS)
        : MINUTE_SECONDS;
    this.until.set(`${domain} ${endpoint}`, this.now() + seconds * 1000);
  }

  /** Seconds to wait before calling `endpoint` of `domain` again; 0 when it may be called. */
  waitSeconds(domain: string, endpoint: FreshdeskListEndpoint): number {
    const until = this.until.get(`${domain} ${endpoint}`);
    if (until === undefined) return 0;
    const ms = until - this.now();
    if (ms <= 0) {
      this.until.delete(`${domain} ${endpoint}`);
      return 0;
    }
    return Math.ceil(ms / 1000);
  }
}
