import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZENDESK_SANDBOX } from './fixtures.js';
import { zendeskSandbox, type ZendeskSandboxOptions } from './index.js';

/** The plugin mounted as sandbox.ts mounts it, on its own Fastify instance. */
async function sandbox(options: ZendeskSandboxOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(zendeskSandbox, { prefix: '/zendesk', ...options });
  await app.ready();
  return app;
}

const { acme, globex } = ZENDESK_SANDBOX;
const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
const ACME_BASIC = basic(acme.credentials.email, acme.credentials.token);
const ACME_BEARER = `Bearer ${acme.credentials.accessToken}`;
const GLOBEX_BASIC = basic(globex.credentials.email, globex.credentials.token);
/** What `app.inject` sends as Host. */
const ACME_BASE = 'http://localhost:80/zendesk/acme';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed JSON, asserted by each test

let app: FastifyInstance;

beforeAll(async () => {
  app = await sandbox();
});

afterAll(async () => {
  await app.close();
});

/** `authorization: null` sends no Authorization header. */
function get(url: string, authorization: string | null = ACME_BASIC, query?: Record<string, string>) {
  return app.inject({ method: 'GET', url, query, headers: authorization ? { authorization } : {} });
}

/** The path part of an absolute link, for inject. */
function local(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

async function search(query: string, tenant = 'acme', authorization = ACME_BASIC): Promise<Json[]> {
  const response = await get(`/zendesk/${tenant}/api/v2/users/search.json`, authorization, { query });
  expect(response.statusCode).toBe(200);
  return response.json().users;
}

describe('zendesk sandbox: authentication', () => {
  it('accepts an API token (Basic {email}/token:{token}) and says who it belongs to', async () => {
    const response = await get('/zendesk/acme/api/v2/users/me.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json().user).toMatchObject({ id: acme.agent.id, email: acme.credentials.email, role: 'admin' });
  });

  it('accepts an OAuth access token (Bearer)', async () => {
    const response = await get('/zendesk/acme/api/v2/users/me', ACME_BEARER);
    expect(response.statusCode).toBe(200);
    expect(response.json().user.id).toBe(acme.agent.id);
  });

  it('matches the email case-insensitively', async () => {
    const response = await get('/zendesk/acme/api/v2/users/me', basic('AGENT@Acme.Example', acme.credentials.token));
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['a wrong token', basic(acme.credentials.email, 'not-the-token')],
    ['another agent', basic('someone@acme.example', acme.credentials.token)],
    [
      'a password instead of a token',
      `Basic ${Buffer.from(`${acme.credentials.email}:${acme.credentials.token}`).toString('base64')}`,
    ],
    ['garbage', 'Basic !!!'],
    ['an unknown scheme', `Token ${acme.credentials.token}`],
  ])("answers 401 Couldn't authenticate you to %s", async (_case, authorization) => {
    const response = await get('/zendesk/acme/api/v2/users/me', authorization);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: "Couldn't authenticate you" });
  });

  it('answers 401 invalid_token to a wrong Bearer token', async () => {
    const response = await get('/zendesk/acme/api/v2/users/me', 'Bearer nope');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'invalid_token' });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it("rejects one tenant's credentials on another tenant", async () => {
    expect((await get('/zendesk/globex/api/v2/users/me', ACME_BASIC)).statusCode).toBe(401);
    expect((await get('/zendesk/globex/api/v2/users/me', ACME_BEARER)).statusCode).toBe(401);
    expect((await get(`/zendesk/acme/api/v2/users/${acme.users.jane.id}`, GLOBEX_BASIC)).statusCode).toBe(401);
    expect((await get('/zendesk/globex/api/v2/users/me', GLOBEX_BASIC)).json().user.id).toBe(globex.agent.id);
  });

  it('shows the anonymous user (id null) on users/me without credentials, and 401 elsewhere', async () => {
    const me = await get('/zendesk/acme/api/v2/users/me', null);
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBeNull();
    const user = await get(`/zendesk/acme/api/v2/users/${acme.users.jane.id}`, null);
    expect(user.statusCode).toBe(401);
    expect(user.json()).toEqual({ error: "Couldn't authenticate you" });
  });

  it('answers 404 "No help desk" for a subdomain without an account', async () => {
    const response = await get(`/zendesk/${ZENDESK_SANDBOX.unknownSubdomain}/api/v2/users/me`);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.title).toBe(`No help desk at ${ZENDESK_SANDBOX.unknownSubdomain}.zendesk.com`);
  });

  it('answers 404 InvalidEndpoint for paths the API does not have', async () => {
    for (const url of ['/zendesk/acme/api/v2/nothing/here', '/zendesk/acme/not-the-api', '/zendesk/acme']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toEqual({ error: 'InvalidEndpoint', description: 'Not found' });
    }
    const post = await app.inject({
      method: 'POST',
      url: '/zendesk/acme/api/v2/users/me',
      headers: { authorization: ACME_BASIC },
    });
    expect(post.statusCode).toBe(404);
    expect(post.json().error).toBe('InvalidEndpoint');
  });
});

describe('zendesk sandbox: users', () => {
  it('shows a user by id, with and without .json, its url pointing back at the sandbox', async () => {
    const jane = acme.users.jane;
    const withSuffix = await get(`/zendesk/acme/api/v2/users/${jane.id}.json`);
    const without = await get(`/zendesk/acme/api/v2/users/${jane.id}`);
    expect(withSuffix.statusCode).toBe(200);
    expect(without.json()).toEqual(withSuffix.json());
    expect(withSuffix.json().user).toMatchObject({
      id: jane.id,
      url: `${ACME_BASE}/api/v2/users/${jane.id}.json`,
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      phone: '+15555555555',
      role: 'end-user',
      active: true,
      verified: true,
      shared_phone_number: false,
    });
    expect(typeof withSuffix.json().user.created_at).toBe('string');
    expect(typeof withSuffix.json().user.time_zone).toBe('string');
  });

  it('answers 404 RecordNotFound for an unknown id, a non-numeric one, or a user of another tenant', async () => {
    for (const id of ['999', 'abc', String(globex.users.jane.id)]) {
      const response = await get(`/zendesk/acme/api/v2/users/${id}.json`);
      expect(response.statusCode, id).toBe(404);
      expect(response.json(), id).toEqual({ error: 'RecordNotFound', description: 'Not found' });
    }
  });
});

describe('zendesk sandbox: users/search', () => {
  const ids = (users: Json[]) => users.map((user) => user.id);

  it('finds by email, case-insensitively and exactly', async () => {
    expect(ids(await search('email:jane.doe@example.com'))).toEqual([acme.users.jane.id]);
    expect(ids(await search('email:Jane.Doe@EXAMPLE.com'))).toEqual([acme.users.jane.id]);
    expect(ids(await search('email:doe@example.com'))).toEqual([]);
    expect(ids(await search('email:shared@example.com'))).toEqual(acme.users.sharedEmail.users.map((user) => user.id));
  });

  it('refuses a query over 64 words (punctuation separates words), as Zendesk limits a query', async () => {
    // role:end-user is 3 words; each email:someone.N@example.com is 5.
    const query = (emails: number) =>
      ['role:end-user', ...Array.from({ length: emails }, (_, i) => `email:someone.${i}@example.com`)].join(' ');
    const within = await get('/zendesk/acme/api/v2/users/search', ACME_BASIC, { query: query(12) }); // 63 words
    expect(within.statusCode).toBe(200);
    const over = await get('/zendesk/acme/api/v2/users/search', ACME_BASIC, { query: `${query(12)} email:x@y` }); // 67
    expect(over.statusCode).toBe(400);
    expect(over.json()).toEqual({ error: 'InvalidValue', description: 'There is a 64 word limit in a search query' });
  });

  it('answers in the search shape, with realistic users', async () => {
    const response = await get('/zendesk/acme/api/v2/users/search', ACME_BASIC, {
      query: 'email:jane.doe@example.com',
    });
    const body = response.json();
    expect(body).toMatchObject({ count: 1, next_page: null, previous_page: null });
    expect(body.users[0]).toMatchObject({
      id: acme.users.jane.id,
      url: `${ACME_BASE}/api/v2/users/${acme.users.jane.id}.json`,
    });
  });

  it('keeps tenants apart: the same email is another user on globex', async () => {
    expect(ids(await search('email:jane.doe@example.com', 'globex', GLOBEX_BASIC))).toEqual([globex.users.jane.id]);
  });

  it('finds by phone exactly as stored, whatever the spelling', async () => {
    for (const user of acme.users.phoneOnly) {
      expect(ids(await search(`phone:"${user.phone}"`)), user.phone!).toEqual([user.id]);
      if (!/\s/.test(user.phone!)) expect(ids(await search(`phone:${user.phone}`))).toEqual([user.id]);
    }
    expect(ids(await search('phone:+15555555555'))).toEqual([acme.users.jane.id]);
    // Another spelling of a stored number is not the stored string.
    expect(ids(await search('phone:+14155550132'))).toEqual([]);
    expect(ids(await search('phone:"(415) 555-0132"'))).toEqual([]);
  });

  it("finds by phone with a leading *: digits only, every stored format (Zendesk's caller-id search)", async () => {
    for (const user of acme.users.phoneOnly) {
      const digits = user.phone!.replace(/\D/g, '').slice(-10);
      expect(ids(await search(`role:end-user phone:*${digits}`)), user.phone!).toEqual([user.id]);
    }
    expect(ids(await search('role:end-user phone:*4045550127'))).toEqual([acme.users.kwame.id]);
  });

  it('matches every identity of a user, not only the primary email and phone', async () => {
    const ines = acme.users.secondaryIdentities;
    expect(ids(await search(`email:${ines.secondaryEmail}`))).toEqual([ines.id]);
    expect(ids(await search('phone:*3055550151'))).toEqual([ines.id]);
    const [user] = await search(`email:${ines.secondaryEmail}`);
    expect(user).toMatchObject({ email: ines.email, phone: ines.phone });
  });

  it('finds suspended users and agents unless the query asks for end users', async () => {
    const suspended = acme.users.suspended;
    expect(await search(`email:${suspended.email}`)).toEqual([
      expect.objectContaining({ id: suspended.id, suspended: true, role: 'end-user' }),
    ]);
    expect(ids(await search(`phone:*${acme.agentPhone.replace(/\D/g, '').slice(-10)}`))).toEqual([acme.agent.id]);
    expect(ids(await search(`role:end-user phone:*${acme.agentPhone.replace(/\D/g, '').slice(-10)}`))).toEqual([]);
  });

  it('sideloads identities on users/show_many, and lists them on users/{id}/identities', async () => {
    const ines = acme.users.secondaryIdentities;
    const many = (
      await get('/zendesk/acme/api/v2/users/show_many', ACME_BASIC, {
        ids: `${ines.id},${acme.users.jane.id},1`,
        include: 'identities',
      })
    ).json();
    expect(ids(many.users)).toEqual([ines.id, acme.users.jane.id]);
    const values = (userId: number) =>
      many.identities.filter((i: Json) => i.user_id === userId).map((i: Json) => [i.type, i.value, i.primary]);
    expect(values(ines.id)).toEqual([
      ['email', ines.email, true],
      ['phone_number', ines.phone, true],
      ['email', ines.secondaryEmail, false],
      ['phone_number', ines.secondaryPhone, false],
    ]);
    expect(
      (await get('/zendesk/acme/api/v2/users/show_many', ACME_BASIC, { ids: String(ines.id) })).json().identities,
    ).toBeUndefined();
    const listed = (await get(`/zendesk/acme/api/v2/users/${ines.id}/identities.json`)).json();
    expect(listed.identities).toHaveLength(4);
  });

  it('finds by name: quoted is the whole name, one word is a word of the name', async () => {
    const alexes = acme.users.sameName.users.map((user) => user.id);
    expect(ids(await search('name:"Alex Morgan"'))).toEqual(alexes);
    expect(ids(await search('name:"alex morgan"'))).toEqual(alexes);
    expect(ids(await search(`name:"${acme.users.uniqueName.name}"`))).toEqual([acme.users.uniqueName.id]);
    expect(ids(await search('name:quince'))).toEqual([acme.users.uniqueName.id]);
    expect(ids(await search('name:"Alex"'))).toEqual([]);
    expect(ids(await search('name:"Jane Do"'))).toEqual([]);
  });

  it('matches a bare term against parts of names and emails', async () => {
    expect(ids(await search('quince'))).toEqual([acme.users.uniqueName.id]);
    expect(ids(await search('example.net'))).toEqual([acme.users.sameName.users[1]!.id]);
    expect(ids(await search('"Jane Doe"'))).toEqual([acme.users.jane.id]);
  });

  it('combines terms (all must match), filters by role and type, and finds nobody for unknown keys or nothing', async () => {
    // One property keyword repeated: any of its values (OR); different keywords: all of them (AND).
    const { jane, kwame } = acme.users;
    const either = `role:end-user phone:*${kwame.phone!.replace(/\D/g, '').slice(-10)} phone:*5555555555`;
    expect(ids(await search(either)).sort()).toEqual([jane.id, kwame.id].sort());
    expect(ids(await search(`email:${jane.email} email:${kwame.email}`)).sort()).toEqual([jane.id, kwame.id].sort());
    expect(ids(await search(`email:${jane.email} email:nobody@nowhere.example`))).toEqual([jane.id]);
    expect(ids(await search(`role:admin email:${jane.email} email:${kwame.email}`))).toEqual([]);
    expect(ids(await search('type:user role:end-user email:shared@example.com name:Robin'))).toEqual([
      acme.users.sharedEmail.users[1]!.id,
    ]);
    expect(ids(await search(`role:admin`))).toEqual([acme.agent.id]);
    expect(ids(await search(`email:${acme.credentials.email}`))).toEqual([acme.agent.id]);
    expect(await search('shoe_size:42')).toEqual([]);
    expect(await search('')).toEqual([]);
  });

  it('supports external_id lookups', async () => {
    const response = await get('/zendesk/acme/api/v2/users/search', ACME_BASIC, { external_id: 'crm-contact-0001' });
    expect(response.json().users.map((user: Json) => user.id)).toEqual([acme.users.jane.id]);
  });

  it('pages results with per_page', async () => {
    const first = (
      await get('/zendesk/acme/api/v2/users/search', ACME_BASIC, { query: 'example', per_page: '3' })
    ).json();
    expect(first.users).toHaveLength(3);
    expect(first.count).toBeGreaterThan(3);
    expect(first.next_page).toBe(`${ACME_BASE}/api/v2/users/search.json?query=example&per_page=3&page=2`);
  });
});

describe('zendesk sandbox: requested tickets', () => {
  const heavy = acme.users.heavy;
  const requested = `/zendesk/acme/api/v2/users/${heavy.id}/tickets/requested`;

  it('pages with offsets, following next_page to the end without duplicates', async () => {
    const seen: Json[] = [];
    let url: string | null = `${requested}.json?sort_by=created_at&sort_order=desc&per_page=50`;
    let pages = 0;
    while (url) {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.count).toBe(80);
      expect(body.previous_page === null).toBe(pages === 0);
      seen.push(...body.tickets);
      pages++;
      url = body.next_page ? local(body.next_page) : null;
      if (body.next_page)
        expect(body.next_page.startsWith(`${ACME_BASE}/api/v2/users/${heavy.id}/tickets/requested.json?`)).toBe(true);
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(80);
    expect(new Set(seen.map((ticket) => ticket.id)).size).toBe(80);
    const created = seen.map((ticket) => ticket.created_at as string);
    expect(created).toEqual([...created].sort().reverse());
    expect(seen.slice(0, 50).map((ticket) => ticket.id)).not.toContain(heavy.caseBeyondFirstPageId);
    expect(seen.slice(50).map((ticket) => ticket.id)).toContain(heavy.caseBeyondFirstPageId);
    expect(seen.filter((ticket) => ticket.type === 'task')).toHaveLength(heavy.taskIds.length);
  });

  it('pages with cursors, following links.next to the end without duplicates', async () => {
    const seen: Json[] = [];
    let url: string | null = `${requested}?page[size]=30&sort=-created_at`;
    let last: Json = {};
    while (url) {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      last = response.json();
      expect(Object.keys(last).sort()).toEqual(['links', 'meta', 'tickets']);
      seen.push(...last.tickets);
      url = last.meta.has_more ? local(last.links.next) : null;
    }
    expect(last.meta.has_more).toBe(false);
    expect(last.links.next).toBeNull();
    expect(seen.map((ticket) => ticket.id).sort()).toEqual([...heavy.ticketIds].sort());
    const created = seen.map((ticket) => ticket.created_at as string);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('goes back with page[before]', async () => {
    const first = (await get(`${requested}?page[size]=10`)).json();
    const second = (await get(local(first.links.next))).json();
    expect(second.links.prev).toContain('page[before]=');
    const back = (await get(local(second.links.prev))).json();
    expect(back.tickets.map((ticket: Json) => ticket.id)).toEqual(first.tickets.map((ticket: Json) => ticket.id));
  });

  it('sorts by id ascending by default, and by the asked field and order', async () => {
    const byDefault = (await get(requested)).json().tickets.map((ticket: Json) => ticket.id);
    expect(byDefault).toEqual(heavy.ticketIds);
    const updatedDesc = (await get(`${requested}?sort_by=updated_at&sort_order=desc`))
      .json()
      .tickets.map((ticket: Json) => ticket.updated_at);
    expect(updatedDesc).toEqual([...updatedDesc].sort().reverse());
    const idDesc = (await get(`${requested}?sort_by=id&sort_order=desc`))
      .json()
      .tickets.map((ticket: Json) => ticket.id);
    expect(idDesc).toEqual([...heavy.ticketIds].reverse());
  });

  it('caps per_page at 100', async () => {
    const body = (await get(`${requested}?per_page=500`)).json();
    expect(body.tickets).toHaveLength(80);
    expect(body.next_page).toBeNull();
  });

  it('returns tickets in Zendesk shape, url being the API address', async () => {
    const jane = acme.users.jane;
    const body = (await get(`/zendesk/acme/api/v2/users/${jane.id}/tickets/requested.json`)).json();
    expect(body.count).toBe(jane.ticketIds.length);
    for (const ticket of body.tickets) {
      expect(ticket).toMatchObject({ url: `${ACME_BASE}/api/v2/tickets/${ticket.id}.json`, requester_id: jane.id });
      expect(ticket.status).toMatch(/^(new|open|pending|hold|solved|closed)$/);
      expect([null, 'urgent', 'high', 'normal', 'low']).toContain(ticket.priority);
      expect([null, 'problem', 'incident', 'question', 'task']).toContain(ticket.type);
      for (const key of [
        'subject',
        'raw_subject',
        'description',
        'created_at',
        'updated_at',
        'via',
        'tags',
        'submitter_id',
        'assignee_id',
        'due_at',
      ]) {
        expect(ticket, key).toHaveProperty(key);
      }
    }
  });

  it('answers an empty list for a user without tickets, 404 for an unknown user', async () => {
    const none = (await get(`/zendesk/acme/api/v2/users/${acme.users.noTickets.id}/tickets/requested`)).json();
    expect(none).toEqual({ tickets: [], next_page: null, previous_page: null, count: 0 });
    const unknown = await get('/zendesk/acme/api/v2/users/42/tickets/requested');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('RecordNotFound');
  });

  it('answers 400 for a cursor it never gave', async () => {
    const response = await get(`${requested}?page[size]=10&page[after]=bogus`);
    expect(response.statusCode).toBe(400);
  });
});

describe('zendesk sandbox: ticket comments', () => {
  const ticketId = acme.users.jane.noteTicketIds[0]!;
  const comments = `/zendesk/acme/api/v2/tickets/${ticketId}/comments`;

  it('lists comments oldest first: the description first, public and private ones after', async () => {
    const ticket = (await get(`/zendesk/acme/api/v2/tickets/${ticketId}.json`)).json().ticket;
    const body = (await get(`${comments}.json`)).json();
    expect(body).toMatchObject({ next_page: null, previous_page: null, count: body.comments.length });
    const [first, ...rest] = body.comments as Json[];
    expect(first).toMatchObject({
      type: 'Comment',
      public: true,
      body: ticket.description,
      created_at: ticket.created_at,
    });
    const notes = rest.filter((comment) => comment.public === false);
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) {
      expect(note.html_body).toMatch(/<[a-z]+/);
      expect(note.plain_body).not.toMatch(/<[a-z]+/);
      expect(note).toMatchObject({
        attachments: [],
        author_id: expect.any(Number),
        metadata: expect.any(Object),
        via: expect.any(Object),
      });
    }
    expect(rest.some((comment) => comment.public === true)).toBe(true);
    const created = body.comments.map((comment: Json) => comment.created_at);
    expect(created).toEqual([...created].sort());
  });

  it('sorts newest first with sort_order=desc, and pages with offsets and cursors', async () => {
    const ascending = (await get(comments)).json().comments.map((comment: Json) => comment.id);
    const descending = (await get(`${comments}?sort_order=desc`)).json().comments.map((comment: Json) => comment.id);
    expect(descending).toEqual([...ascending].reverse());

    const offsetIds: number[] = [];
    let url: string | null = `${comments}?per_page=1&sort_order=desc`;
    while (url) {
      const body: Json = (await get(url)).json();
      offsetIds.push(...body.comments.map((comment: Json) => comment.id));
      url = body.next_page ? local(body.next_page) : null;
    }
    expect(offsetIds).toEqual(descending);

    const cursorIds: number[] = [];
    url = `${comments}?page[size]=1`;
    while (url) {
      const body: Json = (await get(url)).json();
      cursorIds.push(...body.comments.map((comment: Json) => comment.id));
      url = body.meta.has_more ? local(body.links.next) : null;
    }
    expect(cursorIds).toEqual(ascending);
  });

  it('answers 404 for a ticket of another tenant or none', async () => {
    const globexTicket = globex.users.jane.ticketIds[0]!;
    for (const id of [String(globexTicket), '999999', 'x']) {
      const response = await get(`/zendesk/acme/api/v2/tickets/${id}/comments`);
      expect(response.statusCode, id).toBe(404);
      expect(response.json()).toEqual({ error: 'RecordNotFound', description: 'Not found' });
    }
  });
});

describe('zendesk sandbox: rate limits', () => {
  it('announces the budget on every answer', async () => {
    const responses: LightMyRequestResponse[] = [
      await get('/zendesk/acme/api/v2/users/me'),
      await get('/zendesk/acme/api/v2/users/me', 'Bearer wrong'),
      await get('/zendesk/acme/api/v2/users/0'),
      await get('/zendesk/acme/api/v2/nowhere'),
    ];
    for (const response of responses) {
      expect(response.headers['x-rate-limit']).toBe('700');
      expect(Number(response.headers['x-rate-limit-remaining'])).toBeLessThan(700);
      expect(response.headers['ratelimit-reset']).toBeUndefined(); // not a list endpoint
    }
    // List endpoints add when the minute starts again.
    const list = await get(`/zendesk/acme/api/v2/users/${acme.users.jane.id}/tickets/requested`);
    expect(Number(list.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    expect(Number(list.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    expect(list.headers['ratelimit-remaining']).toBe(list.headers['x-rate-limit-remaining']);
  });

  it('answers 429 with Retry-After once a tenant spends its minute, and not for other tenants', async () => {
    let now = Date.parse('2026-03-04T10:11:12Z');
    const limited = await sandbox({ rateLimitPerMinute: 3, now: () => now });
    try {
      const call = (tenant = 'acme', authorization = ACME_BASIC) =>
        limited.inject({ method: 'GET', url: `/zendesk/${tenant}/api/v2/users/me`, headers: { authorization } });
      const remaining = [];
      for (let index = 0; index < 3; index++) {
        const response = await call();
        expect(response.statusCode).toBe(200);
        remaining.push(response.headers['x-rate-limit-remaining']);
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const over = await call();
      expect(over.statusCode).toBe(429);
      expect(over.headers['retry-after']).toBe('48');
      expect(over.headers['x-rate-limit']).toBe('3');
      expect(over.headers['x-rate-limit-remaining']).toBe('0');
      expect(over.body).toBe('Number of allowed API requests per minute exceeded');
      expect((await call('globex', GLOBEX_BASIC)).statusCode).toBe(200);
      now += 48_000;
      expect((await call()).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('zendesk sandbox: determinism', () => {
  it('serves the same answers from two sandboxes', async () => {
    const other = await sandbox();
    try {
      for (const url of [
        `/zendesk/acme/api/v2/users/${acme.users.heavy.id}/tickets/requested?per_page=100`,
        `/zendesk/acme/api/v2/tickets/${acme.users.jane.noteTicketIds[0]}/comments`,
        '/zendesk/acme/api/v2/users/search?query=example',
      ]) {
        const [a, b] = [
          await get(url),
          await other.inject({ method: 'GET', url, headers: { authorization: ACME_BASIC } }),
        ];
        expect(a.statusCode).toBe(200);
        expect(b.body).toBe(a.body);
      }
    } finally {
      await other.close();
    }
  });
});
