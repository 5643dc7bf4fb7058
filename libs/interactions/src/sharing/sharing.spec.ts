import { describe, expect, it } from 'vitest';
import type { SharedRedis } from '#shared-state';
import { BridgeMetrics } from '../bridge-metrics.js';
import type { CrmConnector } from '../connector.js';
import type { ConnectorRegistry } from '../connector-registry.js';
import type { ContactQuery } from '../interaction.js';
import { Deadline } from '../request-context.js';
import { CrmBudget, readRateLimitHeaders } from './crm-budget.js';
import {
  bindCallGate,
  callGateOf,
  CallShedError,
  currentInteractionType,
  inTypeScope,
  type CrmCallGate,
} from './crm-call-gate.js';
import { credentialMetadataOf } from './credential-metadata.js';
import type { RequestContext } from '../request-context.js';
import { credentialHash, keyedHash } from './credential-hash.js';
import { InteractionsCache } from './interactions-cache.js';
import { PopSharing } from './pop-sharing.js';
import { SharingMetrics } from './sharing-metrics.js';
import { DEFAULT_SHARING_SETTINGS, parsePlanLimits, type SharingSettings } from './sharing-settings.js';

const secret = Buffer.from('a-test-secret-of-at-least-thirty-two-bytes');

function settings(overrides: Partial<SharingSettings> = {}): SharingSettings {
  return { ...DEFAULT_SHARING_SETTINGS, keySecret: secret, ...overrides };
}

function budget(overrides: Partial<SharingSettings> = {}) {
  const metrics = new SharingMetrics(new BridgeMetrics(), null);
  // One registered connector, declaring 4 calls a minute as its plan (`@Connector({ planLimit })`).
  const acme = { name: 'acme', planLimit: { limit: 4, windowSeconds: 60 } };
  const registry = {
    list: () => [acme],
    get: (name: string) => (name === acme.name ? acme : undefined),
  } as unknown as ConnectorRegistry;
  return { budget: new CrmBudget(settings(overrides), metrics, registry, null), metrics };
}

/** Tries one call of `type` (undefined: a lookup); true when the gate let it through. */
async function call(gate: CrmCallGate, type?: string): Promise<boolean> {
  const context = { requestId: 'test', connector: 'acme' } as RequestContext;
  bindCallGate(context, gate);
  try {
    await (type ? inTypeScope(context, type, () => gate.beforeCall()) : gate.beforeCall());
    return true;
  } catch (error) {
    if (error instanceof CallShedError) return false;
    throw error;
  }
}

describe('the interaction type of a CRM call', () => {
  it('is known inside a type scope of a request with a gate, and no scope is entered for one without', async () => {
    const gated = { requestId: 'a', connector: 'acme' } as RequestContext;
    bindCallGate(gated, { beforeCall: async () => {}, afterResponse: () => {} });
    const ungated = { requestId: 'b', connector: 'acme' } as RequestContext;
    const seen = async () => {
      await Promise.resolve();
      return currentInteractionType();
    };
    expect(await inTypeScope(gated, 'note', seen)).toBe('note');
    expect(await inTypeScope(ungated, 'note', seen)).toBeUndefined();
  });
});

describe('credential hashes in cache keys', () => {
  it('never hold the credential, and differ per credential, connector and secret', () => {
    const auth = { subdomain: 'acme', email: 'agent@acme.example', token: 'the-secret-api-token' };
    const hash = credentialHash(secret, 'zendesk', auth);
    expect(hash).not.toContain('the-secret-api-token');
    expect(hash).toBe(credentialHash(secret, 'zendesk', { token: auth.token, email: auth.email, subdomain: 'acme' }));
    expect(credentialHash(secret, 'zendesk', { ...auth, token: 'another-token' })).not.toBe(hash);
    expect(credentialHash(secret, 'hubspot', auth)).not.toBe(hash);
    expect(credentialHash(Buffer.from('another-secret-another-secret-another'), 'zendesk', auth)).not.toBe(hash);
    expect(keyedHash(secret, 'jane@example.com')).not.toContain('jane');
  });
});

describe('plan limits and the CRMs’ rate-limit headers', () => {
  it('parses CRM_PLAN_LIMITS and refuses what is not calls/seconds', () => {
    expect(parsePlanLimits('zendesk=400/60, hubspot=190/10')).toEqual({
      zendesk: { limit: 400, windowSeconds: 60 },
      hubspot: { limit: 190, windowSeconds: 10 },
    });
    expect(() => parsePlanLimits('zendesk=400')).toThrow(/CRM_PLAN_LIMITS/);
    expect(() => parsePlanLimits('zendesk=0/60')).toThrow(/CRM_PLAN_LIMITS/);
  });

  it('reads Zendesk, HubSpot and Salesforce headers', () => {
    expect(readRateLimitHeaders({ 'x-rate-limit': '700', 'x-rate-limit-remaining': '699' })).toEqual({
      limit: 700,
      remaining: 699,
    });
    expect(readRateLimitHeaders({ 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-remaining': '42' })).toEqual({
      limit: 100,
      remaining: 42,
    });
    expect(readRateLimitHeaders({ 'sforce-limit-info': 'api-usage=18/5000' })).toEqual({
      limit: 5000,
      remaining: 4982,
    });
    expect(readRateLimitHeaders({ 'content-type': 'application/json' })).toEqual({});
  });
});

describe('CrmBudget (in memory)', () => {
  it('sheds notes first, then tasks, then cases; lookups last', async () => {
    // 10 calls a minute, all of it ours: notes need 40 % left, tasks 20 %, cases 10 %.
    const { budget: crm, metrics } = budget({
      planLimits: { zendesk: { limit: 10, windowSeconds: 60 } },
      budgetShare: 1,
    });
    const gate = crm.gate('zendesk', 'acme', { prepayFirstRead: false })!;
    const outcomes: string[] = [];
    for (let index = 0; index < 10; index++) {
      for (const type of ['note', 'task', 'case', undefined]) {
        if (await call(gate, type)) outcomes.push(type ?? 'lookup');
      }
    }
    // Left after each granted call: 9, 8, … A note needs 4 left after it, a task 2, a case 1, a lookup 0: in the
    // third round notes and tasks are shed, cases and lookups still made.
    const round = ['note', 'task', 'case', 'lookup'];
    expect(outcomes).toEqual([...round, ...round, 'case', 'lookup']);
    expect(await call(gate)).toBe(false); // nothing left at all
    expect((await metrics.shedCalls.get()).values.some(({ labels }) => labels.type === 'note')).toBe(true);
  });

  it('keeps tenants apart', async () => {
    const { budget: crm } = budget({ planLimits: { zendesk: { limit: 2, windowSeconds: 60 } }, budgetShare: 1 });
    const acme = crm.gate('zendesk', 'acme', { prepayFirstRead: false })!;
    const globex = crm.gate('zendesk', 'globex', { prepayFirstRead: false })!;
    expect([await call(acme), await call(acme), await call(acme)]).toEqual([true, true, false]);
    expect(await call(globex)).toBe(true);
  });

  it('respects what the CRM says is left, others’ calls included', async () => {
    const { budget: crm } = budget({ planLimits: { zendesk: { limit: 200, windowSeconds: 60 } } });
    const gate = crm.gate('zendesk', 'acme', { prepayFirstRead: false })!;
    expect(await call(gate, 'case')).toBe(true);
    gate.afterResponse(200, { 'x-rate-limit': '200', 'x-rate-limit-remaining': '5' });
    expect(await call(gate, 'case')).toBe(false);
    expect(await call(gate)).toBe(false);
  });

  it('learns the plan from the CRM: a 100 limit gives a larger share than the configured 10', async () => {
    const { budget: crm } = budget({ planLimits: { zendesk: { limit: 10, windowSeconds: 60 } }, budgetShare: 0.5 });
    const gate = crm.gate('zendesk', 'acme', { prepayFirstRead: false })!;
    let granted = 0;
    while (await call(gate)) granted++;
    expect(granted).toBe(5);
    gate.afterResponse(200, { 'x-rate-limit': '100', 'x-rate-limit-remaining': '90' });
    expect(await call(gate)).toBe(true);
  });

  it('keeps counting across a change of the learnt limit: calls already made still count', async () => {
    const { budget: crm } = budget({ planLimits: { zendesk: { limit: 10, windowSeconds: 60 } }, budgetShare: 0.5 });
    const gate = crm.gate('zendesk', 'acme', { prepayFirstRead: false })!;
    let granted = 0;
    while (await call(gate)) granted++;
    expect(granted).toBe(5);
    // The CRM says the plan is 12: the share is 6, of which 5 (and one refused try, refunded) are spent.
    gate.afterResponse(200, { 'x-rate-limit': '12', 'x-rate-limit-remaining': '11' });
    expect([await call(gate), await call(gate)]).toEqual([true, false]);
  });

  it('a pop’s first lookup pays for the read after it', async () => {
    const { budget: crm } = budget({ planLimits: { zendesk: { limit: 3, windowSeconds: 60 } }, budgetShare: 1 });
    const first = crm.gate('zendesk', 'acme', { prepayFirstRead: true })!;
    const second = crm.gate('zendesk', 'acme', { prepayFirstRead: true })!;
    expect(await call(first)).toBe(true); // 2 of 3 spent
    expect(await call(second)).toBe(false); // its lookup could not pay for a read: not made
    expect(await call(first, 'case')).toBe(true); // prepaid
  });

  it('is off when CRM_BUDGET_SHARE is 0', () => {
    expect(budget({ budgetShare: 0 }).budget.gate('acme', 'tenant', { prepayFirstRead: true })).toBeUndefined();
  });

  it('spends the share of the plan the connector declares, unless CRM_PLAN_LIMITS overrides it', async () => {
    const declared = budget({ budgetShare: 0.5 }).budget.gate('acme', 'tenant', { prepayFirstRead: false })!;
    expect([await call(declared), await call(declared), await call(declared)]).toEqual([true, true, false]);
    const overridden = budget({ budgetShare: 0.5, planLimits: { acme: { limit: 2, windowSeconds: 60 } } });
    const gate = overridden.budget.gate('acme', 'tenant', { prepayFirstRead: false })!;
    expect([await call(gate), await call(gate)]).toEqual([true, false]);
    expect(budget().budget.gate('unknown', 'tenant', { prepayFirstRead: false })).toBeUndefined();
  });
});

describe('PopSharing', () => {
  function sharing(overrides: Partial<SharingSettings> = {}) {
    const metrics = new SharingMetrics(new BridgeMetrics(), null);
    return new PopSharing(
      settings(overrides),
      new InteractionsCache(settings(overrides), metrics, null),
      budget(overrides).budget,
    );
  }
  const connector = {} as CrmConnector<unknown>;
  const auth = { token: 't' };
  const context = () => ({ requestId: 'r', connector: 'acme', deadline: new Deadline(5_000) }) as RequestContext;
  const query = (phones: string[], emails: string[] = []): ContactQuery => ({ emails, phones });

  it('keys a lookup by the numbers and addresses asked, however they were written', async () => {
    const shared = sharing();
    let lookups = 0;
    const work = async () => [{ id: `c${++lookups}`, emails: [], phones: [] }];
    await shared.forRequest('acme', connector, auth, context())!.contacts(query(['(415) 555-0100'], ['A@x.io']), work);
    const again = shared.forRequest('acme', connector, auth, context())!;
    expect(await again.contacts(query(['+1 415-555-0100', '+14155550100'], [' a@x.io']), work)).toEqual([
      { id: 'c1', emails: [], phones: [] },
    ]);
    await again.contacts(query(['+1 415-555-0199']), work);
    expect(lookups).toBe(2);
  });

  it('names a tenant without an account by its credential fields alone: other auth fields cannot split it', async () => {
    // `acme` declares 4 calls a minute; the whole share is ours.
    const shared = sharing({ budgetShare: 1 });
    const made: boolean[] = [];
    for (const portal of ['1', '2', '3', '4', '5']) {
      const request = context();
      shared.forRequest('acme', connector, { token: 't', portal_id: portal }, request, {
        screenPop: false,
        credentialFields: ['token'],
      });
      made.push(await call(callGateOf(request)!));
    }
    // One budget for the token, whatever else `auth` carried: the fifth call is not made.
    expect(made).toEqual([true, true, true, true, false]);
  });

  it('shares what is learnt about a credential with every request of it, and only of it', async () => {
    const shared = sharing();
    const learnt = context();
    shared.forRequest('acme', connector, { token: 't', portal_id: '1' }, learnt, { credentialFields: ['token'] });
    let loads = 0;
    const load = async () => ({ portal: ++loads });
    expect(await credentialMetadataOf(learnt)!.through('portal', 60, load)).toEqual({ portal: 1 });
    const same = context();
    shared.forRequest('acme', connector, { token: 't', portal_id: '2' }, same, { credentialFields: ['token'] });
    expect(await credentialMetadataOf(same)!.through('portal', 60, load)).toEqual({ portal: 1 });
    const other = context();
    shared.forRequest('acme', connector, { token: 'u' }, other, { credentialFields: ['token'] });
    expect(await credentialMetadataOf(other)!.through('portal', 60, load)).toEqual({ portal: 2 });
    await credentialMetadataOf(other)!.set('portal', { portal: 3 }, 60);
    expect(await credentialMetadataOf(same)!.through('portal', 60, load)).toEqual({ portal: 1 });
  });

  it('is not consulted at all when cache, coalescing and budget are all off', () => {
    const off = sharing({ contactTtlSeconds: 0, interactionsTtlSeconds: 0, coalesce: false, budgetShare: 0 });
    expect(off.forRequest('acme', connector, auth, context())).toBeUndefined();
  });
});

describe('InteractionsCache (in memory)', () => {
  const cache = (overrides: Partial<SharingSettings> = {}) =>
    new InteractionsCache(settings(overrides), new SharingMetrics(new BridgeMetrics(), null), null);

  it('serves a stored answer without calling again; a TTL of 0 stores nothing', async () => {
    const shared = cache();
    let calls = 0;
    const work = async () => ++calls;
    expect(await shared.through('contacts', 'k', 600, work, () => 600)).toBe(1);
    expect(await shared.through('contacts', 'k', 600, work, () => 600)).toBe(1);
    expect(await shared.through('contacts', 'other', 0, work, () => 600)).toBe(2);
    expect(await shared.through('contacts', 'other', 0, work, () => 600)).toBe(3);
    // An answer the caller says not to keep (a partial one) is not kept.
    expect(await shared.through('interactions', 'partial', 30, work, () => 0)).toBe(4);
    expect(await shared.through('interactions', 'partial', 30, work, () => 0)).toBe(5);
  });

  it('does identical work in flight once, and again once it is over', async () => {
    const shared = cache();
    let calls = 0;
    const deadline = new Deadline(5_000);
    const work = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return calls;
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => shared.coalesce('pop', deadline, work)));
    expect(answers).toEqual(answers.map(() => 1));
    expect(await shared.coalesce('pop', deadline, work)).toBe(2);
    deadline.dispose();
  });

  it('does not coalesce when CACHE_COALESCE is off', async () => {
    const shared = cache({ coalesce: false });
    let calls = 0;
    const deadline = new Deadline(5_000);
    await Promise.all(Array.from({ length: 5 }, () => shared.coalesce('pop', deadline, async () => ++calls)));
    expect(calls).toBe(5);
    deadline.dispose();
  });
});

describe('InteractionsCache: the coalescing lock across replicas', () => {
  /** A SharedRedis whose client fails the first `failures` commands of each kind, then answers. */
  function flakyRedis(failures: { set: number; eval: number }) {
    const calls = { set: 0, eval: [] as string[] };
    const client = {
      set: async (_key: string, token: string) => {
        calls.set++;
        if (calls.set <= failures.set) throw new Error('Command timed out');
        return token ? 'OK' : null;
      },
      eval: async (_script: string, _keys: number, _lock: string, token: string) => {
        calls.eval.push(token);
        if (calls.eval.length <= failures.eval) throw new Error("Stream isn't writeable");
        return 1;
      },
      exists: async () => 0,
    };
    const redis = {
      client,
      use: () => client,
      key: (...parts: string[]) => `test:${parts.join(':')}`,
      degraded: () => {},
      onDegraded: () => {},
    };
    return { redis: redis as unknown as SharedRedis, calls };
  }

  it('takes back a lock whose SET timed out, again until Redis answers, and the pop goes on meanwhile', async () => {
    const { redis, calls } = flakyRedis({ set: 1, eval: 2 });
    const shared = new InteractionsCache(settings(), new SharingMetrics(new BridgeMetrics(), null), redis);
    const deadline = new Deadline(5_000);
    expect(await shared.coalesce('pop', deadline, async () => 'answered')).toBe('answered');
    // Sent at once with the same token (it follows the SET in Redis's queue), then again until answered.
    expect(calls.eval.length).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(calls.eval).toHaveLength(3);
    expect(new Set(calls.eval).size).toBe(1);
    deadline.dispose();
  });

  it('releases a lock it took once the work is done', async () => {
    const { redis, calls } = flakyRedis({ set: 0, eval: 0 });
    const shared = new InteractionsCache(settings(), new SharingMetrics(new BridgeMetrics(), null), redis);
    const deadline = new Deadline(5_000);
    expect(await shared.coalesce('pop', deadline, async () => 'answered')).toBe('answered');
    expect(calls.eval).toHaveLength(1);
    deadline.dispose();
  });
});
