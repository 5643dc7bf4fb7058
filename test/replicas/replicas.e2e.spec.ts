import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { loadBridgeConfig, SHARING_OFF } from '../../apps/bridge/src/bridge-config.js';
import { createBridgeApp } from '../../apps/bridge/src/create-bridge-app.js';
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
 * Two bridge processes with one REDIS_URL in front of one sandbox CRM: what one replica fetched, the other
 * does not fetch again; identical pops in flight on both cost one pop; tenants and credentials never share entries.
 * CRM calls are counted by the sandbox itself. "One pop's worth" is measured on a third bridge that caches nothing.
 */
const { acme, globex } = ZENDESK_SANDBOX;
const acmeAuth = { subdomain: acme.subdomain, email: acme.credentials.email, token: acme.credentials.token };
const globexAuth = { subdomain: globex.subdomain, email: globex.credentials.email, token: globex.credentials.token };
const TYPES = ['case', 'task', 'note'];

function request(auth: Record<string, string>, data: Record<string, unknown>) {
  return { auth, meta: { interaction_types: TYPES }, data };
}

let sandbox: CountingSandbox;
let replicas: BridgeProcess[];
let a: string;
let b: string;
let reference: NestFastifyApplication;
let referenceUrl: string;

beforeAll(async () => {
  sandbox = await startCountingSandbox();
  replicas = await startReplicas(2, sandbox, {
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_KEY_PREFIX: testKeyPrefix('replicas'),
    // The sandbox's Zendesk allows 700 a minute (Enterprise): the budget is not what this file tests.
    CRM_PLAN_LIMITS: 'zendesk=700/60',
  });
  [a, b] = replicas.map((replica) => replica.url) as [string, string];
  const environment = { CRM_SANDBOX: 'off', CRM_SANDBOX_URL: sandbox.url, ...SHARING_OFF };
  reference = await createBridgeApp({ config: loadBridgeConfig(environment), environment, logger: false });
  await reference.listen(0, '127.0.0.1');
  referenceUrl = (await reference.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
}, 120_000);

afterAll(async () => {
  await Promise.all([stopReplicas(replicas ?? []), reference?.close()]);
  await sandbox?.close();
}, 60_000);

/** What one pop costs without cache or coalescing, and what it answers: the independent expectation. */
async function onePopsWorth(body: unknown): Promise<{ calls: number; answer: unknown }> {
  const before = sandbox.totalCalls();
  const answer = await pop(referenceUrl, 'zendesk', body);
  expect(answer.status).toBe(200);
  return { calls: sandbox.totalCalls() - before, answer: answer.body };
}

describe('replicas sharing one Redis', { timeout: 60_000 }, () => {
  it('a pop on replica A, then the same pop on replica B: one pop’s worth of CRM calls in all', async () => {
    const body = request(acmeAuth, { contact_external_id: String(acme.users.jane.id) });
    const expected = await onePopsWorth(body);
    expect(expected.calls).toBeGreaterThan(1);

    const before = sandbox.totalCalls();
    const onA = await pop(a, 'zendesk', body);
    expect(onA.status).toBe(200);
    expect(onA.body).toEqual(expected.answer);
    expect(sandbox.totalCalls() - before).toBe(expected.calls);

    const onB = await pop(b, 'zendesk', body);
    expect(onB.status).toBe(200);
    expect(onB.body).toEqual(expected.answer);
    expect(sandbox.totalCalls() - before).toBe(expected.calls);
  });

  it('50 concurrent identical pops spread over both replicas: one pop’s worth', async () => {
    const body = request(acmeAuth, { contact_emails: [acme.users.kwame.email] });
    const expected = await onePopsWorth(body);
    expect(expected.calls).toBeGreaterThan(1);

    const before = sandbox.totalCalls();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) => pop(index % 2 === 0 ? a : b, 'zendesk', body)),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(expected.answer);
    }
    expect(sandbox.totalCalls() - before).toBe(expected.calls);
  });

  it('the same contact query under two tenants never shares entries', async () => {
    const email = acme.users.jane.email!;
    expect(globex.users.jane.email).toBe(email); // the seed's point: one email, one person per account
    const acmeExpected = await onePopsWorth(request(acmeAuth, { contact_emails: [email] }));
    const globexExpected = await onePopsWorth(request(globexAuth, { contact_emails: [email] }));
    expect(globexExpected.answer).not.toEqual(acmeExpected.answer);

    const onA = await pop(a, 'zendesk', request(acmeAuth, { contact_emails: [email] }));
    expect(onA.body).toEqual(acmeExpected.answer);
    const before = sandbox.zendeskCalls(globex.subdomain);
    const onB = await pop(b, 'zendesk', request(globexAuth, { contact_emails: [email] }));
    expect(onB.status).toBe(200);
    expect(onB.body).toEqual(globexExpected.answer);
    expect(sandbox.zendeskCalls(globex.subdomain) - before).toBe(globexExpected.calls);
  });

  it('a second credential of the same tenant, which the CRM rejects, never gets the first one’s entries', async () => {
    const data = { contact_external_id: String(acme.users.secondaryIdentities.id) };
    const good = await pop(a, 'zendesk', request(acmeAuth, data));
    expect(good.status).toBe(200);
    expect(good.body.length).toBeGreaterThan(0);
    expect((await pop(b, 'zendesk', request(acmeAuth, data))).body).toEqual(good.body); // cached for this credential

    const revoked = { ...acmeAuth, token: 'a-token-this-account-never-issued' };
    for (const replica of [a, b]) {
      const before = sandbox.zendeskCalls(acme.subdomain);
      const answer = await pop(replica, 'zendesk', request(revoked, data));
      expect(answer.status).toBe(401);
      // It asked the CRM, which said no; nothing of the first credential's was served.
      expect(sandbox.zendeskCalls(acme.subdomain) - before).toBeGreaterThan(0);
    }
    // A rejected credential's answer is not cached either: asking again asks the CRM again.
    const before = sandbox.zendeskCalls(acme.subdomain);
    expect((await pop(a, 'zendesk', request(revoked, data))).status).toBe(401);
    expect(sandbox.zendeskCalls(acme.subdomain) - before).toBeGreaterThan(0);
  });
});
