import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import type { BridgeProcess } from '../faults/support/bridge-process.js';
import {
  pop,
  SHARED_REDIS_URL,
  startCountingSandbox,
  startReplicas,
  stopReplicas,
  testKeyPrefix,
  type CountingSandbox,
} from './replica-support.js';

/**
 * What a replica knows of a CRM account, and whose calls it lets spend it: two replicas with the budget's defaults
 * (Zendesk's declared plan, 200 a minute, until the CRM says otherwise; the sandbox's account allows 700), sharing
 * Redis, caching nothing so that every pop costs its CRM calls. Replica B answers nothing until the test says so:
 * it is the replica a rolling deploy or a scale-up has just started.
 */
const { acme } = ZENDESK_SANDBOX;
const auth = { subdomain: acme.subdomain, email: acme.credentials.email, token: acme.credentials.token };
const jane = { contact_external_id: String(acme.users.jane.id) };
const TYPES = ['case', 'task', 'note'];
const janesPop = { auth, meta: { interaction_types: TYPES }, data: jane };

let sandbox: CountingSandbox;
let a: BridgeProcess;
let b: BridgeProcess;
/** Jane's pop as replica A answered it, on an account with room to spare. */
let janesItems: unknown[];

beforeAll(async () => {
  sandbox = await startCountingSandbox();
  [a, b] = (await startReplicas(2, sandbox, {
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_KEY_PREFIX: testKeyPrefix('crm-budget-knowledge'),
    CACHE_CONTACT_TTL_SECONDS: '0',
    CACHE_INTERACTIONS_TTL_SECONDS: '0',
    CACHE_COALESCE: 'off',
    // The load balancer's address: each test "client" picks its own with X-Forwarded-For.
    TRUST_PROXY: '127.0.0.1',
  })) as [BridgeProcess, BridgeProcess];
  const first = await pop(a.url, 'zendesk', janesPop);
  expect(first.status).toBe(200);
  janesItems = first.body;
  expect(janesItems).toHaveLength(14);
}, 120_000);

afterAll(async () => {
  await stopReplicas([a, b].filter(Boolean));
  await sandbox?.close();
}, 60_000);

describe('a replica’s knowledge of the account, and whose calls spend it', { timeout: 120_000 }, () => {
  it('a fresh replica answers full pops while the others have already spent more than its default plan allows', async () => {
    // Replica A spends about 80 calls: more than 30 % of Zendesk's declared 200, far less than the account's 700.
    for (let round = 0; round < 8; round++) {
      const answer = await pop(a.url, 'zendesk', janesPop);
      expect(answer.status).toBe(200);
    }
    // B has never called the CRM: it finds what A learnt in Redis, and serves Jane in full.
    const onB = await pop(b.url, 'zendesk', janesPop);
    expect(onB.status).toBe(200);
    expect(onB.headers.get('x-bridge-shed-types')).toBeNull();
    expect(onB.body).toEqual(janesItems);
    expect(sandbox.tooManyRequests()).toBe(0);
  });

  it('135 bad-token pops from 15 addresses spend nothing of what valid credentials may spend', async () => {
    const before = sandbox.zendeskCalls(acme.subdomain);
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, async (_, address) => {
        for (let attempt = 0; attempt < 9; attempt++) {
          const answer = await pop(
            [a, b][attempt % 2]!.url,
            'zendesk',
            { ...janesPop, auth: { ...auth, token: `not-the-token-${address}-${attempt}` } },
            { 'x-forwarded-for': `203.0.113.${address + 1}` },
          );
          statuses.push(answer.status);
          if (answer.status === 503) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        }
      }),
    );
    // Each is the CRM's 401, or refused before any call once unverified credentials have spent their allowance
    // (a tenth of the account's 700 a minute): never a 200 that looks like "not found".
    expect(new Set(statuses)).toEqual(new Set([401, 503]));
    expect(sandbox.zendeskCalls(acme.subdomain) - before).toBeLessThanOrEqual(70);

    // The valid credential is untouched, on either replica, and so is the authorization validator.
    for (const replica of [a, b]) {
      const answer = await pop(replica.url, 'zendesk', janesPop);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(janesItems);
      const validated = await fetch(`${replica.url}/zendesk/auth/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ auth }),
      });
      expect(validated.status).toBeLessThan(300);
    }
    expect(sandbox.tooManyRequests()).toBe(0);
  });
});
