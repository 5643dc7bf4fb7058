import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_REDIS, type SharedRedis } from '#shared-state';
import { ACME_AUTH, ACME_WRONG, janeRequest, startCountedBridge, type CountedBridge } from './support.js';

/**
 * A stranger with junk credentials against a tenant's inbound quota, on two replicas sharing the real Redis at
 * 127.0.0.1:6379 (a key prefix of this test's own), with the default limits: 1,250 requests for `acme` with junk
 * tokens (a type Zendesk does not have, answered 200 [] without a CRM call; and some the CRM refuses) leave
 * Talkdesk's pops for acme untouched on both replicas.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `tenant-quota-test:${randomUUID()}`;
const env = {
  REDIS_URL,
  REDIS_KEY_PREFIX: `${prefix}:`,
  // Both replicas know credentials by the same keyed hash.
  CACHE_KEY_SECRET: 'tenant-quota-test-secret-0123456789abcdef',
  TRUST_PROXY: '127.0.0.1',
  // A loaded test machine can stall an event loop past the production default (250 ms): a timeout would (rightly)
  // count in memory for a second, and the replicas would stop sharing what this test looks at.
  REDIS_COMMAND_TIMEOUT_MS: '2000',
};
const TALKDESK = { 'x-forwarded-for': '198.51.100.20' };
let replicas: [CountedBridge, CountedBridge];
const redis = new Redis(REDIS_URL, { lazyConnect: true });

beforeAll(async () => {
  replicas = (await Promise.all([startCountedBridge(env), startCountedBridge(env)])) as [CountedBridge, CountedBridge];
  await Promise.all(
    replicas.map(async (bridge) => {
      const { client } = bridge.app.get<SharedRedis>(SHARED_REDIS);
      if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    }),
  );
});

afterAll(async () => {
  await Promise.all((replicas ?? []).map((bridge) => bridge?.close()));
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe("a tenant's inbound quota, two replicas sharing Redis", { timeout: 120_000 }, () => {
  it("is not spent by 1,250 junk-token requests: Talkdesk's pops for the tenant are all served, on both replicas", async () => {
    // Talkdesk's credential, accepted once before the flood (as on any working day).
    expect((await replicas[0].post('/zendesk/interactions', janeRequest(), TALKDESK)).status).toBe(200);

    const unsupported = (i: number) => ({
      auth: { ...ACME_WRONG, token: `junk-token-${i}` },
      meta: { interaction_types: ['call'] },
      data: { contact_emails: ['anyone@example.com'] },
    });
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < 1_250) {
        const i = next++;
        // Each from its own address (far under the per-address limit), split across the replicas.
        const answer = await replicas[i % 2].post('/zendesk/interactions', unsupported(i), {
          'x-forwarded-for': `203.0.${(i >> 8) & 255}.${i & 255}`,
        });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(Object.fromEntries(statuses)).toEqual({ 200: 1_250 });
    // And some the CRM refuses, from one address, until that address is locked out.
    for (let i = 0; i < 12; i++) {
      const guess = janeRequest({ ...ACME_WRONG, token: `guess-${i}` });
      expect(
        (await replicas[i % 2].post('/zendesk/interactions', guess, { 'x-forwarded-for': '203.0.113.66' })).status,
      ).toBe(401);
    }

    for (let i = 0; i < 20; i++) {
      const answer = await replicas[i % 2].post('/zendesk/interactions', janeRequest(), TALKDESK);
      expect(answer.status).toBe(200);
      expect(answer.body.length).toBeGreaterThan(0);
    }
    // What was counted for acme: Talkdesk's 21 pops, nothing of the stranger's.
    const tenantKeys = await redis.keys(`${prefix}:edge:tenant*`);
    expect(tenantKeys).toHaveLength(1);
    const counted = Number(await redis.get(tenantKeys[0]!));
    expect(counted).toBe(21);
  });

  it('knows a credential one replica saw accepted on the other: a lockout of the address does not refuse it', async () => {
    const address = { 'x-forwarded-for': '198.51.100.77' };
    for (let i = 0; i < 10; i++) {
      await replicas[0].post('/zendesk/auth/validate', { auth: { ...ACME_WRONG, token: `g-${i}` } }, address);
    }
    const locked = await replicas[1].post('/zendesk/auth/validate', { auth: { ...ACME_WRONG, token: 'g-x' } }, address);
    expect(locked.body.message).toMatch(/too often/);
    // A valid credential no CRM accepted yet (acme's, spelt with the `account` alias): refused from that address.
    const { subdomain, ...rest } = ACME_AUTH;
    const respelt = { account: subdomain, ...rest };
    expect((await replicas[1].post('/zendesk/auth/validate', { auth: respelt }, address)).status).toBe(401);
    // Accepted on the first replica (from Talkdesk's address), known on the second.
    expect((await replicas[0].post('/zendesk/auth/validate', { auth: respelt }, TALKDESK)).status).toBe(200);
    expect((await replicas[1].post('/zendesk/auth/validate', { auth: respelt }, address)).status).toBe(200);
  });
});
