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
 * The per-tenant CRM budget across replicas with a fixed cap (CRM_BUDGET_SHARE): the sandbox's Zendesk allows 60
 * calls a minute, the bridge may spend 30 % of them, and 200 pops for distinct contacts arrive over two replicas.
 * The sandbox must answer no 429 and the replicas together stay within the share. A pop the budget served in part
 * answers 200 and names the types it shed (`x-bridge-shed-types`, and the access log); one it could not look up at
 * all answers 503 with Retry-After, never a 200 `[]` that Talkdesk would show as "no such contact".
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
const KNOWN = [acme.users.jane, acme.users.heavy, ...ACME_REGULARS];

function distinctContacts(count: number): Record<string, unknown>[] {
  const ids = new Set(KNOWN.map((person) => String(person.id)));
  const known = [...ids].map((id) => ({ contact_external_id: id }));
  const unknown = Array.from({ length: count }, (_, index) => ({
    contact_emails: [`caller-${index}@unknown.example`],
  }));
  return [...known, ...unknown].slice(0, count);
}

describe('one CRM budget per tenant, shared by the replicas, capped by CRM_BUDGET_SHARE', { timeout: 120_000 }, () => {
  it('200 pops over two replicas against a 60-a-minute Zendesk: no 429, within the share, shed pops said so', async () => {
    const started = Date.now();
    const contacts = distinctContacts(200);
    expect(new Set(contacts.map((contact) => JSON.stringify(contact))).size).toBe(200);
    const answers: { data: Record<string, unknown>; answer: PopAnswer }[] = [];
    for (let wave = 0; wave < contacts.length; wave += 20) {
      const batch = contacts.slice(wave, wave + 20);
      answers.push(
        ...(await Promise.all(
          batch.map(async (data, index) => ({
            data,
            answer: await pop(replicas[index % 2]!.url, 'zendesk', {
              auth,
              meta: { interaction_types: ['case', 'task', 'note'] },
              data,
            }),
          })),
        )),
      );
    }

    expect(sandbox.tooManyRequests()).toBe(0);
    // The replicas spent one share between them, not one each: at most 30 % of 60 per started minute.
    const minutes = Math.floor((Date.now() - started) / 60_000) + 1;
    expect(sandbox.zendeskCalls(acme.subdomain)).toBeGreaterThan(0);
    expect(sandbox.zendeskCalls(acme.subdomain)).toBeLessThanOrEqual(SHARE * ZENDESK_LIMIT_PER_MINUTE * minutes);

    expect(new Set(answers.map(({ answer }) => answer.status))).toEqual(new Set([200, 503]));
    const known = new Set(KNOWN.map((person) => String(person.id)));
    let partly = 0;
    for (const { data, answer } of answers) {
      const shed = answer.headers.get('x-bridge-shed-types');
      if (answer.status === 503) {
        // Nothing could be looked up: said so, with when to try again.
        expect(answer.body).toMatchObject({ statusCode: 503, cause: 'rate_limited' });
        expect(answer.body.message).toMatch(/nothing could be looked up/);
        const retryAfter = Number(answer.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
      } else if (known.has(String(data.contact_external_id))) {
        // A known caller is never "not found"; what the budget left out is named.
        expect(answer.body.length).toBeGreaterThan(0);
        if (shed !== null) {
          partly++;
          expect(shed.split(',').every((type) => ['case', 'task', 'note'].includes(type))).toBe(true);
        }
      } else {
        expect(answer.body).toEqual([]);
        expect(shed).toBeNull();
      }
    }
    expect(partly).toBeGreaterThan(0);
    // Some pops got their interactions before the share ran low.
    expect(answers.some(({ answer }) => answer.status === 200 && answer.body.length > 0)).toBe(true);
    // What was not fetched was shed on purpose, counted, and named in the access log.
    let shedCalls = 0;
    for (const replica of replicas) shedCalls += await metricSum(replica.url, 'bridge_crm_budget_shed_total');
    expect(shedCalls).toBeGreaterThan(0);
    expect(replicas.map((replica) => replica.output()).join('\n')).toMatch(/shedTypes/);
  });
});
