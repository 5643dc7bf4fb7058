import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUBSPOT_SANDBOX } from '../../apps/crm-sandbox/src/hubspot/fixtures.js';
import type { BridgeProcess } from '../faults/support/bridge-process.js';
import {
  pop,
  SHARED_REDIS_URL,
  startCountingSandbox,
  startOwnRedis,
  startReplicas,
  stopReplicas,
  testKeyPrefix,
  type CountingSandbox,
} from './replica-support.js';

/**
 * What a connector learns about a token (HubSpot's portal and ticket pipelines) is shared by every replica through
 * Redis: a token one replica knows costs no metadata call on another. Without Redis, each process keeps its own.
 * Counted from the sandbox's request log.
 */
const { acme, globex } = HUBSPOT_SANDBOX;
const ACCOUNT_DETAILS = '/hubspot/account-info/v3/details';
const PIPELINES = '/hubspot/crm/v3/pipelines/tickets';

function hubspotPop(url: string, token: string, contactId: string) {
  return pop(url, 'hubspot', {
    auth: { access_token: token },
    meta: { interaction_types: ['case', 'note'] },
    data: { contact_external_id: contactId },
  });
}

async function validate(url: string, token: string) {
  const response = await fetch(`${url}/hubspot/auth/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { access_token: token } }),
  });
  return { status: response.status, body: await response.json() };
}

describe('HubSpot token metadata, two replicas and one Redis', { timeout: 120_000 }, () => {
  let sandbox: CountingSandbox;
  let replicas: BridgeProcess[];
  const prefix = testKeyPrefix('shared-metadata');
  const redis = new Redis(SHARED_REDIS_URL, { lazyConnect: true });
  const calls = (path: string) => sandbox.faults.received(path).length;

  beforeAll(async () => {
    sandbox = await startCountingSandbox();
    replicas = await startReplicas(2, sandbox, { REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix });
  }, 120_000);

  afterAll(async () => {
    await stopReplicas(replicas ?? []);
    await sandbox?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }, 60_000);

  it('a token the first replica learnt costs the second no account or pipelines call', async () => {
    const [first, second] = replicas;
    const learnt = await hubspotPop(first!.url, acme.token, acme.contacts.jane.id);
    expect(learnt.status).toBe(200);
    expect(calls(ACCOUNT_DETAILS)).toBe(1);
    expect(calls(PIPELINES)).toBe(1);

    // Another contact, so that no cached answer stands in: the second replica reads its records, not the metadata.
    const before = sandbox.totalCalls();
    const known = await hubspotPop(second!.url, acme.token, acme.contacts.otherFormats.id);
    expect(known.status).toBe(200);
    expect(sandbox.totalCalls()).toBeGreaterThan(before);
    expect(calls(ACCOUNT_DETAILS)).toBe(1);
    expect(calls(PIPELINES)).toBe(1);
    // Its links and statuses are there all the same.
    for (const item of known.body) {
      expect(item.url).toMatch(new RegExp(`^https://${acme.uiDomain}/contacts/${acme.portalId}/`));
      if (item.type === 'case') expect(item.status).toBeDefined();
    }
  });

  it('what the validator learnt on one replica serves the pops of another', async () => {
    const [first, second] = replicas;
    const validated = await validate(first!.url, globex.token);
    expect(validated).toEqual({
      status: 200,
      body: { hubspot_portal_id: String(globex.portalId), hubspot_app_host: globex.uiDomain },
    });
    const afterValidation = calls(ACCOUNT_DETAILS);
    // An integration configured before the validator answered anything: no fields in `auth`, and still no call.
    const answer = await hubspotPop(second!.url, globex.token, globex.contacts.jane.id);
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBeGreaterThan(0);
    expect(calls(ACCOUNT_DETAILS)).toBe(afterValidation);
  });

  it('keeps them in Redis under a keyed hash of the token, never the token', async () => {
    const keys = await redis.keys(`${prefix}*metadata*`);
    expect(keys.some((key) => key.endsWith(':portal'))).toBe(true);
    expect(keys.some((key) => key.endsWith(':ticket-pipelines'))).toBe(true);
    for (const key of keys) {
      expect(key).not.toContain(acme.token);
      expect(key).not.toContain(globex.token);
      expect(await redis.get(key)).not.toContain(acme.token);
    }
  });
});

describe('HubSpot token metadata without Redis', { timeout: 120_000 }, () => {
  let sandbox: CountingSandbox;
  let replicas: BridgeProcess[];
  let redis: Awaited<ReturnType<typeof startOwnRedis>>;

  beforeAll(async () => {
    sandbox = await startCountingSandbox();
    redis = await startOwnRedis();
    replicas = await startReplicas(1, sandbox, {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: testKeyPrefix('shared-metadata-outage'),
    });
    await redis.kill();
  }, 120_000);

  afterAll(async () => {
    await stopReplicas(replicas ?? []);
    await redis?.kill();
    await sandbox?.close();
  }, 60_000);

  it('falls back to the process’s memory: every pop answers, and the token is learnt once', async () => {
    const [replica] = replicas;
    const contacts = [acme.contacts.jane, acme.contacts.otherFormats, acme.contacts.phoneOnly];
    for (const contact of contacts) expect((await hubspotPop(replica!.url, acme.token, contact.id)).status).toBe(200);
    expect(sandbox.faults.received(ACCOUNT_DETAILS)).toHaveLength(1);
    expect(sandbox.faults.received(PIPELINES)).toHaveLength(1);
  });
});
