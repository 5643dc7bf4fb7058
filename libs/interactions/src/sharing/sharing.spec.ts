import { describe, expect, it } from 'vitest';
import type { SharedRedis } from '#shared-state';
import { BridgeMetrics } from '../bridge-metrics.js';
import type { CrmConnector } from '../connector.js';
import type { ConnectorRegistry } from '../connector-registry.js';
import type { ContactQuery } from '../interaction.js';
import { Deadline } from '../request-context.js';
import { CrmBudget } from './crm-budget.js';
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
import { DEFAULT_SHARING_SETTINGS, type SharingSettings } from './sharing-settings.js';

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
  return new CrmBudget(settings(overrides), metrics, registry, null);
}

describe('the interaction type of a CRM call', () => {
  it('is known inside a type scope of a request with a gate, and no scope is entered for one without', async () => {
    const gated = { requestId: 'a', connector: 'acme' } as RequestContext;
    bindCallGate(gated, { beforeCall: async () => ({ answered: () => {} }) });
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

describe('PopSharing', () => {
  function sharing(overrides: Partial<SharingSettings> = {}) {
    const metrics = new SharingMetrics(new BridgeMetrics(), null);
    return new PopSharing(
      settings(overrides),
      new InteractionsCache(settings(overrides), metrics, null),
      budget(overrides),
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

  /** One call through the gate, answered 200 (the CRM took the credential): whether the budget let it be made. */
  async function call(gate: CrmCallGate): Promise<boolean> {
    try {
      (await gate.beforeCall()).answered(200, {});
      return true;
    } catch (error) {
      if (error instanceof CallShedError) return false;
      throw error;
    }
  }

  it('names a tenant without an account by its credential fields alone: other auth fields cannot split it', async () => {
    // `acme` declares 4 calls a minute: a few calls spend what the budget allows a token.
    const calls = async (auths: Record<string, string>[]) => {
      const shared = sharing();
      const made: boolean[] = [];
      for (const auth of auths) {
        const request = context();
        shared.forRequest('acme', connector, auth, request, { credentialFields: ['token'] });
        made.push(await call(callGateOf(request)!));
      }
      return made;
    };
    const sameFields = await calls(['1', '1', '1', '1', '1'].map((portal) => ({ token: 't', portal_id: portal })));
    const otherFields = await calls(['1', '2', '3', '4', '5'].map((portal) => ({ token: 't', portal_id: portal })));
    // The budget is spent within five calls, and other `auth` fields did not make a second budget.
    expect(sameFields).toContain(false);
    expect(otherFields).toEqual(sameFields);
    // Another token is another tenant, with its own budget.
    const otherTokens = await calls(['t', 'u', 'v', 'w', 'x'].map((token) => ({ token })));
    expect(otherTokens).toEqual([true, true, true, true, true]);
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
