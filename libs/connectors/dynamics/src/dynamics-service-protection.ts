import { Injectable } from '@nestjs/common';
import { bulkhead, type BulkheadPolicy } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { parseRetryAfter } from '#crm-http';
import { RateLimitedError } from '#interactions';
import { InjectDynamicsConfig, type DynamicsConfig } from './dynamics-config.js';

interface OrgState {
  /** This process's requests to the org in flight, at most DYNAMICS_MAX_CONCURRENT_REQUESTS; the rest wait their turn. */
  slots: BulkheadPolicy;
  /** Until when Dataverse asked the org's user to wait (its Retry-After); no request is sent before then. */
  holdUntil: number;
}

/**
 * Dataverse's service protection limits, honoured per org ("Service protection API limits",
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/api-limits). They are evaluated per user, and
 * an org's screen pops all run as the one user whose token Talkdesk holds, so the org is the unit here:
 *
 * - **Concurrent requests:** "52 or higher" per user, and "exceeding the number of concurrent requests will
 *   immediately return an error": this process keeps at most DYNAMICS_MAX_CONCURRENT_REQUESTS in flight per org.
 * - **Requests (6,000) and execution time (20 minutes) in a 5-minute sliding window:** answered 429 "with a
 *   Retry-After with number of seconds", and "if the application continues to send such demanding requests, the
 *   duration will be extended". So once an answer carries Retry-After, every pop of the org is refused here, without a
 *   request, until it has passed; the CRM budget (planLimit: 6,000 per 300 s) keeps the bridge's own share below the
 *   request limit beforehand.
 *
 * Per process: each replica learns the Retry-After from its own calls.
 */
@Injectable()
export class DynamicsServiceProtection {
  private readonly orgs = new LRUCache<string, OrgState>({ max: 10_000 });

  constructor(@InjectDynamicsConfig() private readonly config: DynamicsConfig) {}

  /** Sends one request for `org` when a slot is free and no Retry-After is running. */
  async send<T>(org: string, request: () => Promise<T>): Promise<T> {
    const state = this.stateOf(org);
    this.refuseWhileHeld(org, state);
    return state.slots.execute(() => {
      this.refuseWhileHeld(org, state); // checked again once a slot is free: a 429 may have come in meanwhile
      return request();
    });
  }

  /** Reads an answer's headers: a Retry-After (429, or a 503 that asks to wait) holds the org's requests back. */
  observe(org: string, headers: Record<string, unknown>): void {
    const header = headers['retry-after'];
    const seconds = parseRetryAfter(typeof header === 'string' || Array.isArray(header) ? header : undefined);
    if (seconds === undefined || seconds <= 0) return;
    const state = this.stateOf(org);
    state.holdUntil = Math.max(state.holdUntil, Date.now() + seconds * 1000);
  }

  private refuseWhileHeld(org: string, state: OrgState): void {
    const waitMs = state.holdUntil - Date.now();
    if (waitMs <= 0) return;
    throw new RateLimitedError(`dynamics asked to wait before more requests to ${org} (Retry-After)`, {
      retryAfterSeconds: Math.ceil(waitMs / 1000),
    });
  }

  private stateOf(org: string): OrgState {
    let state = this.orgs.get(org);
    if (!state) {
      // Unbounded queue: the request's deadline bounds the wait (CrmHttpClient checks it when the call's turn comes).
      state = { slots: bulkhead(this.config.maxConcurrentRequests, Number.POSITIVE_INFINITY), holdUntil: 0 };
      this.orgs.set(org, state);
    }
    return state;
  }
}
