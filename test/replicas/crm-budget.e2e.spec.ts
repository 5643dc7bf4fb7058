import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_REGULARS } from '../../apps/crm-sandbox/src/zendesk/cast.js';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import type { BridgeProcess } from '../faults/support/bridge-process.js';
import {
  metricSum,
  pop,
  SHARED_REDIS_URL,
  startCountingSandbox,
  startReplicas,
  stopReplicas,
  testKeyPrefix,
  type CountingSandbox,
  type PopAnswer,
} from './replica-support.js';

/**
 * The per-tenant CRM budget across replicas: the sandbox's Zendesk allows 60 calls a minute, the bridge's
 * share is the default 30 %, and 200 pops for distinct contacts arrive over two replicas. The sandbox must answer no
 * 429 (the bridge is never the reason an account hits its limit) and every pop gets 200, with what could be fetched.
 */
const ZENDESK_LIMIT_PER_MINUTE = 60;
const SHARE = 0.3;
const { acme } = ZENDESK_SANDBOX;
const auth = { subdomain: acme.subdomain, email: acme.credentials.email, token: acme.credentials.token };

let sandbox: CountingSandbox;
let replicas: BridgeProcess[];

beforeAll(async () => {
  sandbox = await startCountingSandbox({ zendesk: { rateLimitPerMinute: ZENDESK_LIMIT_PER_MINUTE } });
  replicas = await startReplicas(2, sandbox, {
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_KEY_PREFIX: testKeyPrefix('crm-budget'),
    // The customer's plan as the operator configures it; the sandbox's X-Rate-Limit says the same.
    CRM_PLAN_LIMITS: `zendesk=${ZENDESK_LIMIT_PER_MINUTE}/60`,
    CRM_BUDGET_SHARE: String(SHARE),
  });
}, 120_000);

afterAll(async () => {
  await stopReplicas(replicas ?? []);
  await sandbox?.close();
}, 60_000);

/** 200 distinct contact queries: the seeded customers by id, then callers the CRM does not know, by email. */
function distinctContacts(count: number): Record<string, unknown>[] {
  const ids = new Set([acme.users.jane, acme.users.heavy, ...ACME_REGULARS].map((person) => String(person.id)));
  const known = [...ids].map((id) => ({ contact_external_id: id }));
  const unknown = Array.from({ length: count }, (_, index) => ({
    contact_emails: [`caller-${index}@unknown.example`],
  }));
  return [...known, ...unknown].slice(0, count);
}

describe('one CRM budget per tenant, shared by the replicas', { timeout: 120_000 }, () => {
  it('200 pops over two replicas against a 60-a-minute Zendesk: no 429 from the CRM, every pop 200', async () => {
    const started = Date.now();
    const contacts = distinctContacts(200);
    expect(new Set(contacts.map((contact) => JSON.stringify(contact))).size).toBe(200);
    const answers: PopAnswer[] = [];
    for (let wave = 0; wave < contacts.length; wave += 20) {
      const batch = contacts.slice(wave, wave + 20);
      answers.push(
        ...(await Promise.all(
          batch.map((data, index) =>
            pop(replicas[index % 2]!.url, 'zendesk', {
              auth,
              meta: { interaction_types: ['case', 'task', 'note'] },
              data,
            }),
          ),
        )),
      );
    }

    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(sandbox.tooManyRequests()).toBe(0);
    // The replicas spent one share between them, not one each: at most 30 % of 60 per started minute.
    const minutes = Math.floor((Date.now() - started) / 60_000) + 1;
    expect(sandbox.zendeskCalls(acme.subdomain)).toBeGreaterThan(0);
    expect(sandbox.zendeskCalls(acme.subdomain)).toBeLessThanOrEqual(SHARE * ZENDESK_LIMIT_PER_MINUTE * minutes);
    // What was not fetched was shed on purpose, and counted.
    let shed = 0;
    for (const replica of replicas) shed += await metricSum(replica.url, 'bridge_crm_budget_shed_total');
    expect(shed).toBeGreaterThan(0);
    // Some pops got their interactions before the share ran low (the rest answered 200 with what was left).
    expect(answers.some((answer) => answer.body.length > 0)).toBe(true);
  });
});
