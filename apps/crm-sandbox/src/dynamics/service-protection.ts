import type { DynamicsOrg } from './org.js';

/** A service protection refusal: 429, its Retry-After in seconds, and Dataverse's error code and message. */
export interface Throttle {
  retryAfterSeconds: number;
  code: string;
  message: string;
}

/**
 * Dataverse's service protection limits, per user ("Service protection API limits", How Service Protection API
 * Limits are enforced and Service Protection API Limit Errors returned,
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/api-limits): 6,000 requests and 20 minutes of
 * combined execution time within a 300-second sliding window, and 52 concurrent requests, each refused with 429, a
 * `Retry-After` in seconds and its own error code. A `$batch` is one request; its execution time is its parts'.
 *
 * Where the docs leave the duration to Dataverse ("depend on the nature of the operations"), the stand-in does the
 * least convenient thing: it asks to wait until the window has room again, which can be minutes.
 */
export function admit(org: DynamicsOrg, now = Date.now()): Throttle | undefined {
  while (org.recent.length > 0 && org.recent[0]!.at <= now - org.windowMs) org.recent.shift();
  if (org.inFlight >= org.concurrencyLimit) {
    return {
      retryAfterSeconds: 1,
      code: '0x80072326',
      message: `Number of concurrent requests exceeded the limit of ${org.concurrencyLimit}.`,
    };
  }
  const untilRoom = () => Math.max(1, Math.ceil((org.recent[0]!.at + org.windowMs - now) / 1000));
  if (org.recent.length >= org.requestLimit) {
    return {
      retryAfterSeconds: untilRoom(),
      code: '0x80072322',
      message: `Number of requests exceeded the limit of ${org.requestLimit} over time window of ${org.windowMs / 1000} seconds.`,
    };
  }
  const executionMs = org.recent.reduce((sum, request) => sum + request.ms, 0);
  if (executionMs >= org.executionTimeLimitMs) {
    return {
      retryAfterSeconds: untilRoom(),
      code: '0x80072321',
      message:
        `Combined execution time of incoming requests exceeded limit of ${org.executionTimeLimitMs} milliseconds ` +
        `over time window of ${org.windowMs / 1000} seconds. Decrease number of concurrent requests or reduce the ` +
        'duration of requests and try again later.',
    };
  }
  return undefined;
}

/** Counts one admitted request: when it came, and (once answered) how long it took. */
export function count(org: DynamicsOrg, now = Date.now()): { done: () => void } {
  const request = { at: now, ms: 0 };
  org.recent.push(request);
  org.inFlight++;
  return {
    done: () => {
      org.inFlight--;
      request.ms = Date.now() - now;
    },
  };
}
