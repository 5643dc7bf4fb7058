import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRESHDESK_SANDBOX } from './fixtures.js';
import { AUTOCOMPLETE_MAX, freshdeskSandbox, type FreshdeskSandboxOptions } from './index.js';

/** The plugin mounted as sandbox.ts mounts it, on its own Fastify instance. */
async function sandbox(options: FreshdeskSandboxOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(freshdeskSandbox, { prefix: '/freshdesk', ...options });
  await app.ready();
  return app;
}

const { acme, globex } = FRESHDESK_SANDBOX;
const basic = (key: string) => `Basic ${Buffer.from(`${key}:X`).toString('base64')}`;
const ACME = basic(acme.auth.api_key);
const { jane, heavy } = acme.contacts;

let app: FastifyInstance;

beforeAll(async () => {
  app = await sandbox();
});

afterAll(async () => {
  await app.close();
});

function get(url: string, query?: Record<string, string>, authorization: string | null = ACME, on = app) {
  return on.inject({ method: 'GET', url, query, headers: authorization ? { authorization } : {} });
}

async function filter(query: string, domain = 'acme', authorization = ACME) {
  const response = await get(`/freshdesk/${domain}/api/v2/search/contacts`, { query }, authorization);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().results as { id: number }[]).map((contact) => contact.id);
}

describe('freshdesk sandbox: authentication and accounts', () => {
  it('accepts the API key as the Basic user name, whatever the password, and says whose it is', async () => {
    const response = await get('/freshdesk/acme/api/v2/agents/me');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: acme.agent.id, contact: { email: acme.agent.email } });
    const otherPassword = `Basic ${Buffer.from(`${acme.auth.api_key}:anything`).toString('base64')}`;
    expect((await get('/freshdesk/acme/api/v2/agents/me', {}, otherPassword)).statusCode).toBe(200);
  });

  it("answers 401 with Freshdesk's error body for another account's key, a wrong key, or none", async () => {
    for (const authorization of [basic(globex.auth.api_key), basic('wrong'), null]) {
      const response = await get('/freshdesk/acme/api/v2/agents/me', {}, authorization);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        code: 'invalid_credentials',
        message: 'You have to be logged in to perform this action.',
      });
    }
  });

  it('answers a domain without an account with a 404 page in HTML', async () => {
    const response = await get(`/freshdesk/${FRESHDESK_SANDBOX.unknownDomain}/api/v2/agents/me`);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });

  it("keeps each account's contacts to itself", async () => {
    const query = `"email:'${jane.email}'"`;
    expect(await filter(query)).toEqual([jane.id]);
    expect(await filter(query, 'globex', basic(globex.auth.api_key))).toEqual([globex.contacts.jane.id]);
  });
});

describe('freshdesk sandbox: contacts', () => {
  it('shows a deleted contact by id, marked deleted, and leaves it out of lists and filters', async () => {
    const deleted = acme.contacts.deleted;
    expect((await get(`/freshdesk/acme/api/v2/contacts/${deleted.id}`)).json()).toMatchObject({ deleted: true });
    expect(await filter(`"email:'${deleted.email}'"`)).toEqual([]);
    expect((await get('/freshdesk/acme/api/v2/contacts', { email: deleted.email! })).json()).toEqual([]);
  });

  it('matches a phone only exactly as stored, and email only on the primary address', async () => {
    const national = acme.contacts.spellings[1]!;
    expect(await filter(`"mobile:'${national.mobile}'"`)).toEqual([national.id]);
    expect(await filter(`"mobile:'4045550132'"`)).toEqual([]);
    expect(await filter(`"phone:'${national.mobile}'"`)).toEqual([]);
    expect(await filter(`"email:'${acme.contacts.secondaryEmail.secondary}'"`)).toEqual([]);
    expect(await filter(`"email:'${jane.email!.toUpperCase()}'"`)).toEqual([]);
  });

  it('combines terms with OR, AND and parentheses', async () => {
    const [a, b] = acme.contacts.spellings;
    expect(await filter(`"phone:'${a!.phone}' OR mobile:'${b!.mobile}'"`)).toEqual([a!.id, b!.id]);
    expect(await filter(`"(phone:'${a!.phone}' OR mobile:'${b!.mobile}') AND active:false"`)).toEqual([a!.id, b!.id]);
    expect(await filter(`"phone:'${a!.phone}' AND active:true"`)).toEqual([]);
  });

  it.each([
    ["email:'jane.doe@example.com'", 'without the enclosing double quotes'],
    [`"email:'${'x'.repeat(520)}'"`, 'longer than 512 characters'],
    ['"email:jane.doe@example.com"', 'a string without single quotes'],
    [`"email:'it's'"`, 'a quote inside a value'],
    [`"name:'Jane Doe'"`, 'a field the filter cannot use'],
    [`"email:'a' OR"`, 'a query that ends too early'],
  ])('refuses %s (%s) with a validation error', async (query) => {
    const response = await get('/freshdesk/acme/api/v2/search/contacts', { query });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ description: 'Validation failed', errors: [{ field: 'query' }] });
  });

  it('autocompletes names word by word, cut at AUTOCOMPLETE_MAX', async () => {
    const unique = (await get('/freshdesk/acme/api/v2/contacts/autocomplete', { term: 'priya ram' })).json();
    expect(unique).toEqual([{ id: acme.contacts.uniqueName.id, name: acme.contacts.uniqueName.name }]);
    const crowded = (await get('/freshdesk/acme/api/v2/contacts/autocomplete', { term: 'Robin Hale' })).json();
    expect(crowded).toHaveLength(AUTOCOMPLETE_MAX);
  });
});

describe('freshdesk sandbox: tickets and conversations', () => {
  const tickets = (query: Record<string, string>, on = app) => get('/freshdesk/acme/api/v2/tickets', query, ACME, on);

  it('answers only the past 30 days without updated_since', async () => {
    expect((await tickets({ requester_id: String(jane.id) })).json()).toEqual([]);
    const all = (await tickets({ requester_id: String(jane.id), updated_since: '2000-01-01T00:00:00Z' })).json();
    expect(all.map((ticket: { id: number }) => ticket.id)).toEqual(jane.ticketIds);
  });

  it('adds the description only with include=description, and charges it as 2 more credits', async () => {
    const query = { requester_id: String(jane.id), updated_since: '2000-01-01T00:00:00Z' };
    const plain = await tickets(query);
    expect(plain.json()[0]).not.toHaveProperty('description');
    expect(plain.headers['x-ratelimit-used-currentrequest']).toBe('1');
    const described = await tickets({ ...query, include: 'description' });
    expect(described.json()[0]).toHaveProperty('description');
    expect(described.headers['x-ratelimit-used-currentrequest']).toBe('3');
    expect(Number(described.headers['x-ratelimit-total'])).toBe(acme.plan.perMinute);
  });

  it('pages with page and per_page, and announces the next page in the link header', async () => {
    const query = { requester_id: String(heavy.id), updated_since: '2000-01-01T00:00:00Z', per_page: '50' };
    const first = await tickets(query);
    expect(first.json()).toHaveLength(50);
    expect(first.headers.link).toMatch(/page=2.*>; rel="next"$/);
    const last = await tickets({ ...query, page: '3' });
    expect(last.json()).toHaveLength(30);
    expect(last.headers.link).toBeUndefined();
    expect((await tickets({ ...query, per_page: '101' })).statusCode).toBe(400);
    expect((await tickets({ ...query, sort: 'id' })).json()).toMatchObject({ errors: [{ code: 'invalid_field' }] });
  });

  it('lists conversations oldest first, private notes marked', async () => {
    const ticketId = jane.ticketIds[0]!;
    const thread = (await get(`/freshdesk/acme/api/v2/tickets/${ticketId}/conversations`)).json();
    expect(thread.map((c: { private: boolean }) => c.private)).toEqual([false, true]);
    expect(thread[0].created_at < thread[1].created_at).toBe(true);
    expect((await get('/freshdesk/acme/api/v2/tickets/1/conversations')).statusCode).toBe(404);
  });
});

describe('freshdesk sandbox: rate limits', () => {
  it("limits the tickets list below the account's minute, with 429 and Retry-After", async () => {
    const growth = await sandbox({ now: () => Date.UTC(2026, 11, 1, 12, 0, 30) });
    try {
      const query = { requester_id: '1', updated_since: '2000-01-01T00:00:00Z' };
      for (let n = 0; n < globex.plan.ticketsList; n++) {
        expect(
          (await get('/freshdesk/globex/api/v2/tickets', query, basic(globex.auth.api_key), growth)).statusCode,
        ).toBe(200);
      }
      const refused = await get('/freshdesk/globex/api/v2/tickets', query, basic(globex.auth.api_key), growth);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('30');
      expect(Number(refused.headers['x-ratelimit-remaining'])).toBe(globex.plan.perMinute - globex.plan.ticketsList);
      // The rest of the account's minute is still there.
      expect((await get('/freshdesk/globex/api/v2/agents/me', {}, basic(globex.auth.api_key), growth)).statusCode).toBe(
        200,
      );
    } finally {
      await growth.close();
    }
  });

  it("answers 429 once the account's minute is spent, invalid requests counted", async () => {
    const small = await sandbox({ plan: { perMinute: 3 }, now: () => Date.UTC(2026, 11, 1, 12, 0, 50) });
    try {
      expect((await get('/freshdesk/acme/api/v2/agents/me', {}, basic('wrong'), small)).statusCode).toBe(401);
      expect((await get('/freshdesk/acme/api/v2/agents/me', {}, ACME, small)).statusCode).toBe(200);
      const last = await get('/freshdesk/acme/api/v2/agents/me', {}, ACME, small);
      expect(last.headers['x-ratelimit-remaining']).toBe('0');
      const refused = await get('/freshdesk/acme/api/v2/agents/me', {}, ACME, small);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('10');
    } finally {
      await small.close();
    }
  });
});
