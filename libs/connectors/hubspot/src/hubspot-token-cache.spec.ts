import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, UpstreamError } from '#interactions';
import { PerTokenCache } from './hubspot-token-cache.js';

function clockedCache(ttlMs = 1_000, maxEntries = 10) {
  const clock = { now: 5_000 };
  const cache = new PerTokenCache<string>({ ttlMs, maxEntries, now: () => clock.now });
  return { clock, cache };
}

function counter(values: string[] = ['v1', 'v2', 'v3']) {
  const loader = { calls: 0, load: async () => values[loader.calls++] ?? 'v?' };
  return loader;
}

describe('PerTokenCache', () => {
  it('loads once per key until the TTL passes', async () => {
    const { clock, cache } = clockedCache();
    const loader = counter();
    expect(await cache.get('k', loader.load)).toBe('v1');
    clock.now += 999;
    expect(await cache.get('k', loader.load)).toBe('v1');
    clock.now += 2;
    expect(await cache.get('k', loader.load)).toBe('v2');
    expect(loader.calls).toBe(2);
  });

  it('shares one in-flight load between concurrent callers', async () => {
    const { cache } = clockedCache();
    const loader = counter();
    expect(
      await Promise.all([cache.get('k', loader.load), cache.get('k', loader.load), cache.get('k', loader.load)]),
    ).toEqual(['v1', 'v1', 'v1']);
    expect(loader.calls).toBe(1);
  });

  it('forgets a failed load, so that the next caller tries again', async () => {
    const { cache } = clockedCache();
    await expect(cache.get('k', () => Promise.reject(new UpstreamError('503')))).rejects.toThrow('503');
    expect(cache.tokenKeys()).toEqual([]);
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
  });

  it('shares a failure with the callers that waited on it, except another request’s deadline', async () => {
    const { cache } = clockedCache();
    let fail!: (error: Error) => void;
    const first = cache.get('k', () => new Promise<string>((_, reject) => (fail = reject)));
    const waiter = cache.get('k', async () => 'loaded by the waiter');
    fail(new DeadlineExceededError('the first request ran out of time'));
    await expect(first).rejects.toThrow(DeadlineExceededError);
    expect(await waiter).toBe('loaded by the waiter');

    let failAgain!: (error: Error) => void;
    const next = cache.get('j', () => new Promise<string>((_, reject) => (failAgain = reject)));
    const nextWaiter = cache.get('j', async () => 'never');
    failAgain(new UpstreamError('503'));
    await expect(next).rejects.toThrow('503');
    await expect(nextWaiter).rejects.toThrow('503');
  });

  it('refreshes a stale value once, however many callers find it stale', async () => {
    const { cache } = clockedCache();
    const loader = counter();
    const stale = await cache.get('k', loader.load);
    const [a, b] = await Promise.all([cache.refresh('k', stale, loader.load), cache.refresh('k', stale, loader.load)]);
    expect([a, b]).toEqual(['v2', 'v2']);
    expect(await cache.refresh('k', stale, loader.load)).toBe('v2'); // someone already replaced it
    expect(loader.calls).toBe(2);
  });

  it('stores a value fetched elsewhere', async () => {
    const { cache } = clockedCache();
    cache.set('k', 'from verify');
    expect(await cache.get('k', async () => 'loaded')).toBe('from verify');
  });

  it('holds at most maxEntries keys, dropping the least recently used first', async () => {
    const { cache } = clockedCache(1_000, 2);
    cache.set('a', '1');
    cache.set('b', '2');
    expect(await cache.get('a', async () => 'reloaded')).toBe('1'); // `a` is now the more recently used
    cache.set('c', '3');
    expect(cache.tokenKeys().sort()).toEqual(['a', 'c']);
  });
});
