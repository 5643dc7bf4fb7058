import { describe, expect, it } from 'vitest';
import { fullJitterBackoffMs, parseRetryAfter } from './retry-timing.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-10-21T07:28:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['7', '9'], now)).toBe(7);
  });

  it('reads an HTTP date as the seconds until then, never negative', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Wednesday, 21-Oct-26 07:29:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('Wed Oct 21 07:28:10 2026', now)).toBe(10);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('2026-10-21', now)).toBeUndefined();
    expect(parseRetryAfter('Wed, 99 Foo 2026 07:28:30 GMT', now)).toBeUndefined();
  });
});

describe('fullJitterBackoffMs', () => {
  it('is uniform in [0, min(max, base·2^(retry-1))]', () => {
    expect(fullJitterBackoffMs(1, 100, 2_000, () => 0)).toBe(0);
    expect(fullJitterBackoffMs(1, 100, 2_000, () => 0.5)).toBe(50);
    expect(fullJitterBackoffMs(2, 100, 2_000, () => 0.5)).toBe(100);
    expect(fullJitterBackoffMs(3, 100, 2_000, () => 0.999)).toBe(399);
    expect(fullJitterBackoffMs(10, 100, 2_000, () => 0.999)).toBe(1_998);
  });

  it('stays within its bounds for any random value', () => {
    for (let retry = 1; retry <= 8; retry++) {
      for (let i = 0; i < 50; i++) {
        const delay = fullJitterBackoffMs(retry, 100, 2_000);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(2_000, 100 * 2 ** (retry - 1)));
      }
    }
  });
});
