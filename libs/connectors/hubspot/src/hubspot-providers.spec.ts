import { afterEach, describe, expect, it } from 'vitest';
import { TransientUpstreamError } from '#crm-http';
import {
  bindCredentialMetadata,
  CredentialsError,
  PartialInteractions,
  UpstreamError,
  type AuthFields,
  type Contact,
  type CredentialMetadata,
} from '#interactions';
import { disposeTestContexts, FakeHubspotHttp, testContext } from '../test-fixtures/fake-hubspot-http.js';
import {
  accountDetails,
  notesSearch,
  searchPage,
  tasksSearch,
  ticketPipelines,
  ticketPipelinesWithNewStage,
  ticketsSearch,
} from '../test-fixtures/hubspot-payloads.js';
import { hubspotConfigFrom, type HubspotConfig } from './hubspot-config.js';
import { hubspotTokenKey } from './hubspot-credentials.js';
import { HubspotMetadataCache } from './hubspot-metadata-cache.js';
import { HubspotNoteProvider } from './hubspot-note.provider.js';
import { HubspotTaskProvider } from './hubspot-task.provider.js';
import { HubspotCaseProvider } from './hubspot-case.provider.js';
import { HubspotConnector } from './hubspot.connector.js';

const jane: Contact = { id: '51', name: 'Jane Doe', emails: ['jane.doe@example.com'], phones: [] };
const TOKEN = 'pat-na1-cache-test-token';

/** `count` records created one day apart, newest first, as a search sorted by creation descending answers. */
function newestRecords(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => {
    const id = String(5000 - from - i);
    const created = new Date(Date.UTC(2026, 8, 1) - (from + i) * 86_400_000).toISOString();
    return { id, createdAt: created, properties: { hs_timestamp: created, hs_createdate: created } };
  });
}

function bridgeWith(routes: Record<string, unknown>, overrides: Partial<HubspotConfig> = {}) {
  const config = { ...hubspotConfigFrom({}), ...overrides };
  const http = new FakeHubspotHttp({
    'GET /account-info/v3/details': accountDetails,
    'GET /crm/v3/pipelines/tickets': ticketPipelines,
    ...routes,
  });
  const connector = new HubspotConnector(http.client, config, new HubspotMetadataCache(config));
  const providers = {
    case: new HubspotCaseProvider(),
    note: new HubspotNoteProvider(),
    task: new HubspotTaskProvider(),
  };
  /**
   * One Talkdesk request: a session for the token (and any other `auth` fields), the asked types fetched concurrently
   * as the core does; `shared` stands for the cache every replica shares.
   */
  async function request(
    types: (keyof typeof providers)[],
    token = TOKEN,
    limit = 50,
    { auth = {}, shared }: { auth?: AuthFields; shared?: CredentialMetadata } = {},
  ) {
    const context = testContext();
    if (shared) bindCredentialMetadata(context, shared);
    const api = connector.openSession({ access_token: token, ...auth }, context);
    const results = await Promise.all(types.map((type) => providers[type].fetchInteractions(api, jane, limit)));
    return results.flatMap(PartialInteractions.itemsOf);
  }
  return { http, connector, request, metadata: (connector as unknown as { metadata: HubspotMetadataCache }).metadata };
}

afterEach(disposeTestContexts);

describe('HubSpot providers: the newest associated records, one search per type', () => {
  it('searches each type once by associations.contact, newest created first, for only the mapped properties', async () => {
    const { http, request } = bridgeWith({
      'POST /crm/v3/objects/tickets/search': ticketsSearch,
      'POST /crm/v3/objects/notes/search': notesSearch,
      'POST /crm/v3/objects/tasks/search': tasksSearch,
    });
    const items = await request(['case', 'note', 'task']);
    expect(items.map((item) => [item.type, item.id, item.status])).toEqual([
      ['case', '7402', 'new'],
      ['case', '7310', 'open'],
      ['note', '80411', undefined],
      ['task', '60123', 'pending'],
    ]);
    const byJane = [{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: '51' }] }];
    expect(http.callsTo('POST /crm/v3/objects/tickets/search')).toEqual([
      expect.objectContaining({
        read: true,
        body: {
          filterGroups: byJane,
          sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
          properties: ['subject', 'content', 'createdate', 'hs_ticket_priority', 'hs_pipeline', 'hs_pipeline_stage'],
          limit: 50,
          after: undefined,
        },
      }),
    ]);
    expect(http.callsTo('POST /crm/v3/objects/notes/search')).toEqual([
      expect.objectContaining({
        body: expect.objectContaining({
          filterGroups: byJane,
          sorts: [{ propertyName: 'hs_createdate', direction: 'DESCENDING' }],
          properties: ['hs_note_body', 'hs_timestamp'],
        }),
      }),
    ]);
    expect(http.callsTo('POST *')).toHaveLength(3);
    expect(http.callsTo('GET /crm/v4/*')).toEqual([]);
  });

  it('pages past HubSpot’s 200 results a search, with `after`, and no further than the limit', async () => {
    const { http, request } = bridgeWith({
      'POST /crm/v3/objects/tasks/search': (call: { body?: unknown }) => {
        const { after, limit } = call.body as { after?: string; limit: number };
        return after === undefined
          ? searchPage(newestRecords(limit), '200', 900)
          : searchPage(newestRecords(limit, Number(after)), String(Number(after) + limit), 900);
      },
    });
    const tasks = await request(['task'], TOKEN, 250);
    expect(
      http.callsTo('POST /crm/v3/objects/tasks/search').map((call) => {
        const { after, limit } = call.body as { after?: string; limit: number };
        return [after, limit];
      }),
    ).toEqual([
      [undefined, 200],
      ['200', 50],
    ]);
    expect(tasks).toHaveLength(250);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(250);
  });

  it('keeps the page that arrived when the next one fails, and says what failed', async () => {
    const { connector } = bridgeWith({
      'POST /crm/v3/objects/notes/search': (call: { body?: unknown }) => {
        if ((call.body as { after?: string }).after) throw new UpstreamError('hubspot failed with HTTP 503');
        return searchPage(newestRecords(200), '200', 300);
      },
    });
    const api = connector.openSession({ access_token: TOKEN }, testContext());
    const answer = await new HubspotNoteProvider().fetchInteractions(api, jane, 300);
    expect(answer).toBeInstanceOf(PartialInteractions);
    expect(PartialInteractions.itemsOf(answer)).toHaveLength(200);
    expect((answer as PartialInteractions).failures).toHaveLength(1);
  });

  it('fails the type when its only search fails; a contact without records costs one call and answers nothing', async () => {
    const { http, request } = bridgeWith({
      'POST /crm/v3/objects/notes/search': searchPage([]),
      'POST /crm/v3/objects/tasks/search': () => {
        throw new UpstreamError('hubspot failed with HTTP 503');
      },
    });
    expect(await request(['note'])).toEqual([]);
    expect(http.callsTo('POST /crm/v3/objects/notes/search')).toHaveLength(1);
    await expect(request(['task'])).rejects.toThrow(UpstreamError);
  });
});

describe('HubSpot account metadata: portal and pipelines cached per token', () => {
  const routes = {
    'POST /crm/v3/objects/tickets/search': ticketsSearch,
    'POST /crm/v3/objects/notes/search': notesSearch,
    'POST /crm/v3/objects/tasks/search': tasksSearch,
  };

  it('reads the account details and pipelines once across requests and types for one token', async () => {
    const { http, request } = bridgeWith(routes);
    await request(['case', 'note', 'task']);
    await request(['case', 'note', 'task']);
    expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(1);
    expect(http.callsTo('GET /crm/v3/pipelines/tickets')).toHaveLength(1);
  });

  it('shares one in-flight fetch between concurrent requests for the same token', async () => {
    const { http, request } = bridgeWith(routes);
    await Promise.all([request(['case', 'note']), request(['case', 'task']), request(['note'])]);
    expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(1);
    expect(http.callsTo('GET /crm/v3/pipelines/tickets')).toHaveLength(1);
  });

  it('keeps each token’s metadata apart, under a hash of the token, never the token', async () => {
    const { http, request, metadata } = bridgeWith(routes);
    await request(['case'], TOKEN);
    await request(['case'], 'pat-eu1-another-account');
    expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(2);
    for (const keys of [metadata.portals.tokenKeys(), metadata.ticketPipelines.tokenKeys()]) {
      expect(keys.sort()).toEqual([hubspotTokenKey(TOKEN), hubspotTokenKey('pat-eu1-another-account')].sort());
      for (const key of keys) {
        expect(key).toMatch(/^[0-9a-f]{64}$/);
        expect(key).not.toContain('pat-');
      }
    }
  });

  it('reads them again once the TTL has passed', async () => {
    const { http, request } = bridgeWith(routes, { accountCacheTtlMs: 1, pipelinesCacheTtlMs: 1 });
    await request(['case']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await request(['case']);
    expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(2);
    expect(http.callsTo('GET /crm/v3/pipelines/tickets')).toHaveLength(2);
  });

  it('refetches the pipelines once for a stage it does not know, then maps it', async () => {
    const newStageTicket = {
      id: '7500',
      properties: {
        subject: 'Escalated',
        createdate: '2026-09-19T00:00:00Z',
        hs_pipeline: '81234567',
        hs_pipeline_stage: '90000004',
      },
    };
    const pipelineAnswers = [ticketPipelines, ticketPipelinesWithNewStage];
    const { http, request } = bridgeWith({
      ...routes,
      'GET /crm/v3/pipelines/tickets': () => pipelineAnswers.shift() ?? ticketPipelinesWithNewStage,
      'POST /crm/v3/objects/tickets/search': searchPage([newStageTicket]),
    });
    expect((await request(['case']))[0]!.status).toBe('open');
    expect(http.callsTo('GET /crm/v3/pipelines/tickets')).toHaveLength(2);
    expect((await request(['case']))[0]!.status).toBe('open');
    expect(http.callsTo('GET /crm/v3/pipelines/tickets')).toHaveLength(2);
  });

  it('leaves the status out of a stage still unknown after the refetch, and does not refetch for it again', async () => {
    const ghost = {
      id: '7600',
      properties: { subject: 'Ghost', createdate: '2026-09-19T00:00:00Z', hs_pipeline: '0', hs_pipeline_stage: '77' },
    };
    const { http, request } = bridgeWith({
      ...routes,
      'POST /crm/v3/objects/tickets/search': searchPage([ghost]),
    });
    const [first] = await request(['case']);
    expect(first!.status).toBeUndefined();
    expect(first!.subject).toBe('Ghost');
    await request(['case']);
    expect(http.callsTo('GET /crm/v3/pipelines/tickets')).toHaveLength(2);
  });

  it('answers without urls or statuses when HubSpot fails to give the metadata, and tries again next time', async () => {
    const failing = () => {
      throw new TransientUpstreamError('hubspot failed with HTTP 503');
    };
    const { http, request } = bridgeWith({
      ...routes,
      'GET /account-info/v3/details': failing,
      'GET /crm/v3/pipelines/tickets': failing,
    });
    const ticket = (await request(['case'])).find((item) => item.id === '7310');
    expect(ticket).toMatchObject({ id: '7310', subject: 'Order #88213 arrived damaged' });
    expect(ticket!.url).toBeUndefined();
    expect(ticket!.status).toBeUndefined();
    await request(['case']);
    expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(2);
  });

  it('fails the type when HubSpot rejects the token', async () => {
    const { request } = bridgeWith({
      ...routes,
      'GET /account-info/v3/details': () => {
        throw new CredentialsError('hubspot rejected the credentials (HTTP 401)');
      },
    });
    await expect(request(['note'])).rejects.toThrow(CredentialsError);
  });

  it('verifying credentials refreshes the cached portal', async () => {
    const { http, connector, request } = bridgeWith(routes);
    await connector.verifyCredentials(connector.openSession({ access_token: TOKEN }, testContext()));
    await request(['note']);
    expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(1);
  });
});

/** The shared cache as replicas see it: one store for all, by credential (the token here) and name. */
function sharedStore(): CredentialMetadata & { reads: number } {
  const values = new Map<string, unknown>();
  const store = {
    reads: 0,
    async through<T>(name: string, _ttlSeconds: number, load: () => Promise<T>): Promise<T> {
      store.reads++;
      if (values.has(name)) return values.get(name) as T;
      const value = await load();
      values.set(name, JSON.parse(JSON.stringify(value)));
      return value;
    },
    async set(name: string, value: unknown) {
      values.set(name, JSON.parse(JSON.stringify(value)));
    },
  };
  return store;
}

describe('HubSpot metadata shared by replicas', () => {
  const routes = {
    'POST /crm/v3/objects/tickets/search': ticketsSearch,
    'POST /crm/v3/objects/notes/search': notesSearch,
  };

  it('a second replica reads the portal and pipelines another one learnt, without asking HubSpot', async () => {
    const shared = sharedStore();
    const first = bridgeWith(routes);
    const second = bridgeWith(routes);
    const before = await first.request(['case', 'note'], TOKEN, 50, { shared });
    expect(first.http.callsTo('GET /account-info/v3/details')).toHaveLength(1);
    expect(first.http.callsTo('GET /crm/v3/pipelines/tickets')).toHaveLength(1);
    const after = await second.request(['case', 'note'], TOKEN, 50, { shared });
    expect(second.http.callsTo('GET /account-info/v3/details')).toHaveLength(0);
    expect(second.http.callsTo('GET /crm/v3/pipelines/tickets')).toHaveLength(0);
    expect(after).toEqual(before);
  });

  it('the validator’s portal is shared too: a pop on another replica makes no account call', async () => {
    const shared = sharedStore();
    const validator = bridgeWith(routes);
    const context = testContext();
    bindCredentialMetadata(context, shared);
    await validator.connector.verifyCredentials(validator.connector.openSession({ access_token: TOKEN }, context));
    const pop = bridgeWith(routes);
    const items = await pop.request(['note'], TOKEN, 50, { shared });
    expect(pop.http.callsTo('GET /account-info/v3/details')).toHaveLength(0);
    expect(items[0]!.url).toMatch(/^https:\/\/app\.hubspot\.com\/contacts\/2451003\//);
  });

  it('a stored value it cannot read is replaced with HubSpot’s answer', async () => {
    const shared = sharedStore();
    await shared.set('portal', { portalId: 'not a number', appHost: 'evil.example.com' }, 60);
    await shared.set('ticket-pipelines', { stages: 'nope' }, 60);
    const { http, request } = bridgeWith(routes);
    const items = await request(['case'], TOKEN, 50, { shared });
    expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(1);
    expect(http.callsTo('GET /crm/v3/pipelines/tickets')).toHaveLength(1);
    expect(items.every((item) => item.url?.startsWith('https://app.hubspot.com/contacts/2451003/'))).toBe(true);
  });
});

describe('HubSpot portal sent back in auth (the validator’s answer)', () => {
  const routes = { 'POST /crm/v3/objects/notes/search': notesSearch };
  const derived = { hubspot_portal_id: '2451003', hubspot_app_host: 'app.hubspot.com' };

  it('is used for the links, without asking HubSpot', async () => {
    const plain = bridgeWith(routes);
    const without = await plain.request(['note']);
    const { http, request } = bridgeWith(routes);
    const withFields = await request(['note'], TOKEN, 50, { auth: derived });
    expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(0);
    expect(withFields).toEqual(without);
  });

  it('malformed, or half of it, is ignored: the same items as without it, the portal read from HubSpot', async () => {
    const plain = bridgeWith(routes);
    const without = await plain.request(['note']);
    const malformed: AuthFields[] = [
      { hubspot_portal_id: '24510O3', hubspot_app_host: 'app.hubspot.com' },
      { hubspot_portal_id: '2451003', hubspot_app_host: 'evil.example.com' },
      { hubspot_portal_id: '2451003', hubspot_app_host: 'app.hubspot.com.evil.example' },
      { hubspot_portal_id: '-1', hubspot_app_host: 'app.hubspot.com' },
      { hubspot_portal_id: '2451003' },
      { hubspot_app_host: 'app-eu1.hubspot.com' },
    ];
    for (const auth of malformed) {
      const { http, request } = bridgeWith(routes);
      expect(await request(['note'], TOKEN, 50, { auth }), JSON.stringify(auth)).toEqual(without);
      expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(1);
    }
  });

  it('another portal’s id changes the links and nothing else: the same records, read with the token', async () => {
    const plain = bridgeWith(routes);
    const without = await plain.request(['note']);
    const { http, request } = bridgeWith(routes);
    const other = await request(['note'], TOKEN, 50, {
      auth: { hubspot_portal_id: '139004221', hubspot_app_host: 'app-eu1.hubspot.com' },
    });
    expect(other.map(({ url: _url, ...rest }) => rest)).toEqual(without.map(({ url: _url, ...rest }) => rest));
    for (const item of other) expect(item.url).toMatch(/^https:\/\/app-eu1\.hubspot\.com\/contacts\/139004221\//);
    expect(http.callsTo('POST /crm/v3/objects/notes/search')).toHaveLength(1);
  });

  it('loses to what this process learnt from HubSpot for the token', async () => {
    const { http, request } = bridgeWith(routes);
    const learnt = await request(['note']);
    const other = await request(['note'], TOKEN, 50, {
      auth: { hubspot_portal_id: '139004221', hubspot_app_host: 'app-eu1.hubspot.com' },
    });
    expect(other).toEqual(learnt);
    expect(http.callsTo('GET /account-info/v3/details')).toHaveLength(1);
  });
});
