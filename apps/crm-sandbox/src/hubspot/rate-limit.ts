/**
 * HubSpot's rate limits as a private app meets them:
 * - a burst budget per app (here: per token) over a rolling 10 seconds, `TEN_SECONDLY_ROLLING`, announced on every
 *   answer with `X-HubSpot-RateLimit-Max` / `-Remaining` / `-Interval-Milliseconds` (and the per-second split);
 * - a daily budget per account, `DAILY`, announced with `X-HubSpot-RateLimit-Daily` / `-Daily-Remaining`;
 * - the CRM search endpoints' own per-account limit, `SECONDLY`, outside the two above: 5 requests a second ("Search
 *   the CRM", Limitations, https://developers.hubspot.com/docs/api-reference/search/guide; the older changelog "CRM
 *   Search API Rate Limit Increase", https://developers.hubspot.com/changelog/crm-search-api-rate-limit-increase,
 *   said 4 a second per token). On by default, as at HubSpot. HubSpot's search answers carry none of the rate-limit
 *   headers.
 * Over a limit: 429 with `errorType: 'RATE_LIMIT'` and the `policyName` of the limit hit.
 * Source: "API usage guidelines" (https://developers.hubspot.com/docs/api/usage-details).
 */
import { FixedWindowCounter } from '../fixed-window-counter.js';

export const BURST_INTERVAL_MS = 10_000;
const DAY_MS = 86_400_000;
/** A Professional or Enterprise private app's burst budget. */
export const DEFAULT_BURST_LIMIT = 190;
/** An Enterprise account's daily budget. */
export const DEFAULT_DAILY_LIMIT = 1_000_000;
/** The CRM search endpoints' own limit, per account. */
export const DEFAULT_SEARCH_PER_SECOND = 5;

export type RatePolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

export interface RateDecision {
  allowed: boolean;
  /** Requests left in the window after this one. */
  remaining: number;
  /** When refused: ms until a request would be allowed again. */
  retryAfterMs: number;
}

/** So many requests per key in any window of `windowMs` (a sliding log of the window's request times). */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  take(key: string): RateDecision {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((time) => time > now - this.windowMs);
    this.hits.set(key, recent);
    if (recent.length >= this.limit) {
      return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, recent[0]! + this.windowMs - now) };
    }
    recent.push(now);
    return { allowed: true, remaining: this.limit - recent.length, retryAfterMs: 0 };
  }
}

export interface RateLimitOptions {
  burstLimit: number;
  dailyLimit: number;
  /** Search calls per second and portal; `off`: search is not limited. */
  searchPerSecond: number | 'off';
  now: () => number;
}

/** The outcome of counting one request: headers for the answer, and the refusal if a limit was hit. */
export interface RateOutcome {
  headers: Record<string, string>;
  refused?: { policy: RatePolicy; retryAfterMs: number };
}

export class HubspotRateLimits {
  private readonly burst: SlidingWindowLimiter;
  /** Per portal and UTC day. */
  private readonly daily: FixedWindowCounter;
  private readonly search?: SlidingWindowLimiter;

  constructor(private readonly options: RateLimitOptions) {
    this.burst = new SlidingWindowLimiter(options.burstLimit, BURST_INTERVAL_MS, options.now);
    this.daily = new FixedWindowCounter(options.dailyLimit, DAY_MS, options.now);
    if (options.searchPerSecond !== 'off') {
      this.search = new SlidingWindowLimiter(Math.max(0, Math.floor(options.searchPerSecond)), 1_000, options.now);
    }
  }

  /** Counts a request other than a search: burst budget per token, daily budget per portal. */
  takeStandard(token: string, portalKey: string): RateOutcome {
    const burst = this.burst.take(token);
    if (!burst.allowed) {
      return {
        headers: this.headers(0, this.daily.remaining(portalKey)),
        refused: { policy: 'TEN_SECONDLY_ROLLING', retryAfterMs: burst.retryAfterMs },
      };
    }
    const daily = this.daily.take(portalKey);
    const headers = this.headers(burst.remaining, daily.remaining);
    return daily.allowed ? { headers } : { headers, refused: { policy: 'DAILY', retryAfterMs: daily.msToReset } };
  }

  /** Counts a search call against the per-second search limit, if one is set. Search answers carry no headers. */
  takeSearch(portalKey: string): RateOutcome {
    const decision = this.search?.take(portalKey);
    if (decision && !decision.allowed)
      return { headers: {}, refused: { policy: 'SECONDLY', retryAfterMs: decision.retryAfterMs } };
    return { headers: {} };
  }

  private headers(burstRemaining: number, dailyRemaining: number): Record<string, string> {
    const { burstLimit, dailyLimit } = this.options;
    const perSecond = Math.max(1, Math.floor(burstLimit / (BURST_INTERVAL_MS / 1000)));
    return {
      'x-hubspot-ratelimit-daily': String(dailyLimit),
      'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, dailyRemaining)),
      'x-hubspot-ratelimit-interval-milliseconds': String(BURST_INTERVAL_MS),
      'x-hubspot-ratelimit-max': String(burstLimit),
      'x-hubspot-ratelimit-remaining': String(Math.max(0, burstRemaining)),
      'x-hubspot-ratelimit-secondly': String(perSecond),
      'x-hubspot-ratelimit-secondly-remaining': String(Math.max(0, Math.min(perSecond, burstRemaining))),
    };
  }
}

/** HubSpot's 429 body (`errorType`, `policyName`) for the limit hit. */
export function rateLimitBody(policy: RatePolicy, correlationId: string): Record<string, string> {
  const what = { TEN_SECONDLY_ROLLING: 'ten_secondly_rolling', DAILY: 'daily', SECONDLY: 'secondly' }[policy];
  return {
    status: 'error',
    message: `You have reached your ${what} limit.`,
    errorType: 'RATE_LIMIT',
    correlationId,
    policyName: policy,
    category: 'RATE_LIMITS',
  };
}
