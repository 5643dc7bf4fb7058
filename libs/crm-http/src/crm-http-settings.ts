/** How the bridge talks to CRMs. Set from the environment at boot (see the bridge's config). */
export interface CrmHttpSettings {
  /** Attempts per CRM read, the first included (default 3). */
  maxAttempts: number;
  /** Backoff before retry n is a random delay in [0, min(maxBackoffMs, baseBackoffMs * 2^(n-1))] (full jitter). */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** A CRM response larger than this is an upstream error, not a memory problem (default 5 MiB). */
  maxResponseBytes: number;
  /** Consecutive failures (network, 5xx, timeouts) of one CRM host and credential that open its breaker. */
  breakerFailureThreshold: number;
  /** How long an open breaker answers at once before letting one probe through. */
  breakerHalfOpenAfterMs: number;
  /**
   * CRM calls of one request in flight at once; the others wait their turn (docs/contract.md, "The CRM's API
   * budget": default 6). Bounds what one screen pop can take from the customer's account at a time.
   */
  maxInFlightPerRequest: number;
}

export const CRM_HTTP_SETTINGS = Symbol('CRM_HTTP_SETTINGS');

export const DEFAULT_CRM_HTTP_SETTINGS: CrmHttpSettings = {
  maxAttempts: 3,
  baseBackoffMs: 100,
  maxBackoffMs: 2_000,
  maxResponseBytes: 5 * 1024 * 1024,
  breakerFailureThreshold: 5,
  breakerHalfOpenAfterMs: 10_000,
  maxInFlightPerRequest: 6,
};
