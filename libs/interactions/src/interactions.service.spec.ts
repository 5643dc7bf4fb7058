import { describe, expect, it } from 'vitest';
import { BridgeMetrics } from './bridge-metrics.js';
import { PartialInteractions, type CrmConnector, type InteractionProvider } from './connector.js';
import type { ConnectorRegistry, RegisteredConnector } from './connector-registry.js';
import {
  AllInteractionTypesFailedError,
  CredentialsError,
  ForbiddenError,
  RateLimitedError,
  UnknownConnectorError,
  UpstreamError,
} from './errors.js';
import type { Contact, TalkdeskInteraction } from './interaction.js';
import { DEFAULT_INTERACTION_SETTINGS } from './interaction-settings.js';
import { InteractionsService } from './interactions.service.js';
import { Deadline, type RequestContext } from './request-context.js';
import { InteractionsCache, type CacheTier } from './sharing/interactions-cache.js';
import { PopSharing } from './sharing/pop-sharing.js';
import { SharingMetrics } from './sharing/sharing-metrics.js';
import { DEFAULT_SHARING_SETTINGS, type SharingSettings } from './sharing/sharing-settings.js';

/** The service without a Nest container: an in-memory connector and providers passed in. */
const jane: Contact = { id: '1', name: 'Jane Doe', emails: ['jane@example.com'], phones: [] };

const connector: CrmConnector<string> = {
  openSession: (auth) => {
    if (!auth.token) throw new CredentialsError('needs auth.token');
    return auth.token;
  },
  verifyCredentials: async () => undefined,
  findContactById: async (_session, id) => (id === '1' ? jane : undefined),
  findContactsByEmail: async () => [jane],
  findContactsByPhone: async () => [],
  findContactsByName: async () => [],
};

const item = (type: string, id: string, date: string): TalkdeskInteraction => ({
  id,
  type,
  subject: `${type} ${id}`,
  date,
});

function provider(fetch: (limit: number) => Promise<TalkdeskInteraction[]>): InteractionProvider<string> {
  return { fetchInteractions: (_session, _contact, limit) => fetch(limit) };
}

function service(
  providers: Record<string, InteractionProvider<string>>,
  settings = DEFAULT_INTERACTION_SETTINGS,
  crm: CrmConnector<string> = connector,
  derivedAuthFields: RegisteredConnector['derivedAuthFields'] = [],
  sharing?: PopSharing,
) {
  const registered: RegisteredConnector = {
    name: 'test',
    authFields: ['token'],
    credentialFields: ['token'],
    derivedAuthFields,
    connector: crm as CrmConnector,
    providers: new Map(Object.entries(providers)) as Map<string, InteractionProvider>,
  };
  const registry = {
    get: (name: string) => (name === 'test' ? registered : undefined),
    list: () => [registered],
  } as ConnectorRegistry;
  const metrics = new BridgeMetrics();
  return { service: new InteractionsService(registry, metrics, settings, sharing), metrics };
}

/** The in-memory cache, keeping what each tier's work answered (what the cache stores). */
class RecordingCache extends InteractionsCache {
  readonly stored: { tier: CacheTier; value: unknown }[] = [];

  override through<T>(
    tier: CacheTier,
    key: string,
    maxTtlSeconds: number,
    work: () => Promise<T>,
    ttlSeconds: (value: T) => number,
    onHit?: () => void,
  ): Promise<T> {
    const recorded = async () => {
      const value = await work();
      this.stored.push({ tier, value });
      return value;
    };
    return super.through(tier, key, maxTtlSeconds, recorded, ttlSeconds, onHit);
  }
}

/** PopSharing with its cache and coalescing on (in memory), and no CRM budget. */
function cachingSharing() {
  const settings: SharingSettings = {
    ...DEFAULT_SHARING_SETTINGS,
    keySecret: Buffer.from('a-test-secret-of-at-least-thirty-two-bytes'),
    budgetShare: 0,
  };
  const metrics = new SharingMetrics(new BridgeMetrics(), null);
  const cache = new RecordingCache(settings, metrics, null);
  const budget = { gate: () => undefined } as unknown as ConstructorParameters<typeof PopSharing>[2];
  return { sharing: new PopSharing(settings, cache, budget), cache };
}

function context(budgetMs = 1000): RequestContext {
  return { requestId: 'r1', connector: 'test', deadline: new Deadline(budgetMs) };
}

const request = (types: string[], auth: Record<string, string> = { token: 't' }) => ({
  auth,
  types,
  contact: { externalId: '1', emails: [], phones: [] },
});

describe('InteractionsService', () => {
  it('runs the asked types concurrently and merges them newest first', async () => {
    // Each provider answers only once both have started: run one after the other, the first would wait until the
    // deadline and fail, and its items would be missing.
    let bothStarted!: () => void;
    const rendezvous = new Promise<void>((resolve) => (bothStarted = resolve));
    const started: string[] = [];
    const waitForTheOther = (type: string, date: string) =>
      provider(async () => {
        started.push(type);
        if (started.length === 2) bothStarted();
        await rendezvous;
        return [item(type, '1', date)];
      });
    const { service: s } = service({
      case: waitForTheOther('case', '2026-01-01 00:00:00 UTC'),
      note: waitForTheOther('note', '2026-02-01 00:00:00 UTC'),
    });
    const result = await s.retrieve(request(['case', 'note']), context(500));
    expect(result.map((i) => i.type)).toEqual(['note', 'case']);
    expect(started.sort()).toEqual(['case', 'note']);
  });

  it("finalises every connector's items alike: ids unique across types, plain subjects, creation dates counted", async () => {
    const { service: s, metrics } = service({
      case: provider(async () => [item('case', '1130', '2026-10-02 14:05:00 UTC')]),
      note: provider(async () => [
        {
          ...item('note', '1130', '2026-10-02 16:35:00 UTC'),
          subject: '  ',
          description: '<p>Courier&#x27;s on it</p>',
        },
      ]),
      task: provider(async () => [{ ...item('task', '77', ''), createdDate: '2026-09-30 09:00:00 UTC' }]),
    });
    const result = await s.retrieve(request(['case', 'note', 'task']), context());
    expect(result.map((i) => [i.id, i.subject, i.date])).toEqual([
      ['note:1130', "Courier's on it", '2026-10-02 16:35:00 UTC'],
      ['case:1130', 'case 1130', '2026-10-02 14:05:00 UTC'],
      ['task:77', 'task 77', '2026-09-30 09:00:00 UTC'],
    ]);
    const fallbacks = await metrics.itemsDatedByCreation.get();
    expect(fallbacks.values).toEqual([
      expect.objectContaining({ value: 1, labels: { connector: 'test', type: 'task' } }),
    ]);
  });

  it('caches items finalised, so a cache hit cleans nothing again and counts nothing again', async () => {
    let reads = 0;
    const { sharing, cache } = cachingSharing();
    const { service: s, metrics } = service(
      {
        note: provider(async () => {
          reads++;
          return [
            { ...item('note', '1130', '2026-10-02 16:35:00 UTC'), description: '<p>Courier&#x27;s <b>on</b> it</p>' },
            { ...item('note', '', '2026-10-02 16:36:00 UTC') }, // no id: dropped
            { ...item('note', '77', ''), createdDate: '2026-09-30 09:00:00 UTC' },
          ];
        }),
      },
      DEFAULT_INTERACTION_SETTINGS,
      connector,
      [],
      sharing,
    );
    const first = await s.retrieve(request(['note']), context());
    const second = await s.retrieve(request(['note']), context());

    expect(reads).toBe(1);
    expect(second).toEqual(first);
    expect(first.map((i) => [i.id, i.description])).toEqual([
      ['note:1130', "Courier's on it"],
      ['note:77', undefined],
    ]);
    // What the cache keeps is what Talkdesk gets: no markup, qualified ids, the invalid item gone.
    expect(cache.stored.filter(({ tier }) => tier === 'interactions').map(({ value }) => value)).toEqual([first]);
    // Counted for the one CRM read, not again for the hit.
    expect((await metrics.droppedItems.get()).values.map(({ value }) => value)).toEqual([1]);
    expect((await metrics.itemsDatedByCreation.get()).values.map(({ value }) => value)).toEqual([1]);
  });

  it('tells a connector that wants it the supported types and their limit before resolving the contact', async () => {
    const events: string[] = [];
    const planning: CrmConnector<string> = {
      ...connector,
      planInteractions: (_session, plan) => void events.push(`plan ${plan.types.join(',')} ${plan.limitPerType}`),
      findContactById: async (_session, id) => (events.push('lookup'), id === '1' ? jane : undefined),
    };
    const { service: subject } = service({ case: provider(async () => []) }, DEFAULT_INTERACTION_SETTINGS, planning);
    await subject.retrieve(request(['case', 'fax', 'case']), context());
    expect(events).toEqual([`plan case ${DEFAULT_INTERACTION_SETTINGS.maxItemsPerType}`, 'lookup']);
  });

  it('passes MAX_ITEMS_PER_TYPE to providers as their limit', async () => {
    let seen = 0;
    const { service: s } = service(
      { case: provider(async (limit) => ((seen = limit), [])) },
      { ...DEFAULT_INTERACTION_SETTINGS, maxItemsPerType: 7 },
    );
    await s.retrieve(request(['case']), context());
    expect(seen).toBe(7);
  });

  it('drops unsupported and repeated types, counting each unsupported one', async () => {
    let calls = 0;
    const { service: s, metrics } = service({
      case: provider(async () => (calls++, [item('case', '1', '2026-01-01 00:00:00 UTC')])),
    });
    const result = await s.retrieve(request(['case', 'call', 'case']), context());
    expect(result).toHaveLength(1);
    expect(calls).toBe(1);
    const counted = await metrics.unsupportedTypes.get();
    // No connector here supports `call`: it is counted under the fixed label "other", never the asked string.
    expect(counted.values).toEqual([
      expect.objectContaining({ value: 1, labels: { connector: 'test', type: 'other' } }),
    ]);
    expect(await s.retrieve(request(['call']), context())).toEqual([]);
  });

  it('answers with what succeeded when some types fail', async () => {
    const { service: s, metrics } = service({
      case: provider(async () => [item('case', '1', '2026-01-01 00:00:00 UTC')]),
      note: provider(async () => {
        throw new UpstreamError('503');
      }),
    });
    expect((await s.retrieve(request(['case', 'note']), context())).map((i) => i.type)).toEqual(['case']);
    const failures = await metrics.typeFailures.get();
    expect(failures.values).toEqual([
      expect.objectContaining({ value: 1, labels: { connector: 'test', type: 'note', cause: 'upstream' } }),
    ]);
  });

  it('throws the decisive cause when every type fails', async () => {
    const { service: s } = service({
      case: provider(async () => {
        throw new UpstreamError('503');
      }),
      note: provider(async () => {
        throw new RateLimitedError('429', { retryAfterSeconds: 3 });
      }),
    });
    const failure = await s.retrieve(request(['case', 'note']), context()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AllInteractionTypesFailedError);
    expect((failure as AllInteractionTypesFailedError).decisive.kind).toBe('rate_limited');
  });

  it('classifies a provider bug as internal, not as the CRM failing', async () => {
    const { service: s } = service({
      case: provider(async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'id')");
      }),
    });
    const failure = (await s
      .retrieve(request(['case']), context())
      .catch((error: unknown) => error)) as AllInteractionTypesFailedError;
    expect(failure.decisive.kind).toBe('internal');
  });

  it('answers at the deadline even when a provider ignores it', async () => {
    const { service: s } = service({
      case: provider(() => new Promise(() => undefined)),
      note: provider(async () => [item('note', '1', '2026-01-01 00:00:00 UTC')]),
    });
    const began = performance.now();
    const result = await s.retrieve(request(['case', 'note']), context(100));
    // Bounded by the deadline, not by the provider (which never settles); roomy, as the machine may be busy.
    expect(performance.now() - began).toBeLessThan(600);
    expect(result.map((i) => i.type)).toEqual(['note']);
  });

  it('refuses an unknown connector and bad credentials before any lookup', async () => {
    const lookups: string[] = [];
    const recording: CrmConnector<string> = {
      ...connector,
      verifyCredentials: async () => void lookups.push('verify'),
      findContactById: async (session, id) => (lookups.push('id'), connector.findContactById(session, id)),
      findContactsByEmail: async () => (lookups.push('email'), [jane]),
    };
    const { service: s } = service({ case: provider(async () => []) }, DEFAULT_INTERACTION_SETTINGS, recording);
    await expect(s.retrieve(request(['case']), { ...context(), connector: 'nope' })).rejects.toBeInstanceOf(
      UnknownConnectorError,
    );
    await expect(s.retrieve(request(['case'], {}), context())).rejects.toBeInstanceOf(CredentialsError);
    await expect(s.verifyCredentials({}, context())).rejects.toBeInstanceOf(CredentialsError);
    expect(lookups).toEqual([]);
    await s.retrieve(request(['case']), context()); // the same connector with good credentials does look up
    expect(lookups).toEqual(['id']);
  });

  it('validates credentials with the declared derived fields only, as text', async () => {
    const deriving: CrmConnector<string> = {
      ...connector,
      verifyCredentials: async () => ({ account_id: '42', region: '', token: 't', secret: 'not declared' }),
    };
    const declared = [
      { name: 'account_id', display: 'Account', help: 'Found by the bridge' },
      { name: 'region', display: 'Region', help: 'Found by the bridge' },
      { name: 'missing', display: 'Missing', help: 'Found by the bridge' },
    ];
    const { service: s } = service(
      { case: provider(async () => []) },
      DEFAULT_INTERACTION_SETTINGS,
      deriving,
      declared,
    );
    expect(await s.verifyCredentials({ token: 't' }, context())).toEqual({ account_id: '42' });
    // A connector that declares none answers an empty object, whatever its verifyCredentials resolves with.
    const { service: plain } = service({ case: provider(async () => []) }, DEFAULT_INTERACTION_SETTINGS, deriving);
    expect(await plain.verifyCredentials({ token: 't' }, context())).toEqual({});
  });

  it('answers [] when no contact matches', async () => {
    const { service: s } = service({ case: provider(async () => [item('case', '1', '2026-01-01 00:00:00 UTC')]) });
    const result = await s.retrieve(
      { auth: { token: 't' }, types: ['case'], contact: { externalId: '2', emails: [], phones: [] } },
      context(),
    );
    expect(result).toEqual([]);
  });

  it('keeps what a provider read when part of its reads failed, and counts the failures', async () => {
    const { service: s, metrics } = service({
      note: {
        fetchInteractions: async () =>
          new PartialInteractions(
            [item('note', '7', '2026-01-01 00:00:00 UTC')],
            [new ForbiddenError('no access to ticket 12')],
          ),
      },
    });
    const result = await s.retrieve(request(['note']), context());
    expect(result.map((i) => i.id)).toEqual(['note:7']);
    const counted = await metrics.partialResults.get();
    expect(counted.values).toEqual([{ labels: { connector: 'test', type: 'note', cause: 'forbidden' }, value: 1 }]);
  });

  it('a type that failed forbidden everywhere makes every-type-failed decide forbidden (502), not credentials', async () => {
    const { service: s } = service({
      case: provider(async () => Promise.reject(new ForbiddenError('missing scope tickets'))),
    });
    const failure = await s.retrieve(request(['case']), context()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AllInteractionTypesFailedError);
    expect((failure as AllInteractionTypesFailedError).decisive.kind).toBe('forbidden');
  });

  it('looks up at most maxLookupsPerRequest identifiers, in resolution order', async () => {
    const asked: string[][] = [];
    const counting: CrmConnector<string> = {
      ...connector,
      findContactsByEmail: async (_session, emails) => (asked.push(emails), []),
      findContactsByPhone: async (_session, numbers) => (asked.push(numbers.map((n) => n.e164)), []),
      findContactsByName: async (_session, name) => (asked.push([name]), []),
    };
    const registered: RegisteredConnector = {
      name: 'test',
      authFields: ['token'],
      credentialFields: ['token'],
      derivedAuthFields: [],
      connector: counting as CrmConnector,
      providers: new Map([['case', provider(async () => [])]]) as Map<string, InteractionProvider>,
    };
    const registry = { get: () => registered } as unknown as ConnectorRegistry;
    const s = new InteractionsService(registry, new BridgeMetrics(), {
      ...DEFAULT_INTERACTION_SETTINGS,
      maxLookupsPerRequest: 3,
    });
    const emails = ['a@x.io', 'b@x.io'];
    const phones = ['+14155550100', '+14155550101'];
    await s.retrieve({ auth: { token: 't' }, types: ['case'], contact: { emails, phones, name: 'Al' } }, context());
    expect(asked).toEqual([emails, ['+14155550100']]);
  });
});
