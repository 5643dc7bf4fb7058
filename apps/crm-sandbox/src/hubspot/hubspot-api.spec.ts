import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUBSPOT_SANDBOX } from './fixtures.js';
import { hubspotSandbox, type HubspotSandboxOptions } from './index.js';

/** The plugin mounted as sandbox.ts mounts it, on its own Fastify instance. */
async function sandbox(options: HubspotSandboxOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(hubspotSandbox, { prefix: '/hubspot', ...options });
  await app.ready();
  return app;
}

const { acme, globex } = HUBSPOT_SANDBOX;
const { jane, heavy, phoneOnly, mobileOnly, sharedEmail, sameName, uniqueName, noAssociations } = acme.contacts;
const ACME = `Bearer ${acme.token}`;
const GLOBEX = `Bearer ${globex.token}`;
/** What `app.inject` sends as Host. */
const BASE = 'http://localhost:80/hubspot';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed JSON, asserted by each test

let app: FastifyInstance;

beforeAll(async () => {
  // Functional tests make many calls, searches included: a budget they cannot reach and no search limit (the
  // rate-limit tests build their own sandboxes).
  app = await sandbox({ burstLimit: 1_000_000, searchPerSecond: 'off' });
});

afterAll(async () => {
  await app.close();
});

/** `authorization: null` sends no Authorization header. */
function get(url: string, authorization: string | null = ACME, on = app): Promise<LightMyRequestResponse> {
  return on.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });
}

function post(
  url: string,
  body: unknown,
  authorization: string | null = ACME,
  on = app,
): Promise<LightMyRequestResponse> {
  return on.inject({ method: 'POST', url, payload: body as Json, headers: authorization ? { authorization } : {} });
}

/** The path part of an absolute link, for inject. */
function local(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

function expectHubspotError(response: LightMyRequestResponse, status: number, category: string): Json {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json();
  expect(body).toMatchObject({
    status: 'error',
    category,
    message: expect.any(String),
    correlationId: expect.any(String),
  });
  expect(response.headers['x-hubspot-correlation-id']).toBe(body.correlationId);
  return body;
}

async function search(body: Json, type = 'contacts', authorization = ACME): Promise<Json> {
  const response = await post(`/hubspot/crm/v3/objects/${type}/search`, body, authorization);
  expect(response.statusCode).toBe(200);
  return response.json();
}

const eq = (propertyName: string, value: string) => ({ propertyName, operator: 'EQ', value });
const ids = (body: Json): string[] => body.results.map((record: Json) => record.id);

describe('hubspot sandbox: authentication', () => {
  it('answers a private-app token of its portal', async () => {
    const response = await get('/hubspot/account-info/v3/details');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['x-hubspot-correlation-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('401 INVALID_AUTHENTICATION without credentials, with an unknown token, or another scheme', async () => {
    expectHubspotError(await get('/hubspot/account-info/v3/details', null), 401, 'INVALID_AUTHENTICATION');
    expectHubspotError(
      await get(`/hubspot/crm/v3/objects/contacts/${jane.id}`, `Bearer ${HUBSPOT_SANDBOX.unknownToken}`),
      401,
      'INVALID_AUTHENTICATION',
    );
    expectHubspotError(
      await get('/hubspot/account-info/v3/details', `Basic ${Buffer.from(`x:${acme.token}`).toString('base64')}`),
      401,
      'INVALID_AUTHENTICATION',
    );
    expectHubspotError(
      await post('/hubspot/crm/v3/objects/contacts/search', {}, 'Bearer '),
      401,
      'INVALID_AUTHENTICATION',
    );
  });

  it('keeps portals apart: a token sees its own portal only', async () => {
    expectHubspotError(await get(`/hubspot/crm/v3/objects/contacts/${jane.id}`, GLOBEX), 404, 'OBJECT_NOT_FOUND');
    const acmeJane = await search({ filterGroups: [{ filters: [eq('email', jane.email!)] }], properties: ['phone'] });
    const globexJane = await search(
      { filterGroups: [{ filters: [eq('email', jane.email!)] }], properties: ['phone'] },
      'contacts',
      GLOBEX,
    );
    expect(ids(acmeJane)).toEqual([jane.id]);
    expect(ids(globexJane)).toEqual([globex.contacts.jane.id]);
    expect(globexJane.results[0].properties.phone).not.toBe(jane.phone);
  });
});

describe('hubspot sandbox: account info and pipelines', () => {
  it('GET /account-info/v3/details describes the token’s portal', async () => {
    const details = (await get('/hubspot/account-info/v3/details')).json();
    expect(details).toEqual({
      portalId: acme.portalId,
      accountType: 'STANDARD',
      timeZone: expect.any(String),
      companyCurrency: 'USD',
      additionalCurrencies: expect.any(Array),
      utcOffset: expect.stringMatching(/^[+-]\d\d:\d\d$/),
      utcOffsetMilliseconds: expect.any(Number),
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
    const eu = (await get('/hubspot/account-info/v3/details', GLOBEX)).json();
    expect(eu).toMatchObject({
      portalId: globex.portalId,
      uiDomain: 'app-eu1.hubspot.com',
      dataHostingLocation: 'eu1',
    });
    expect(eu.portalId).not.toBe(acme.portalId);
  });

  it('GET /crm/v3/pipelines/tickets: the default pipeline and the custom one, stages with ticketState', async () => {
    const response = await get('/hubspot/crm/v3/pipelines/tickets');
    expect(response.statusCode).toBe(200);
    const { results } = response.json();
    expect(results.map((pipeline: Json) => pipeline.id)).toEqual(['0', acme.pipelines.custom.id]);
    const [support, custom] = results;
    expect(support).toMatchObject({
      label: 'Support Pipeline',
      displayOrder: 0,
      archived: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(
      support.stages.map((stage: Json) => [stage.id, stage.label, stage.displayOrder, stage.metadata.ticketState]),
    ).toEqual([
      ['1', 'New', 0, 'OPEN'],
      ['2', 'Waiting on contact', 1, 'OPEN'],
      ['3', 'Waiting on us', 2, 'OPEN'],
      ['4', 'Closed', 3, 'CLOSED'],
    ]);
    const stages = acme.pipelines.custom.stages;
    expect(custom.stages.map((stage: Json) => [stage.id, stage.metadata.ticketState])).toEqual([
      [stages.triage, 'OPEN'],
      [stages.investigating, 'OPEN'],
      [stages.fixScheduled, 'OPEN'],
      [stages.resolved, 'CLOSED'],
    ]);
    for (const stage of custom.stages) {
      expect(stage).toEqual({
        id: expect.any(String),
        label: expect.any(String),
        displayOrder: expect.any(Number),
        archived: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        metadata: { ticketState: expect.stringMatching(/^(OPEN|CLOSED)$/) },
        writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
      });
    }
  });

  it('globex has only the default pipeline; one pipeline by id; unknown ids and types', async () => {
    const globexPipelines = (await get('/hubspot/crm/v3/pipelines/tickets', GLOBEX)).json().results;
    expect(globexPipelines.map((pipeline: Json) => pipeline.id)).toEqual(['0']);
    const one = await get(`/hubspot/crm/v3/pipelines/tickets/${acme.pipelines.custom.id}`);
    expect(one.json()).toMatchObject({ id: acme.pipelines.custom.id, label: acme.pipelines.custom.label });
    expectHubspotError(
      await get(`/hubspot/crm/v3/pipelines/tickets/${acme.pipelines.custom.id}`, GLOBEX),
      404,
      'OBJECT_NOT_FOUND',
    );
    expectHubspotError(await get('/hubspot/crm/v3/pipelines/widgets'), 400, 'VALIDATION_ERROR');
  });
});

describe('hubspot sandbox: GET /crm/v3/objects/{type}/{id}', () => {
  it('answers the requested properties plus the id and timestamps, as strings', async () => {
    const response = await get(
      `/hubspot/crm/v3/objects/contacts/${jane.id}?properties=email,firstname,lastname,phone,mobilephone`,
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      id: jane.id,
      properties: {
        createdate: expect.any(String),
        email: 'jane.doe@example.com',
        firstname: 'Jane',
        hs_object_id: jane.id,
        lastmodifieddate: expect.any(String),
        lastname: 'Doe',
        mobilephone: null,
        phone: '+15555555555',
      },
      createdAt: body.properties.createdate,
      updatedAt: body.properties.lastmodifieddate,
      archived: false,
    });
    expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(body.createdAt));
  });

  it('answers the default properties when none are named, and leaves out names the type lacks', async () => {
    const defaults = (await get(`/hubspot/crm/v3/objects/contacts/${jane.id}`)).json();
    expect(Object.keys(defaults.properties).sort()).toEqual([
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ]);
    const odd = (
      await get(`/hubspot/crm/v3/objects/contacts/${jane.id}?properties=phone&properties=no_such_thing`)
    ).json();
    expect(Object.keys(odd.properties).sort()).toEqual(['createdate', 'hs_object_id', 'lastmodifieddate', 'phone']);
  });

  it('accepts the singular, the type id and idProperty=email', async () => {
    for (const type of ['contact', '0-1', 'CONTACTS']) {
      expect((await get(`/hubspot/crm/v3/objects/${type}/${jane.id}`)).json().id).toBe(jane.id);
    }
    const byEmail = await get(
      `/hubspot/crm/v3/objects/contacts/${encodeURIComponent('Jane.Doe@Example.com')}?idProperty=email`,
    );
    expect(byEmail.json().id).toBe(jane.id);
    expectHubspotError(
      await get(`/hubspot/crm/v3/objects/contacts/Jane?idProperty=firstname`),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('404 OBJECT_NOT_FOUND with HubSpot’s body for unknown and non-numeric ids', async () => {
    const body = expectHubspotError(await get('/hubspot/crm/v3/objects/contacts/99999999999'), 404, 'OBJECT_NOT_FOUND');
    expect(body.context).toEqual({ id: ['99999999999'] });
    expectHubspotError(await get('/hubspot/crm/v3/objects/contacts/jane'), 404, 'OBJECT_NOT_FOUND');
    expectHubspotError(await get(`/hubspot/crm/v3/objects/contacts/${jane.id}?archived=true`), 404, 'OBJECT_NOT_FOUND');
  });

  it('400 for an object type HubSpot cannot place', async () => {
    const body = expectHubspotError(await get(`/hubspot/crm/v3/objects/widgets/${jane.id}`), 400, 'VALIDATION_ERROR');
    expect(body.message).toContain('widgets');
  });

  it('serves every type the same way: a ticket', async () => {
    const ticket = (
      await get(`/hubspot/crm/v3/objects/tickets/${jane.ticketIds[0]}?properties=subject,hs_pipeline_stage`)
    ).json();
    expect(Object.keys(ticket.properties).sort()).toEqual([
      'createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
      'hs_pipeline_stage',
      'subject',
    ]);
  });
});

describe('hubspot sandbox: POST /crm/v3/objects/contacts/search', () => {
  it('EQ on email ignores case; the answer has total and results, no paging when all fit', async () => {
    const body = await search({ filterGroups: [{ filters: [eq('email', 'JANE.DOE@example.COM')] }] });
    expect(body.total).toBe(1);
    expect(body.paging).toBeUndefined();
    expect(body.results[0]).toEqual({
      id: jane.id,
      properties: expect.objectContaining({ email: 'jane.doe@example.com', hs_object_id: jane.id }),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      archived: false,
    });
    expect(Object.keys(body.results[0].properties).sort()).toEqual([
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ]);
  });

  it('returns the requested properties plus the id and timestamps', async () => {
    const body = await search({
      filterGroups: [{ filters: [eq('email', jane.email!)] }],
      properties: ['phone', 'mobilephone'],
    });
    expect(body.results[0].properties).toEqual({
      createdate: expect.any(String),
      hs_object_id: jane.id,
      lastmodifieddate: expect.any(String),
      mobilephone: null,
      phone: '+15555555555',
    });
  });

  it('finds every contact sharing an email', async () => {
    const body = await search({ filterGroups: [{ filters: [eq('email', sharedEmail.email)] }] });
    expect(ids(body).sort()).toEqual(sharedEmail.contacts.map((contact) => contact.id).sort());
    expect(body.total).toBe(2);
  });

  it('EQ on phone and mobilephone matches the stored spelling exactly', async () => {
    expect(ids(await search({ filterGroups: [{ filters: [eq('phone', '+1 (415) 555-0132')] }] }))).toEqual([
      phoneOnly.id,
    ]);
    expect(ids(await search({ filterGroups: [{ filters: [eq('phone', '+14155550132')] }] }))).toEqual([]);
    expect(ids(await search({ filterGroups: [{ filters: [eq('mobilephone', '4155550177')] }] }))).toEqual([
      mobileOnly.id,
    ]);
    expect(ids(await search({ filterGroups: [{ filters: [eq('phone', '4155550177')] }] }))).toEqual([]);
  });

  it('IN matches any of lowercase values; string values in uppercase match nothing, as HubSpot documents', async () => {
    const spellings = ['+14155550132', '4155550132', '+1 (415) 555-0132', '4155550177', '(415) 555-0177'];
    const body = await search({
      filterGroups: [
        { filters: [{ propertyName: 'phone', operator: 'IN', values: spellings }] },
        { filters: [{ propertyName: 'mobilephone', operator: 'IN', values: spellings }] },
      ],
    });
    expect(ids(body)).toEqual([phoneOnly.id, mobileOnly.id]);
    const lower = await search({
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: 'IN', values: [jane.email, 'nobody@example.com'] }] },
      ],
    });
    expect(ids(lower)).toEqual([jane.id]);
    const upper = await search({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'IN', values: ['JANE.DOE@EXAMPLE.COM'] }] }],
    });
    expect(ids(upper)).toEqual([]);
  });

  it('ANDs the filters of a group and ORs the groups', async () => {
    const johns = await search({ filterGroups: [{ filters: [eq('firstname', 'john'), eq('lastname', 'SMITH')] }] });
    expect(ids(johns)).toEqual(sameName.contacts.map((contact) => contact.id));
    const oneJohn = await search({
      filterGroups: [
        { filters: [eq('firstname', 'John'), eq('lastname', 'Smith'), eq('email', sameName.contacts[1]!.email!)] },
      ],
    });
    expect(ids(oneJohn)).toEqual([sameName.contacts[1]!.id]);
    const either = await search({
      filterGroups: [
        { filters: [eq('firstname', 'Evelyn'), eq('lastname', 'Hartwell')] },
        { filters: [eq('email', jane.email!)] },
      ],
    });
    expect(ids(either)).toEqual([jane.id, uniqueName.id]);
    const none = await search({ filterGroups: [{ filters: [eq('firstname', 'Evelyn'), eq('lastname', 'Smith')] }] });
    expect(none).toEqual({ total: 0, results: [] });
  });

  it('NEQ, HAS_PROPERTY and NOT_HAS_PROPERTY', async () => {
    const noEmail = await search({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'NOT_HAS_PROPERTY' }] }],
    });
    expect(ids(noEmail)).toEqual([phoneOnly.id, mobileOnly.id]);
    const withMobile = await search({
      filterGroups: [
        {
          filters: [
            { propertyName: 'mobilephone', operator: 'HAS_PROPERTY' },
            { propertyName: 'email', operator: 'NOT_HAS_PROPERTY' },
          ],
        },
      ],
    });
    expect(ids(withMobile)).toEqual([mobileOnly.id]);
    const otherSmith = await search({
      filterGroups: [
        {
          filters: [
            eq('lastname', 'Smith'),
            { propertyName: 'email', operator: 'NEQ', value: sameName.contacts[0]!.email },
          ],
        },
      ],
    });
    expect(ids(otherSmith)).toEqual([sameName.contacts[1]!.id]);
  });

  it('CONTAINS_TOKEN with a wildcard, range operators on datetimes, and the free-text query', async () => {
    const domain = await search({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@example.org' }] }],
      limit: 100,
    });
    expect(domain.total).toBe(20);
    const early = await search({
      filterGroups: [
        {
          filters: [{ propertyName: 'createdate', operator: 'LT', value: String(Date.parse('2025-02-10T00:00:00Z')) }],
        },
      ],
    });
    expect(ids(early)).toEqual([jane.id, heavy.id]);
    const between = await search({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'createdate',
              operator: 'BETWEEN',
              value: '2025-02-01T00:00:00Z',
              highValue: '2025-03-01T00:00:00Z',
            },
          ],
        },
      ],
    });
    expect(ids(between)).toEqual([heavy.id, sharedEmail.contacts[0]!.id]);
    expect(ids(await search({ query: 'hartwell' }))).toEqual([uniqueName.id]);
  });

  it('sorts by a property when asked', async () => {
    const newest = await search({
      filterGroups: [{ filters: [eq('lastname', 'Smith')] }],
      sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
    });
    expect(ids(newest)).toEqual(sameName.contacts.map((contact) => contact.id).reverse());
  });

  it('pages with limit and after until paging disappears, without duplicates', async () => {
    const all = await search({ limit: 200 });
    expect(all.paging).toBeUndefined();
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await search({ limit: 7, ...(after ? { after } : {}), properties: ['email'] });
      expect(page.total).toBe(all.total);
      expect(page.results.length).toBeLessThanOrEqual(7);
      seen.push(...ids(page));
      after = page.paging?.next?.after;
      if (after) expect(page.paging.next).toEqual({ after: expect.any(String) });
      pages++;
    } while (after);
    expect(pages).toBe(Math.ceil(all.total / 7));
    expect(seen).toEqual(ids(all));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('400 VALIDATION_ERROR past HubSpot’s limits: 5 groups, 6 filters a group, 18 filters, limit 200', async () => {
    const group = (n: number) => ({
      filters: Array.from({ length: n }, () => ({ propertyName: 'email', operator: 'HAS_PROPERTY' })),
    });
    const url = '/hubspot/crm/v3/objects/contacts/search';
    expectHubspotError(
      await post(url, { filterGroups: Array.from({ length: 6 }, () => group(1)) }),
      400,
      'VALIDATION_ERROR',
    );
    expect((await post(url, { filterGroups: Array.from({ length: 5 }, () => group(1)) })).statusCode).toBe(200);
    expectHubspotError(await post(url, { filterGroups: [group(7)] }), 400, 'VALIDATION_ERROR');
    expect((await post(url, { filterGroups: [group(6), group(6), group(6)] })).statusCode).toBe(200);
    expectHubspotError(
      await post(url, { filterGroups: [group(5), group(5), group(5), group(4)] }),
      400,
      'VALIDATION_ERROR',
    );
    expectHubspotError(await post(url, { limit: 201 }), 400, 'VALIDATION_ERROR');
    expect((await post(url, { limit: 200 })).statusCode).toBe(200);
    expectHubspotError(await post(url, { limit: 0 }), 400, 'VALIDATION_ERROR');
    expectHubspotError(await post(url, { after: '10000' }), 400, 'VALIDATION_ERROR');
    expectHubspotError(
      await post(url, { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE', value: 'x' }] }] }),
      400,
      'VALIDATION_ERROR',
    );
    expectHubspotError(
      await post(url, { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' }] }] }),
      400,
      'VALIDATION_ERROR',
    );
    expectHubspotError(
      await post(url, { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'IN', values: [] }] }] }),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('searches other types too: tickets by pipeline stage', async () => {
    const body = await search(
      {
        filterGroups: [
          {
            filters: [
              eq('hs_pipeline_stage', acme.pipelines.custom.stages.investigating),
              eq('subject', 'Dimmer flicker on LP-200 panels'),
            ],
          },
        ],
        properties: ['subject', 'hs_ticket_priority'],
      },
      'tickets',
    );
    expect(body.results).toHaveLength(1);
    expect(body.results[0].properties).toMatchObject({ hs_ticket_priority: 'URGENT' });
    expect(jane.ticketIds).toContain(body.results[0].id);
  });
});

describe('hubspot sandbox: search through associations (associations.contact)', () => {
  const byContact = (contactId: string, extra: Json = {}) => ({
    filterGroups: [{ filters: [eq('associations.contact', contactId)] }],
    ...extra,
  });

  it('finds exactly the records associated with the contact, for every type', async () => {
    for (const [type, expected] of [
      ['tickets', jane.ticketIds],
      ['notes', jane.noteIds],
      ['tasks', jane.taskIds],
      ['calls', jane.callIds],
    ] as const) {
      const body = await search(byContact(jane.id, { limit: 200 }), type);
      expect([...ids(body)].sort(), type).toEqual([...expected].sort());
      expect(body.total).toBe(expected.length);
    }
    expect((await search(byContact(noAssociations.id), 'tickets')).results).toEqual([]);
  });

  it('sorts by creation, newest first, and pages: the heavy contact’s newest tickets in one call', async () => {
    const body = await search(
      byContact(heavy.id, { sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }], limit: 50 }),
      'tickets',
    );
    expect(body.total).toBe(heavy.ticketIds.length);
    expect(body.results).toHaveLength(50);
    expect(body.paging.next.after).toBeDefined();
    const created = body.results.map((record: Json) => Date.parse(record.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it('400 VALIDATION_ERROR for operators other than EQ and for names that are not a singular type', async () => {
    for (const filter of [
      { propertyName: 'associations.contact', operator: 'IN', values: [jane.id] },
      { propertyName: 'associations.contact', operator: 'NEQ', value: jane.id },
      eq('associations.contacts', jane.id),
      eq('associations.widget', jane.id),
    ]) {
      const response = await post('/hubspot/crm/v3/objects/tickets/search', { filterGroups: [{ filters: [filter] }] });
      expectHubspotError(response, 400, 'VALIDATION_ERROR');
    }
  });
});

describe('hubspot sandbox: GET /crm/v4/objects/contacts/{id}/associations/{type}', () => {
  const sortedIds = (ids: string[]) =>
    [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  const url = (contactId: string, type: string, query = '') =>
    `/hubspot/crm/v4/objects/contacts/${contactId}/associations/${type}${query}`;

  it('pages the heavy contact’s 620 tickets by 500, following the absolute link, without duplicates', async () => {
    const first = (await get(url(heavy.id, 'tickets'))).json();
    expect(first.results).toHaveLength(500);
    expect(first.paging.next).toEqual({
      after: expect.any(String),
      link: expect.stringMatching(new RegExp(`^${BASE}/crm/v4/objects/contacts/${heavy.id}/associations/tickets\\?`)),
    });
    const second = (await get(local(first.paging.next.link))).json();
    expect(second.results).toHaveLength(120);
    expect(second.paging).toBeUndefined();
    const all = [...first.results, ...second.results].map((result: Json) => String(result.toObjectId));
    expect(new Set(all).size).toBe(620);
    expect(sortedIds(all)).toEqual(sortedIds(heavy.ticketIds));
    // HubSpot documents no order: the sandbox's follows neither ids nor creation.
    expect(all).not.toEqual(sortedIds(all));
    const viaAfter = (
      await get(url(heavy.id, 'tickets', `?limit=500&after=${encodeURIComponent(first.paging.next.after)}`))
    ).json();
    expect(viaAfter.results).toEqual(second.results);
  });

  it("answers ids as strings (HubSpot's current spec), in no useful order, with the HubSpot-defined association type of each pair", async () => {
    const tickets = (await get(url(jane.id, 'tickets'))).json();
    expect(tickets.results[0]).toEqual({
      toObjectId: expect.any(String),
      associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 15, label: null }],
    });
    expect(sortedIds(tickets.results.map((result: Json) => String(result.toObjectId)))).toEqual(
      sortedIds(jane.ticketIds),
    );
    const notes = (await get(url(jane.id, 'notes'))).json();
    expect(sortedIds(notes.results.map((result: Json) => String(result.toObjectId)))).toEqual(sortedIds(jane.noteIds));
    expect(notes.results[0].associationTypes[0].typeId).toBe(202);
    const tasks = (await get(url(jane.id, 'task'))).json();
    expect(sortedIds(tasks.results.map((result: Json) => String(result.toObjectId)))).toEqual(sortedIds(jane.taskIds));
    expect(tasks.results[0].associationTypes[0].typeId).toBe(204);
  });

  it('honours smaller limits and caps larger ones at 500', async () => {
    const seen: string[] = [];
    let next: string | undefined = url(heavy.id, 'tickets', '?limit=100');
    let pages = 0;
    while (next) {
      const page: Json = (await get(next)).json();
      expect(page.results.length).toBeLessThanOrEqual(100);
      seen.push(...page.results.map((result: Json) => String(result.toObjectId)));
      next = page.paging ? local(page.paging.next.link) : undefined;
      pages++;
    }
    expect(pages).toBe(7);
    expect(sortedIds(seen)).toEqual(sortedIds(heavy.ticketIds));
    expect((await get(url(heavy.id, 'tickets', '?limit=1000'))).json().results).toHaveLength(500);
    expectHubspotError(await get(url(heavy.id, 'tickets', '?limit=zero')), 400, 'VALIDATION_ERROR');
    expectHubspotError(await get(url(heavy.id, 'tickets', '?after=not-a-cursor')), 400, 'VALIDATION_ERROR');
  });

  it('lists calls by name or type id; empty pages for contacts without associations and unknown contacts', async () => {
    const calls = (await get(url(jane.id, 'calls'))).json().results.map((a: Json) => String(a.toObjectId));
    expect(sortedIds(calls)).toEqual(sortedIds(jane.callIds));
    expect(calls.length).toBeGreaterThan(0);
    expect((await get(url(jane.id, '0-48'))).json().results).toHaveLength(calls.length);
    expect((await get(url(noAssociations.id, 'calls'))).json()).toEqual({ results: [] });
    expect((await get(url(noAssociations.id, 'tickets'))).json()).toEqual({ results: [] });
    const unknown = await get(url('99999999999', 'tickets'));
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ results: [] });
    expectHubspotError(await get(url(jane.id, 'widgets')), 400, 'VALIDATION_ERROR');
  });

  it('answers the other direction too: a ticket shared by two contacts', async () => {
    const shared = sharedEmail.contacts[0]!.ticketIds.filter((id) => sharedEmail.contacts[1]!.ticketIds.includes(id));
    expect(shared).toHaveLength(1);
    const contacts = (await get(`/hubspot/crm/v4/objects/tickets/${shared[0]}/associations/contacts`)).json();
    expect(sortedIds(contacts.results.map((result: Json) => String(result.toObjectId)))).toEqual(
      sortedIds(sharedEmail.contacts.map((contact) => contact.id)),
    );
    expect(contacts.results[0].associationTypes[0].typeId).toBe(16);
  });
});

describe('hubspot sandbox: POST /crm/v3/objects/{type}/batch/read', () => {
  const batch = (type: string, body: Json, authorization = ACME) =>
    post(`/hubspot/crm/v3/objects/${type}/batch/read`, body, authorization);

  it('answers only the requested properties (plus id and timestamps), strings or null', async () => {
    const response = await batch('tickets', {
      inputs: jane.ticketIds.map((id) => ({ id })),
      properties: ['subject', 'content', 'hs_ticket_priority', 'hs_pipeline', 'hs_pipeline_stage', 'not_a_property'],
      propertiesWithHistory: [],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      status: 'COMPLETE',
      results: expect.any(Array),
      startedAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(body.results.map((record: Json) => record.id)).toEqual(jane.ticketIds);
    for (const record of body.results) {
      expect(Object.keys(record).sort()).toEqual(['archived', 'createdAt', 'id', 'properties', 'updatedAt']);
      expect(Object.keys(record.properties).sort()).toEqual([
        'content',
        'createdate',
        'hs_lastmodifieddate',
        'hs_object_id',
        'hs_pipeline',
        'hs_pipeline_stage',
        'hs_ticket_priority',
        'subject',
      ]);
      for (const value of Object.values(record.properties))
        expect(value === null || typeof value === 'string').toBe(true);
    }
    const priorities = body.results.map((record: Json) => record.properties.hs_ticket_priority);
    expect(new Set(priorities)).toEqual(new Set(['LOW', 'MEDIUM', 'HIGH', 'URGENT', null, '']));
    const pipelines = new Set(body.results.map((record: Json) => record.properties.hs_pipeline));
    expect(pipelines).toEqual(new Set(['0', acme.pipelines.custom.id]));
  });

  it('reads notes and tasks with their engagement timestamps', async () => {
    const notes = (
      await batch('notes', { inputs: jane.noteIds.map((id) => ({ id })), properties: ['hs_note_body', 'hs_timestamp'] })
    ).json();
    expect(Object.keys(notes.results[0].properties).sort()).toEqual([
      'hs_createdate',
      'hs_lastmodifieddate',
      'hs_note_body',
      'hs_object_id',
      'hs_timestamp',
    ]);
    const tasks = (
      await batch('tasks', {
        inputs: jane.taskIds.map((id) => ({ id })),
        properties: ['hs_task_subject', 'hs_task_body', 'hs_task_status', 'hs_task_priority', 'hs_timestamp'],
      })
    ).json();
    expect(tasks.results).toHaveLength(jane.taskIds.length);
    expect(new Set(tasks.results.map((task: Json) => task.properties.hs_task_status))).toEqual(
      new Set(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'DEFERRED', 'COMPLETED']),
    );
  });

  it('207 with numErrors and the missing ids when some inputs name no record', async () => {
    const response = await batch('tickets', {
      inputs: [{ id: jane.ticketIds[0] }, { id: '123' }, { id: 'abc' }],
      properties: ['subject'],
    });
    expect(response.statusCode).toBe(207);
    const body = response.json();
    expect(body.status).toBe('COMPLETE');
    expect(body.results.map((record: Json) => record.id)).toEqual([jane.ticketIds[0]]);
    expect(body.numErrors).toBe(1);
    expect(body.errors).toEqual([
      {
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: expect.stringContaining('TICKET'),
        context: { ids: ['123', 'abc'] },
      },
    ]);
    const none = await batch('calls', { inputs: [{ id: '99999999999' }], properties: ['hs_call_title'] });
    expect(none.statusCode).toBe(207);
    expect(none.json()).toMatchObject({ results: [], numErrors: 1 });
  });

  it('takes at most 100 inputs', async () => {
    const ids100 = heavy.ticketIds.slice(0, 100);
    const ok = await batch('tickets', { inputs: ids100.map((id) => ({ id })), properties: ['subject'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().results).toHaveLength(100);
    const tooMany = await batch('tickets', {
      inputs: heavy.ticketIds.slice(0, 101).map((id) => ({ id })),
      properties: ['subject'],
    });
    expectHubspotError(tooMany, 400, 'VALIDATION_ERROR');
    expectHubspotError(await batch('tickets', { properties: ['subject'] }), 400, 'VALIDATION_ERROR');
  });

  it('reads contacts by email with idProperty, and another portal’s ids are missing', async () => {
    const byEmail = (
      await batch('contacts', { inputs: [{ id: 'JANE.DOE@example.com' }], idProperty: 'email', properties: ['phone'] })
    ).json();
    expect(byEmail.results.map((record: Json) => record.id)).toEqual([jane.id]);
    const foreign = await batch('tickets', { inputs: [{ id: jane.ticketIds[0] }], properties: ['subject'] }, GLOBEX);
    expect(foreign.statusCode).toBe(207);
  });
});

describe('hubspot sandbox: unknown routes and bad requests', () => {
  it('404 JSON for paths it does not serve', async () => {
    expectHubspotError(await get('/hubspot/crm/v3/nothing/here'), 404, 'OBJECT_NOT_FOUND');
    expectHubspotError(await get('/hubspot/crm/v3/objects/contacts/search'), 404, 'OBJECT_NOT_FOUND');
  });

  it('HubSpot-shaped errors for malformed JSON and other content types', async () => {
    const malformed = await app.inject({
      method: 'POST',
      url: '/hubspot/crm/v3/objects/contacts/search',
      headers: { authorization: ACME, 'content-type': 'application/json' },
      payload: '{"filterGroups": [',
    });
    expectHubspotError(malformed, 400, 'VALIDATION_ERROR');
    const text = await app.inject({
      method: 'POST',
      url: '/hubspot/crm/v3/objects/contacts/search',
      headers: { authorization: ACME, 'content-type': 'text/plain' },
      payload: 'email=jane',
    });
    expectHubspotError(text, 415, 'VALIDATION_ERROR');
  });
});

describe('hubspot sandbox: rate limits', () => {
  function clock(start = Date.parse('2026-10-01T12:00:00Z')) {
    let time = start;
    return { now: () => time, advance: (ms: number) => (time += ms) };
  }

  it('announces the 10-second and daily budgets on every non-search answer', async () => {
    const fresh = await sandbox();
    try {
      const first = await get('/hubspot/account-info/v3/details', ACME, fresh);
      expect(first.headers).toMatchObject({
        'x-hubspot-ratelimit-max': '190',
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
        'x-hubspot-ratelimit-remaining': '189',
        'x-hubspot-ratelimit-daily': expect.any(String),
        'x-hubspot-ratelimit-daily-remaining': expect.any(String),
      });
      const second = await get(`/hubspot/crm/v3/objects/contacts/${jane.id}`, ACME, fresh);
      expect(second.headers['x-hubspot-ratelimit-remaining']).toBe('188');
      expect(Number(second.headers['x-hubspot-ratelimit-daily-remaining'])).toBe(
        Number(first.headers['x-hubspot-ratelimit-daily-remaining']) - 1,
      );
      const searched = await post('/hubspot/crm/v3/objects/contacts/search', {}, ACME, fresh);
      expect(searched.statusCode).toBe(200);
      expect(Object.keys(searched.headers).filter((name) => name.startsWith('x-hubspot-ratelimit'))).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('429 TEN_SECONDLY_ROLLING past 190 calls in 10 s per token, then recovers', async () => {
    const time = clock();
    const limited = await sandbox({ now: time.now });
    try {
      for (let i = 0; i < 190; i++) {
        time.advance(10);
        expect((await get('/hubspot/account-info/v3/details', ACME, limited)).statusCode).toBe(200);
      }
      const refused = await get(`/hubspot/crm/v3/objects/contacts/${jane.id}`, ACME, limited);
      expect(refused.statusCode).toBe(429);
      const body = refused.json();
      expect(body).toEqual({
        status: 'error',
        message: expect.any(String),
        errorType: 'RATE_LIMIT',
        correlationId: refused.headers['x-hubspot-correlation-id'],
        policyName: 'TEN_SECONDLY_ROLLING',
        category: 'RATE_LIMITS',
      });
      expect(refused.headers['x-hubspot-ratelimit-remaining']).toBe('0');
      expect(refused.headers['retry-after']).toBeUndefined(); // not documented by HubSpot
      expect((await get('/hubspot/account-info/v3/details', GLOBEX, limited)).statusCode).toBe(200);
      time.advance(10_000);
      expect((await get('/hubspot/account-info/v3/details', ACME, limited)).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('searchPerSecond: 429 SECONDLY past that many searches a second per portal; other calls unaffected', async () => {
    const time = clock();
    const limited = await sandbox({ now: time.now, searchPerSecond: 2, burstLimit: 2 });
    const searchUrl = '/hubspot/crm/v3/objects/contacts/search';
    try {
      expect((await post(searchUrl, {}, ACME, limited)).statusCode).toBe(200);
      expect((await post(searchUrl, {}, ACME, limited)).statusCode).toBe(200);
      const refused = await post(searchUrl, {}, ACME, limited);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' });
      expect(refused.headers['retry-after']).toBeUndefined();
      // Searches do not spend the 10-second budget (2 here), and the search limit is per portal.
      expect((await get('/hubspot/account-info/v3/details', ACME, limited)).statusCode).toBe(200);
      expect((await post(searchUrl, {}, GLOBEX, limited)).statusCode).toBe(200);
      time.advance(1_000);
      expect((await post(searchUrl, {}, ACME, limited)).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('limits searches to HubSpot’s 5 a second per portal by default; `off` lifts the limit', async () => {
    const time = clock();
    const [limited, unlimited] = await Promise.all([
      sandbox({ now: time.now }),
      sandbox({ now: time.now, searchPerSecond: 'off' }),
    ]);
    const search = (on: FastifyInstance) => post('/hubspot/crm/v3/objects/contacts/search', {}, ACME, on);
    try {
      const limitedAnswers = await Promise.all(Array.from({ length: 7 }, () => search(limited)));
      expect(limitedAnswers.map((answer) => answer.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const unlimitedAnswers = await Promise.all(Array.from({ length: 20 }, () => search(unlimited)));
      expect(unlimitedAnswers.every((answer) => answer.statusCode === 200)).toBe(true);
    } finally {
      await Promise.all([limited.close(), unlimited.close()]);
    }
  });
});

describe('hubspot sandbox: determinism', () => {
  it('two sandboxes answer the same data', async () => {
    const other = await sandbox({ burstLimit: 1_000_000 });
    try {
      const urls = [
        `/hubspot/crm/v3/objects/contacts/${jane.id}?properties=email,phone`,
        `/hubspot/crm/v4/objects/contacts/${heavy.id}/associations/tickets`,
        '/hubspot/crm/v3/pipelines/tickets',
      ];
      for (const url of urls) expect((await get(url, ACME, other)).json()).toEqual((await get(url, ACME)).json());
      const body = {
        filterGroups: [{ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }] }],
        limit: 50,
        properties: ['email', 'phone'],
      };
      const one = (await post('/hubspot/crm/v3/objects/contacts/search', body, ACME, other)).json();
      const two = (await post('/hubspot/crm/v3/objects/contacts/search', body)).json();
      expect(one).toEqual(two);
    } finally {
      await other.close();
    }
  });
});
