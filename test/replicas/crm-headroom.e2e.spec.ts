import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '#sandbox';
import { ACME_REGULARS, GLOBEX_REGULARS } from '../../apps/crm-sandbox/src/zendesk/cast.js';
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
  type PopAnswer,
} from './replica-support.js';

/**
 * The CRM budget's default rule against a Zendesk Enterprise account (700 calls a minute, fixed minutes, the
 * sandbox's default), two replicas sharing Redis, and the account's other integrations calling Zendesk directly at
 * the same time. The replicas cache nothing (each pop costs its full CRM calls) so that the budget alone decides.
 * Each phase starts a fresh minute on the sandbox's clock, as Zendesk's "current minute" would, and lasts well under
 * one. What every pop must answer comes from a reference bridge without cache or budget on a second sandbox.
 */
const { acme, globex } = ZENDESK_SANDBOX;
const TYPES = ['case', 'task', 'note'];
const PLAN = 700;

const tenants = {
  acme: {
    subdomain: acme.subdomain,
    credentials: acme.credentials,
    people: [acme.users.jane.id, acme.users.kwame.id, ...ACME_REGULARS.map((person) => person.id)],
  },
  globex: {
    subdomain: globex.subdomain,
    credentials: globex.credentials,
    people: [globex.users.jane.id, ...GLOBEX_REGULARS.map((person) => person.id)],
  },
};
type Tenant = (typeof tenants)[keyof typeof tenants];

const authOf = ({ subdomain, credentials }: Tenant) => ({
  subdomain,
  email: credentials.email!,
  token: credentials.token!,
});
const popBody = (tenant: Tenant, id: number) => ({
  auth: authOf(tenant),
  meta: { interaction_types: TYPES },
  data: { contact_external_id: String(id) },
});

let clockOffsetMs = 0;
let sandbox: CountingSandbox;
let referenceSandbox: RunningSandbox;
let reference: NestFastifyApplication;
let replicas: BridgeProcess[];
/** Per tenant and person: the reference bridge's answer. */
const expected = new Map<string, unknown[]>();

beforeAll(async () => {
  sandbox = await startCountingSandbox({ zendesk: { now: () => Date.now() + clockOffsetMs } });
  referenceSandbox = await startSandbox({ port: 0 });
  const environment = { CRM_SANDBOX: 'off', CRM_SANDBOX_URL: referenceSandbox.url, ...SHARING_OFF };
  reference = await createBridgeApp({ config: loadBridgeConfig(environment), environment, logger: false });
  await reference.listen(0, '127.0.0.1');
  const referenceUrl = (await reference.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  for (const tenant of Object.values(tenants)) {
    for (const id of tenant.people) {
      const answer = await pop(referenceUrl, 'zendesk', popBody(tenant, id));
      expect(answer.status).toBe(200);
      expected.set(`${tenant.subdomain}:${id}`, answer.body);
    }
  }
  replicas = await startReplicas(2, sandbox, {
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_KEY_PREFIX: testKeyPrefix('crm-headroom'),
    CRM_PLAN_LIMITS: `zendesk=${PLAN}/60`,
    // The budget's defaults otherwise: no fixed share, CRM_RESERVE_SHARE 0.1.
    // Every pop costs its full CRM work.
    CACHE_CONTACT_TTL_SECONDS: '0',
    CACHE_INTERACTIONS_TTL_SECONDS: '0',
    CACHE_COALESCE: 'off',
  });
}, 120_000);

afterAll(async () => {
  await stopReplicas(replicas ?? []);
  await reference?.close();
  await Promise.all([sandbox?.close(), referenceSandbox?.close()]);
}, 60_000);

/** Moves the sandbox's clock so that a Zendesk minute starts now. */
function startAMinute(): void {
  const now = Date.now() + clockOffsetMs;
  clockOffsetMs += Math.ceil(now / 60_000) * 60_000 - now;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` calls of `work`, started evenly over `seconds`, each on time even when the ones before are slow. */
async function evenly<T>(count: number, seconds: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const started = Date.now();
  const running: Promise<T>[] = [];
  for (let index = 0; index < count; index++) {
    const due = started + (index * seconds * 1000) / count;
    if (due > Date.now()) await sleep(due - Date.now());
    running.push(work(index));
  }
  return Promise.all(running);
}

/** The account's other integration: Zendesk's "show the current user", with the account's own credentials. */
async function otherIntegrationCall(tenant: Tenant): Promise<number> {
  const basic = Buffer.from(`${tenant.credentials.email}/token:${tenant.credentials.token}`).toString('base64');
  const response = await fetch(`${sandbox.url}/zendesk/${tenant.subdomain}/api/v2/users/me.json`, {
    headers: { authorization: `Basic ${basic}` },
  });
  await response.arrayBuffer();
  return response.status;
}

interface Phase {
  pops: (PopAnswer & { person: number })[];
  others: number[];
}

/** A fresh minute: pops through both replicas and the others' calls at once, each evenly over `seconds`. */
async function phase(
  tenant: Tenant,
  { pops, othersShare, seconds }: { pops: number; othersShare: number; seconds: number },
): Promise<Phase> {
  startAMinute();
  const othersCount = Math.round((othersShare * PLAN * seconds) / 60);
  const [answers, others] = await Promise.all([
    evenly(pops, seconds, async (index) => {
      const person = tenant.people[index % tenant.people.length]!;
      const answer = await pop(replicas[index % 2]!.url, 'zendesk', popBody(tenant, person));
      return { ...answer, person };
    }),
    evenly(othersCount, seconds, () => otherIntegrationCall(tenant)),
  ]);
  return { pops: answers, others };
}

const idsOf = (items: { id: string; type: string }[], types: string[]) =>
  items
    .filter((item) => types.includes(item.type))
    .map((item) => item.id)
    .sort();

describe('the CRM budget follows the account’s headroom', { timeout: 120_000 }, () => {
  it('an account its other integrations barely use: every pop complete, no 429, none of the others’ calls refused', async () => {
    // 1.3 pops a second of about six calls each, and the others at 10 % of the plan: well within what the account
    // leaves, and more than a fixed 30 % share of it would allow for notes.
    const { pops, others } = await phase(tenants.acme, { pops: 26, othersShare: 0.1, seconds: 20 });
    expect(sandbox.tooManyRequests()).toBe(0);
    expect(others.filter((status) => status !== 200)).toEqual([]);
    for (const answer of pops) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-bridge-shed-types')).toBeNull();
      expect(answer.body).toEqual(expected.get(`${acme.subdomain}:${answer.person}`));
    }
  });

  it('an account whose other integrations spend 60 % of the plan: theirs all served, every case and task, notes as fit', async () => {
    const { pops, others } = await phase(tenants.globex, { pops: 35, othersShare: 0.6, seconds: 25 });
    expect(sandbox.tooManyRequests()).toBe(0);
    expect(others.filter((status) => status !== 200)).toEqual([]);
    let notesShed = 0;
    for (const answer of pops) {
      expect(answer.status).toBe(200);
      const wanted = expected.get(`${globex.subdomain}:${answer.person}`) as { id: string; type: string }[];
      expect(idsOf(answer.body, ['case', 'task'])).toEqual(idsOf(wanted, ['case', 'task']));
      const shed = answer.headers.get('x-bridge-shed-types');
      expect([null, 'note']).toContain(shed);
      if (shed === 'note') notesShed++;
      else expect(answer.body).toEqual(wanted);
      expect(idsOf(wanted, ['note'])).toEqual(expect.arrayContaining(idsOf(answer.body, ['note'])));
    }
    // The rule did bite: the notes the account could not afford were left out, and said so.
    expect(notesShed).toBeGreaterThan(0);
  });
});
