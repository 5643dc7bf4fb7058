import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import type { BridgeProcess } from '../faults/support/bridge-process.js';
import {
  metricSum,
  pop,
  startCountingSandbox,
  startOwnRedis,
  startReplicas,
  stopReplicas,
  testKeyPrefix,
  type CountingSandbox,
} from './replica-support.js';

/**
 * Redis frozen, then killed, while two replicas answer pops: the cache, coalescing and budget fall back to
 * each process's memory, and no pop fails. The test runs its own redis-server on a free port, to freeze and kill.
 */
const { acme } = ZENDESK_SANDBOX;
const auth = { subdomain: acme.subdomain, email: acme.credentials.email, token: acme.credentials.token };
const contacts = [acme.users.jane, acme.users.kwame, acme.users.noTickets, acme.users.uniqueName];

let sandbox: CountingSandbox;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let replicas: BridgeProcess[];

beforeAll(async () => {
  sandbox = await startCountingSandbox();
  redis = await startOwnRedis();
  replicas = await startReplicas(2, sandbox, {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: testKeyPrefix('redis-outage'),
    REDIS_COMMAND_TIMEOUT_MS: '500',
    CRM_PLAN_LIMITS: 'zendesk=700/60',
  });
}, 120_000);

afterAll(async () => {
  await stopReplicas(replicas ?? []);
  await redis?.kill();
  await sandbox?.close();
}, 60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis down mid-run', { timeout: 120_000 }, () => {
  it('a frozen, then killed Redis fails no pop, and readiness stays up', async () => {
    const statuses: number[] = [];
    let running = true;
    let sent = 0;
    const worker = async (index: number) => {
      while (running) {
        const contact = contacts[(sent + index) % contacts.length]!;
        const replica = replicas[sent++ % 2]!;
        const answer = await pop(replica.url, 'zendesk', {
          auth,
          meta: { interaction_types: ['case', 'task', 'note'] },
          data: { contact_external_id: String(contact.id) },
        });
        statuses.push(answer.status);
      }
    };
    const workers = [0, 1, 2].map(worker);

    // Phases by answered pops, not by time: a loaded machine may be slow, and slowness is not what this checks.
    const answered = async (count: number) => {
      const target = statuses.length + count;
      while (statuses.length < target) await sleep(50);
    };
    await answered(6);
    redis.process.kill('SIGSTOP'); // slow: connected, never answering
    await answered(12);
    redis.process.kill('SIGCONT');
    await redis.kill(); // down: the connection drops, reconnects are refused
    await answered(12);
    running = false;
    await Promise.all(workers);

    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    for (const replica of replicas) {
      expect((await fetch(`${replica.url}/health/ready`)).status).toBe(200);
      expect(await metricSum(replica.url, 'bridge_shared_state_fallbacks_total')).toBeGreaterThan(0);
    }
  });
});
