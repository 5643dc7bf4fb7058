import { describe, expect, it } from 'vitest';
import { FixedWindowCounter } from './fixed-window-counter.js';
import { HubspotRateLimits } from './hubspot/rate-limit.js';

describe('FixedWindowCounter', () => {
  it('counts per key up to the limit, refuses without counting, and starts afresh with the next window', () => {
    let now = 60_000 * 10 + 15_000; // 15 s into a minute
    const counter = new FixedWindowCounter(2, 60_000, () => now);
    expect(counter.take('a')).toEqual({ allowed: true, remaining: 1, msToReset: 45_000 });
    expect(counter.take('b')).toEqual({ allowed: true, remaining: 1, msToReset: 45_000 });
    expect(counter.take('a')).toEqual({ allowed: true, remaining: 0, msToReset: 45_000 });
    now += 40_000;
    expect(counter.take('a')).toEqual({ allowed: false, remaining: 0, msToReset: 5_000 });
    expect(counter.remaining('a')).toBe(0);
    expect(counter.remaining('b')).toBe(1);
    now += 5_000; // the next minute
    expect(counter.remaining('a')).toBe(2);
    expect(counter.take('a')).toEqual({ allowed: true, remaining: 1, msToReset: 60_000 });
  });
});

describe('HubspotRateLimits: the daily budget', () => {
  it('refuses past the daily limit per portal with policy DAILY until the next UTC day, and says so in the headers', () => {
    const day = 86_400_000;
    let now = day * 20_000 + day - 1_000; // one second before midnight UTC
    const limits = new HubspotRateLimits({ burstLimit: 100, dailyLimit: 2, searchPerSecond: 'off', now: () => now });
    expect(limits.takeStandard('t1', 'acme').refused).toBeUndefined();
    expect(limits.takeStandard('t2', 'acme').headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    expect(limits.takeStandard('t1', 'acme').refused).toEqual({ policy: 'DAILY', retryAfterMs: 1_000 });
    expect(limits.takeStandard('t1', 'globex').refused).toBeUndefined();
    now += 1_000;
    const nextDay = limits.takeStandard('t1', 'acme');
    expect(nextDay.refused).toBeUndefined();
    expect(nextDay.headers['x-hubspot-ratelimit-daily-remaining']).toBe('1');
  });
});
