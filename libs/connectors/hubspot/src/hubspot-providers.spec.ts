import { afterEach, describe, expect, it } from 'vitest';
import { TransientUpstreamError } from '#crm-http';
import { CredentialsError, NotFoundError, PartialInteractions, UpstreamError, type Contact } from '#interactions';
import {
  disposeTestContexts,
  FakeHubspotHttp,
  testContext,
  type FakeRoute,
} from '../test-fixtures/fake-hubspot-http.js';
import {
  accountDetails,
  associationsPage,
  notesBatch,
  tasksBatch,
  ticketPipelines,
  ticketPipelinesWithNewStage,
  ticketsBatch,
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

/** Batch reads answer with one record per asked id, so tests can follow which ids were read. */
const echoBatch: FakeRoute = (call) => ({
  status: 'COMPLETE',
  results: (call.body as { inputs: { id: string }[] }).inputs.map(({ id }) => ({
    id,
    properties: { hs_timestamp: '2026-09-01T00:00:00.000Z', createdate: '2026-09-01T00:00:00.000Z' },
  })),
});

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
  /** One Talkdesk request: a session for the token, the asked types fetched concurrently as the core does. */
  async function request(types: (keyof typeof providers)[], token = TOKEN, limit = 50) {
    const api = connector.openSession({ access_token: token }, testContext());
    const results = await Promise.all(types.map((type) => providers[type].fetchInteractions(api, jane, limit)));
    return results.flatMap(PartialInteractions.itemsOf);
  }
  return { http, connector, request, metadata: (connector as unknown as { metadata: HubspotMetadataCache }).metadata };
}

afterEach(disposeTestContexts);

describe('HubSpot providers: associations, newest first', () => {
  it('reads association ids, then only those records and properties, as Talkdesk cases, notes and tasks', async () => {
    const { http, request } = bridgeWith({
      'GET /crm/v4/objects/contacts/51/associations/tickets': associationsPage([7310, 7402]),
      'GET /crm/v4/objects/contacts/51/associations/notes': associationsPage([80411]),
      'GET /crm/v4/objects/contacts/51/associations/tasks': associationsPage([60123]),
      'POST /crm/v3/objects/tickets/batch/read': ticketsBatch,
      'POST /crm/v3/objects/notes/batch/read': notesBatch,
      'POST /crm/v3/objects/tasks/batch/read': tasksBatch,
    });
    const items = await request(['case', 'note', 'task']);
    expect(items.map((item) => [item.type, item.id, item.status])).toEqual([
      ['case', '7402', 'new'],
      ['case', '7310', 'open'],
      ['note', '80411', undefined],
      ['task', '60123', 'pending'],
    ]);
    expect(http.callsTo('GET /crm/v4/objects/contacts/51/associations/tickets')[0]).toMatchObject({
      params: { limit: 500 },
      read: true,
    });
    expect(http.callsTo('POST /crm/v3/objects/tickets/batch/read')[0]).toMatchObject({
      read: true,
      body: {
        inputs: expect.arrayContaining([{ id: '7402' }, { id: '7310' }]),
        properties: ['subject', 'content', 'createdate', 'hs_ticket_priority', 'hs_pipeline', 'hs_pipeline_stage'],
      },
    });
    expect(http.callsTo('POST /crm/v3/objects/notes/batch/read')[0]!.body).toMatchObject({
      properties: ['hs_note_body', 'hs_timestamp'],
    });
  });

  it('reads every association page and keeps the `limit` newest by the records’ createdAt, not the highest ids', async () => {
    // Ids do not follow creation (imported records get new ids and old dates) and HubSpot documents no order for
    // associations: the old rule, "the highest ids are the newest", picked 1004, 1001 and 990 here.
    const created: Record<string, string> = {
      '120': '2026-10-05T00:00:00Z',
      '5': '2026-10-04T00:00:00Z',
      '990': '2024-01-01T00:00:00Z',
      '17': '2026-10-03T00:00:00Z',
      '1004': '2023-05-01T00:00:00Z',
      '3': '2025-01-01T00:00:00Z',
      '1001': '2022-01-01T00:00:00Z',
    };
    const { http, request } = bridgeWith({
      'GET /crm/v4/objects/contacts/51/associations/notes': (call: { params?: Record<string, unknown> }) =>
        ({
          undefined: associationsPage([120, 5, 990], 'page-2'),
          'page-2': associationsPage(['17', '1004', '3'], 'page-3'),
          'page-3': associationsPage([1001, 990]),
        })[String(call.params?.after)],
      'POST /crm/v3/objects/notes/batch/read': (call: { body?: unknown }) => ({
        status: 'COMPLETE',
        results: (call.body as { inputs: { id: string }[] }).inputs.map(({ id }) => ({
          id,
          createdAt: created[id],
          properties: { hs_timestamp: created[id], hs_note_body: `note ${id}` },
        })),
      }),
    });
    const notes = await request(['note'], TOKEN, 3);
    expect(http.callsTo('GET /crm/v4/objects/contacts/51/associations/notes').map((c) => c.params?.after)).toEqual([
      undefined,
      'page-2',
      'page-3',
    ]);
    expect(notes.map((note) => note.id)).toEqual(['120', '5', '17']);
  });

  it('keeps the pages that arrived when a later association page fails, and says what failed', async () => {
    const { connector } = bridgeWith({
      'GET /crm/v4/objects/contacts/51/associations/notes': (call: { params?: Record<string, unknown> }) => {
        if (call.params?.after === 'page-2') throw new UpstreamError('hubspot failed with HTTP 503');
        return associationsPage([120, 5], 'page-2');
      },
      'POST /crm/v3/objects/notes/batch/read': echoBatch,
    });
    const api = connector.openSession({ access_token: TOKEN }, testContext());
    const answer = await new HubspotNoteProvider().fetchInteractions(api, jane, 10);
    expect(answer).toBeInstanceOf(PartialInteractions);
    expect(
      PartialInteractions.itemsOf(answer)
        .map((note) => note.id)
        .sort(),
    ).toEqual(['120', '5']);
    expect((answer as PartialInteractions).failures).toHaveLength(1);
  });

  it('stops paging at HUBSPOT_MAX_ASSOCIATION_PAGES', async () => {
    let page = 0;
    const { http, request } = bridgeWith(
      {
        'GET /crm/v4/objects/contacts/51/associations/tasks': () => associationsPage([++page], `after-${page}`),
        'POST /crm/v3/objects/tasks/batch/read': echoBatch,
      },
      { maxAssociationPages: 2 },
    );
    const tasks = await request(['task']);
    expect(http.callsTo('GET /crm/v4/objects/contacts/51/associations/tasks')).toHaveLength(2);
    expect(tasks.map((task) => task.id)).toEqual(['2', '1']);
  });

  it('batch-reads at most 100 ids per call', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => 1000 + i);
    const { http, request } = bridgeWith({
      'GET /crm/v4/objects/contacts/51/associations/tasks': associationsPage(ids),
      'POST /crm/v3/objects/tasks/batch/read': echoBatch,
    });
    const tasks = await request(['task'], TOKEN, 250);
    const batches = http.callsTo('POST /crm/v3/objects/tasks/batch/read');
    expect(batches.map((call) => (call.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 100, 50]);
    expect(tasks).toHaveLength(250);
    expect(tasks[0]!.id).toBe('1249');
  });

  it('makes no batch read for a contact without associations, and none of a contact that went away (404)', async () => {
    const { http, request } = bridgeWith({
      'GET /crm/v4/objects/contacts/51/associations/notes': associationsPage([]),
      'GET /crm/v4/objects/contacts/51/associations/tasks': () => {
        throw new NotFoundError('hubspot has no such record');
      },
    });
    expect(await request(['note', 'task'])).toEqual([]);
    expect(http.callsTo('POST *')).toEqual([]);
  });
});

describe('HubSpot account metadata: portal and pipelines cached per token', () => {
  const routes = {
    'GET /crm/v4/objects/contacts/51/associations/*': associationsPage([7310]),
    'POST /crm/v3/objects/tickets/batch/read': ticketsBatch,
    'POST /crm/v3/objects/notes/batch/read': notesBatch,
    'POST /crm/v3/objects/tasks/batch/read': tasksBatch,
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
      'POST /crm/v3/objects/tickets/batch/read': { results: [newStageTicket] },
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
      'POST /crm/v3/objects/tickets/batch/read': { results: [ghost] },
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
