import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOUND_LIMITS_OFF } from '../../apps/bridge/src/bridge-config.js';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import type { BridgeProcess } from '../faults/support/bridge-process.js';
import {
  metricSum,
  startCountingSandbox,
  startOwnRedis,
  startReplicas,
  stopReplicas,
  testKeyPrefix,
  type CountingSandbox,
} from './replica-support.js';

/**
 * Redis frozen while a replica takes the coalescing lock of a pop: its SET times out on the replica's side but stays
 * queued in Redis, which applies it when it resumes. The lock must not outlive that: the replica takes it back
 * (compare-and-delete, queued behind the SET), so an identical pop on the other replica does not wait for it.
 */
const { acme } = ZENDESK_SANDBOX;
const auth = { subdomain: acme.subdomain, email: acme.credentials.email, token: acme.credentials.token };
const prefix = testKeyPrefix('coalescing-lock');
const DEADLINE_MS = 5_000;

let sandbox: CountingSandbox;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let inspector: Redis;
let replicas: BridgeProcess[];

beforeAll(async () => {
  sandbox = await startCountingSandbox();
  redis = await startOwnRedis();
  inspector = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await inspector.connect();
  replicas = await startReplicas(2, sandbox, {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: prefix,
    REDIS_COMMAND_TIMEOUT_MS: '500',
    REQUEST_DEADLINE_MS: String(DEADLINE_MS),
    // Nothing before the pop's coalescing touches Redis: its SET NX is the command Redis freezes on.
    ...INBOUND_LIMITS_OFF,
    LOCKOUT_MAX_FAILURES: '0',
    CACHE_INTERACTIONS_TTL_SECONDS: '0',
    CACHE_CONTACT_TTL_SECONDS: '0',
    CRM_BUDGET_SHARE: '0',
  });
}, 120_000);

afterAll(async () => {
  redis?.process.kill('SIGCONT');
  inspector?.disconnect();
  await stopReplicas(replicas ?? []);
  await redis?.kill();
  await sandbox?.close();
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pop(url: string, contactId: number): Promise<{ status: number }> {
  const response = await fetch(`${url}/zendesk/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth,
      meta: { interaction_types: ['case', 'note'] },
      data: { contact_external_id: String(contactId) },
    }),
  });
  await response.text();
  return { status: response.status };
}

async function locks(): Promise<string[]> {
  return inspector.keys(`${prefix}lock:*`);
}

describe('the coalescing lock, Redis frozen mid-SET NX', { timeout: 120_000 }, () => {
  it('is taken back once Redis resumes: no lock left, and the same pop on the other replica does not wait', async () => {
    const [first, second] = replicas as [BridgeProcess, BridgeProcess];
    const jane = acme.users.jane.id;
    // Both replicas connected and sharing: a pop each, another contact's.
    expect((await pop(first.url, acme.users.kwame.id)).status).toBe(200);
    expect((await pop(second.url, acme.users.kwame.id)).status).toBe(200);
    expect(await locks()).toEqual([]);

    redis.process.kill('SIGSTOP');
    try {
      // The first replica's SET NX times out (REDIS_COMMAND_TIMEOUT_MS) and it does the pop itself.
      expect((await pop(first.url, jane)).status).toBe(200);
    } finally {
      redis.process.kill('SIGCONT');
    }
    // Redis applies the queued SET, then the replica's compare-and-delete behind it.
    const settleBy = Date.now() + 2_000;
    while ((await locks()).length > 0 && Date.now() < settleBy) await sleep(50);
    expect(await locks()).toEqual([]);

    // The same pop on the other replica takes the lock itself: it neither waits nor counts as coalesced.
    const waitedBefore = await metricSum(second.url, 'bridge_coalesced_requests_total', 'scope="replicas"');
    const answer = await pop(second.url, jane);
    expect(answer.status).toBe(200);
    expect(await metricSum(second.url, 'bridge_coalesced_requests_total', 'scope="replicas"')).toBe(waitedBefore);
  });
});
