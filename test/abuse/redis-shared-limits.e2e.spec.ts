import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_REDIS, type SharedRedis } from '#shared-state';
import { ACME_AUTH, janeRequest, startCountedBridge, type CountedBridge } from './support.js';

/**
 * Two bridges (two replicas) sharing their counters through the real Redis at 127.0.0.1:6379, under a key prefix of
 * this test's own: a tenant over its limit on one replica is over it on the other, and so is a lockout.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `abuse-test:${randomUUID()}`;
const env = {
  REDIS_URL,
  REDIS_KEY_PREFIX: `${prefix}:`,
  RATE_LIMIT_PER_TENANT_PER_MINUTE: '4',
  LOCKOUT_MAX_FAILURES: '2',
  TRUST_PROXY: '127.0.0.1',
};
let one: CountedBridge;
let two: CountedBridge;
const redis = new Redis(REDIS_URL, { lazyConnect: true });

beforeAll(async () => {
  [one, two] = await Promise.all([startCountedBridge(env), startCountedBridge(env)]);
  // Until its client is connected, a replica counts in memory (the insurance limiter): wait, so that all count in Redis.
  await Promise.all(
    [one, two].map(async (bridge) => {
      const { client } = bridge.app.get<SharedRedis>(SHARED_REDIS);
      if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    }),
  );
});

afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('limits shared through Redis', () => {
  it('count a tenant across replicas: the fifth request, on either, is a 429 without a CRM call', async () => {
    const statuses = [];
    for (const bridge of [one, two, one, two]) {
      statuses.push(
        (await bridge.post('/zendesk/interactions', janeRequest(), { 'x-forwarded-for': '192.0.2.10' })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    const calls = one.crmRequests() + two.crmRequests();
    const refused = await one.post('/zendesk/interactions', janeRequest());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(one.crmRequests() + two.crmRequests()).toBe(calls);
    // The counters are in Redis, under this test's prefix, and hold no credential.
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.some((key) => key.startsWith(`${prefix}:edge:tenant`))).toBe(true);
    expect(keys.join(' ')).not.toContain(ACME_AUTH.token);
  });

  it('lock a tenant and address out on every replica once the CRM rejected it on either', async () => {
    const attacker = { 'x-forwarded-for': '203.0.113.99' };
    const globex = { subdomain: 'globex', email: 'nobody@globex.example', token: 'guess' };
    expect((await one.post('/zendesk/auth/validate', { auth: globex }, attacker)).status).toBe(401);
    expect((await two.post('/zendesk/auth/validate', { auth: { ...globex, token: 'guess-2' } }, attacker)).status).toBe(
      401,
    );
    const calls = one.crmRequests() + two.crmRequests();
    const locked = await one.post('/zendesk/auth/validate', { auth: { ...globex, token: 'guess-3' } }, attacker);
    expect(locked.status).toBe(401);
    expect(locked.body.message).toMatch(/too often/);
    expect(one.crmRequests() + two.crmRequests()).toBe(calls);
    // Another tenant from the same address still reaches the CRM (which has no such account).
    const initech = { subdomain: 'initech', email: 'nobody@initech.example', token: 'guess' };
    expect((await two.post('/zendesk/auth/validate', { auth: initech }, attacker)).status).toBe(401);
    expect(one.crmRequests() + two.crmRequests()).toBeGreaterThan(calls);
  });
});

describe('with Redis unreachable', () => {
  it('serves screen pops and keeps the limits per replica (the insurance limiter)', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const bridge = await startCountedBridge({
      ...env,
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_KEY_PREFIX: `${prefix}-down:`,
    });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await bridge.post('/zendesk/interactions', janeRequest())).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      // Every fallback is counted (and Redis left alone for a second after a failure, not tried per command).
      const metrics = (await bridge.get('/metrics')).text;
      const fallbacks = /bridge_shared_state_fallbacks_total\{operation="rate_limit"\} (\d+)/.exec(metrics);
      expect(Number(fallbacks?.[1])).toBeGreaterThan(0);
    } finally {
      await bridge.close();
    }
  });
});
