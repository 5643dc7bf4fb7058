import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TALKDESK_DATE_PATTERN, TALKDESK_PRIORITIES, TALKDESK_STATUSES } from '#interactions';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * The Zendesk connector end to end: bridge ↔ sandbox over real HTTP on loopback, one rule of docs/contract.md per test.
 */
const { acme, globex } = ZENDESK_SANDBOX;
const { jane, heavy, phoneOnly, sharedEmail, sameName, uniqueName, noTickets } = acme.users;
const auth = { subdomain: 'acme', email: acme.credentials.email, token: acme.credentials.token };
const ALL = ['case', 'note', 'task'];

let bridge: BridgeHarness;

beforeAll(async () => {
  bridge = await startBridge({ env: { DESCRIPTION_MAX_LENGTH: '60' } });
});

afterAll(async () => {
  await bridge.close();
});

function retrieve(data: Record<string, unknown>, types = ALL, credentials: Record<string, string> = auth) {
  return bridge.post('/zendesk/interactions', { auth: credentials, meta: { interaction_types: types }, data });
}

/** The ticket ids behind a response (a note's url is its ticket's page). */
function ticketIds(items: { url: string }[]): number[] {
  return [...new Set(items.map((item) => Number(item.url.split('/').pop())))].sort((a, b) => a - b);
}

describe('zendesk: the README example', () => {
  it("returns Jane's interactions in the spec shape, newest first", async () => {
    const example = JSON.parse(readFileSync(new URL('../../examples/zendesk-request.json', import.meta.url), 'utf8'));
    const response = await bridge.post('/zendesk/interactions', example);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const items = response.body as Record<string, string>[];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.id).toMatch(new RegExp(`^${item.type}:\\d+$`)); // unique across types: a ticket and a comment may share a number
      expect(item.subject).not.toBe('');
      expect(item.date).toMatch(TALKDESK_DATE_PATTERN);
      expect(example.meta.interaction_types).toContain(item.type);
      if (item.priority) expect(TALKDESK_PRIORITIES).toContain(item.priority);
      if (item.status) expect(TALKDESK_STATUSES).toContain(item.status);
      expect(item.url).toMatch(/^https:\/\/acme\.zendesk\.com\/agent\/tickets\/\d+$/);
    }
    const dates = items.map((item) => item.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(ticketIds(items as never)).toEqual(jane.ticketIds);
  });
});

describe('zendesk: contact resolution', () => {
  it('uses the external id before the emails', async () => {
    const response = await retrieve({ contact_external_id: String(uniqueName.id), contact_emails: [jane.email] }, [
      'case',
      'task',
    ]);
    expect(ticketIds(response.body)).toEqual(uniqueName.ticketIds);
  });

  it('falls back to the emails when the external id is unknown or not a Zendesk id', async () => {
    for (const externalId of ['999999999999', 'not-a-number']) {
      const response = await retrieve({ contact_external_id: externalId, contact_emails: [jane.email] }, [
        'case',
        'task',
      ]);
      expect(response.status).toBe(200);
      expect(ticketIds(response.body)).toEqual(jane.ticketIds);
    }
  });

  it('matches emails exactly, case-insensitively', async () => {
    const response = await retrieve({ contact_emails: ['JANE.DOE@EXAMPLE.COM'] }, ['case', 'task']);
    expect(ticketIds(response.body)).toEqual(jane.ticketIds);
    expect((await retrieve({ contact_emails: ['jane.doe@example'] })).body).toEqual([]);
  });

  it.each(phoneOnly.map((person) => [person.phone, person] as const))(
    'finds a user stored as %s by other spellings of the same number',
    async (_stored, person) => {
      const digits = person.phone!.replace(/\D/g, '').slice(-10);
      for (const spelling of [`+1${digits}`, `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`]) {
        const response = await retrieve({ contact_phones: [spelling] }, ['case', 'task']);
        expect(response.status).toBe(200);
        expect(ticketIds(response.body)).toEqual(person.ticketIds);
      }
    },
  );

  it('merges the interactions of every user sharing an email', async () => {
    const response = await retrieve({ contact_emails: [sharedEmail.email] }, ['case', 'task']);
    const expected = sharedEmail.users.flatMap((user) => user.ticketIds).sort((a, b) => a - b);
    expect(ticketIds(response.body)).toEqual(expected);
  });

  it('uses the name only when exactly one user has exactly that name', async () => {
    const unique = await retrieve({ contact_name: uniqueName.name.toUpperCase() }, ['case', 'task']);
    expect(ticketIds(unique.body)).toEqual(uniqueName.ticketIds);
    const ambiguous = await retrieve({ contact_name: sameName.name });
    expect(ambiguous.status).toBe(200);
    expect(ambiguous.body).toEqual([]);
    const partial = await retrieve({ contact_name: uniqueName.name.split(' ')[0] });
    expect(partial.body).toEqual([]);
  });

  it('answers [] when nobody matches, and for a user without tickets', async () => {
    expect((await retrieve({ contact_emails: ['nobody@example.com'], contact_phones: ['+12025550199'] })).body).toEqual(
      [],
    );
    expect((await retrieve({ contact_external_id: String(noTickets.id) })).body).toEqual([]);
  });

  it('keeps tenants apart: the same email on another subdomain is another user', async () => {
    const globexAuth = { subdomain: 'globex', email: globex.credentials.email, token: globex.credentials.token };
    const response = await retrieve({ contact_emails: [jane.email] }, ['case', 'task'], globexAuth);
    expect(ticketIds(response.body)).toEqual(globex.users.jane.ticketIds);
    expect(response.body.every((item: { url: string }) => item.url.startsWith('https://globex.zendesk.com/'))).toBe(
      true,
    );
  });
});

describe('zendesk: types and mapping', () => {
  it('returns cases without tasks, and tasks without cases', async () => {
    const cases = await retrieve({ contact_external_id: String(jane.id) }, ['case']);
    const tasks = await retrieve({ contact_external_id: String(jane.id) }, ['task']);
    expect(ticketIds(cases.body)).toEqual(jane.ticketIds.filter((id) => !jane.taskIds.includes(id)));
    expect(ticketIds(tasks.body)).toEqual(jane.taskIds);
  });

  it('returns internal notes only, with their ticket subject and page', async () => {
    const notes = await retrieve({ contact_external_id: String(jane.id) }, ['note']);
    const cases = await retrieve({ contact_external_id: String(jane.id) }, ['case', 'task']);
    expect(notes.body.length).toBeGreaterThan(0);
    expect(ticketIds(notes.body)).toEqual(jane.noteTicketIds);
    const subjectByUrl = new Map(cases.body.map((item: { url: string; subject: string }) => [item.url, item.subject]));
    for (const note of notes.body) {
      expect(note.type).toBe('note');
      expect(note.subject).toBe(subjectByUrl.get(note.url));
      expect(note.description).not.toMatch(/<[a-z]/i);
    }
  });

  it('cuts descriptions to DESCRIPTION_MAX_LENGTH at a word boundary', async () => {
    const response = await retrieve({ contact_external_id: String(heavy.id) }, ['case']);
    const items = response.body as { id: string; description?: string }[];
    expect(Math.max(...items.map((item) => item.description?.length ?? 0))).toBeLessThanOrEqual(60);
    // The tickets as Zendesk holds them, read from the sandbox directly: each cut description is the start of its
    // ticket's, ending where a word ends (the next character of the whole text is no letter or digit).
    const basic = Buffer.from(`${acme.credentials.email}/token:${acme.credentials.token}`).toString('base64');
    const tickets = (await (
      await fetch(`${bridge.sandbox.url}/zendesk/acme/api/v2/users/${heavy.id}/tickets/requested?per_page=100`, {
        headers: { authorization: `Basic ${basic}` },
      })
    ).json()) as { tickets: { id: number; description: string }[] };
    const whole = new Map(tickets.tickets.map((t) => [`case:${t.id}`, t.description.replace(/\s+/g, ' ').trim()]));
    const cut = items.filter((item) => item.description?.endsWith('…'));
    expect(cut.length).toBeGreaterThan(0);
    for (const item of cut) {
      const kept = item.description!.slice(0, -1);
      const original = whole.get(item.id)!;
      expect(original.startsWith(kept), item.id).toBe(true);
      expect(original[kept.length], `${item.id}: ${kept}|${original.slice(kept.length)}`).toMatch(/^[^\p{L}\p{N}]$/u);
    }
  });

  it('reads at most MAX_ITEMS_PER_TYPE of each type, following pages as needed', async () => {
    const response = await retrieve({ contact_external_id: String(heavy.id) }, ['case']);
    expect(response.body).toHaveLength(50);
    expect(response.body.map((item: { id: string }) => item.id)).toContain(`case:${heavy.caseBeyondFirstPageId}`);
  });

  it('drops unknown and repeated types, and answers [] when none is supported', async () => {
    const mixed = await retrieve({ contact_external_id: String(jane.id) }, ['task', 'call', 'task']);
    expect(mixed.status).toBe(200);
    expect(new Set(mixed.body.map((item: { type: string }) => item.type))).toEqual(new Set(['task']));
    const none = await retrieve({ contact_external_id: String(jane.id) }, ['call', 'sms']);
    expect(none.status).toBe(200);
    expect(none.body).toEqual([]);
  });

  it('accepts an OAuth access_token and the `account` alias of subdomain', async () => {
    const response = await retrieve({ contact_external_id: String(jane.id) }, ['case'], {
      account: 'acme',
      access_token: acme.credentials.accessToken,
    });
    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);
  });
});

describe('zendesk: credentials', () => {
  it.each([
    ['no subdomain', { email: acme.credentials.email, token: acme.credentials.token }, /subdomain/],
    ['no token', { subdomain: 'acme', email: acme.credentials.email }, /auth\.token/],
    ['a rejected token', { ...auth, token: 'wrong-token-value-123' }, /rejected/],
    ["another tenant's token", { ...auth, token: globex.credentials.token }, /rejected/],
  ])('answers 401 for %s, naming the problem but not the secret', async (_case, credentials, message) => {
    const response = await retrieve(
      { contact_external_id: String(jane.id) },
      ALL,
      credentials as Record<string, string>,
    );
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(message);
    expect(response.body.authFields).toEqual(['subdomain (or account)', 'email', 'token', 'access_token']);
    expect(response.text).not.toContain('wrong-token-value-123');
    expect(response.text).not.toContain(globex.credentials.token);
  });

  it('validates credentials for Talkdesk: 200 when accepted (nothing to store for Zendesk), 401 when not', async () => {
    const accepted = await bridge.post('/zendesk/auth/validate', { auth });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({});
    expect((await bridge.post('/zendesk/auth/validate', { auth: { ...auth, token: 'nope-nope-nope' } })).status).toBe(
      401,
    );
    expect((await bridge.post('/zendesk/auth/validate', { auth: { subdomain: 'acme' } })).status).toBe(401);
  });

  it('refuses an invalid subdomain with 401 before any request leaves the bridge', async () => {
    let hits = 0;
    const spy: Server = createServer((_request, response) => {
      hits++;
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
    const port = (spy.address() as { port: number }).port;
    const isolated = await startBridge({ env: { ZENDESK_BASE_URL: `http://127.0.0.1:${port}/{subdomain}` } });
    try {
      for (const subdomain of ['evil.com/x', 'acme.zendesk.com', '-acme', '127.0.0.1:80@evil']) {
        const response = await isolated.post('/zendesk/interactions', {
          auth: { ...auth, subdomain },
          meta: { interaction_types: ['case'] },
          data: { contact_emails: [jane.email] },
        });
        expect(response.status).toBe(401);
        expect(response.body.message).toMatch(/not a Zendesk subdomain/);
      }
      expect(hits).toBe(0);
    } finally {
      await isolated.close();
      await new Promise((resolve) => spy.close(resolve));
    }
  });
});

describe('zendesk: request validation', () => {
  it.each([
    [
      'meta.interaction_types missing',
      { auth, meta: {}, data: { contact_emails: [jane.email] } },
      'meta.interaction_types',
    ],
    [
      'meta.interaction_types empty',
      { auth, meta: { interaction_types: [] }, data: { contact_emails: [jane.email] } },
      'meta.interaction_types',
    ],
    [
      'meta.interaction_types not strings',
      { auth, meta: { interaction_types: ['case', 3] }, data: { contact_emails: [jane.email] } },
      'meta.interaction_types',
    ],
    [
      'meta.interaction_types with an empty string',
      { auth, meta: { interaction_types: [''] }, data: { contact_emails: [jane.email] } },
      'meta.interaction_types',
    ],
    [
      'data.contact_emails not an array',
      { auth, meta: { interaction_types: ['case'] }, data: { contact_emails: jane.email } },
      'data.contact_emails',
    ],
    [
      'data.contact_phones not strings',
      { auth, meta: { interaction_types: ['case'] }, data: { contact_phones: [5555555555] } },
      'data.contact_phones',
    ],
    ['no contact identifier', { auth, meta: { interaction_types: ['case'] }, data: { contact_emails: [] } }, 'data'],
    [
      'auth not a flat object of strings',
      {
        auth: { subdomain: 'acme', token: { nested: true } },
        meta: { interaction_types: ['case'] },
        data: { contact_emails: [jane.email] },
      },
      'auth',
    ],
    ['meta missing', { auth, data: { contact_emails: [jane.email] } }, 'meta'],
  ])('answers 400 naming the field when %s', async (_case, body, field) => {
    const response = await bridge.post('/zendesk/interactions', body);
    expect(response.status).toBe(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(response.body.requestId).toEqual(expect.any(String));
  });

  it('ignores unknown extra fields', async () => {
    const response = await bridge.post('/zendesk/interactions', {
      auth,
      meta: { interaction_types: ['case'], locale: 'en-US' },
      data: { contact_external_id: String(jane.id), contact_company: 'Acme' },
      extra: true,
    });
    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);
  });
});

describe('zendesk: every caller found, only customers', () => {
  const { kwame, secondaryIdentities, suspended } = acme.users;
  const searches = () => bridge.sandbox.faults.received('/zendesk/acme/api/v2/users/search');

  it('finds Kwame Mensah (stored +1 404-555-0127) from +14045550127, with one search', async () => {
    const before = searches().length;
    const response = await retrieve({ contact_phones: ['+14045550127'] }, ['case', 'task']);
    expect(response.status).toBe(200);
    expect(kwame.ticketIds.length).toBeGreaterThan(0);
    expect(ticketIds(response.body)).toEqual(kwame.ticketIds);
    expect(searches().length - before).toBe(1);
  });

  it('finds a user through a secondary email or phone, though `email`/`phone` show the primary ones', async () => {
    for (const data of [
      { contact_emails: [secondaryIdentities.secondaryEmail] },
      { contact_phones: ['+13055550151'] },
    ]) {
      const before = bridge.sandbox.faults.received(/\/api\/v2\/users\//).length;
      const response = await retrieve(data, ['case', 'task']);
      expect(response.status).toBe(200);
      expect(ticketIds(response.body)).toEqual(secondaryIdentities.ticketIds);
      // One search, one show_many for the identities of every user it found, then the tickets: no call per user.
      const calls = bridge.sandbox.faults
        .received(/\/api\/v2\/users\//)
        .slice(before)
        .map((call) => call.path);
      expect(calls.filter((path) => path.includes('/users/search'))).toHaveLength(1);
      expect(calls.filter((path) => path.includes('/users/show_many'))).toHaveLength(1);
      expect(calls.filter((path) => /\/users\/\d+\/identities/.test(path))).toHaveLength(0);
    }
  });

  it('never takes an agent, an admin or a suspended user for a contact', async () => {
    expect(suspended.ticketIds.length).toBeGreaterThan(0);
    for (const data of [
      { contact_phones: [acme.agentPhone] },
      { contact_emails: [acme.agent.email] },
      { contact_external_id: String(acme.agent.id) },
      { contact_emails: [suspended.email] },
      { contact_phones: [suspended.phone] },
      { contact_external_id: String(suspended.id) },
    ]) {
      const response = await retrieve(data, ['case', 'task']);
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    }
  });

  it('answers 401 for a subdomain that names no Zendesk account, on both endpoints', async () => {
    const unknown = { ...auth, subdomain: ZENDESK_SANDBOX.unknownSubdomain };
    const interactions = await retrieve({ contact_emails: [jane.email] }, ALL, unknown);
    expect(interactions.status).toBe(401);
    expect(interactions.body.message).toMatch(/no account/);
    expect((await bridge.post('/zendesk/auth/validate', { auth: unknown })).status).toBe(401);
  });
});

describe('zendesk: what arrived is kept', () => {
  const requested = `/zendesk/acme/api/v2/users/${heavy.id}/tickets/requested`;

  it("a 403 on one ticket's comments loses only that ticket's notes, counted as partial", async () => {
    const [refused, ...others] = jane.noteTicketIds.slice().reverse();
    const rule = bridge.sandbox.faults.add({ path: `/zendesk/acme/api/v2/tickets/${refused}/comments`, fault: '403' });
    try {
      const response = await retrieve({ contact_external_id: String(jane.id) }, ['note']);
      expect(response.status).toBe(200);
      const ids = ticketIds(response.body);
      expect(ids).not.toContain(refused);
      expect(ids.length).toBeGreaterThan(0);
      expect(others.some((id) => ids.includes(id))).toBe(true);
      const metrics = (await bridge.get('/metrics')).text;
      expect(metrics).toMatch(
        /bridge_partial_results_total\{connector="zendesk",type="note",cause="forbidden"\} [1-9]/,
      );
    } finally {
      rule.remove();
    }
  });

  it('a failing page 2 keeps the tickets of page 1', async () => {
    const first = bridge.sandbox.faults.add({ path: requested, fault: 'latency; ms=0', times: 1 });
    const rest = bridge.sandbox.faults.add({ path: requested, fault: '500' });
    try {
      const response = await retrieve({ contact_external_id: String(heavy.id) }, ['case']);
      expect(response.status).toBe(200);
      expect(response.body.length).toBeGreaterThan(0);
      expect(response.body.length).toBeLessThan(50);
      const ids = response.body.map((item: { id: string }) => item.id);
      expect(ids.every((id: string) => id.startsWith('case:'))).toBe(true);
      expect(ids).not.toContain(`case:${heavy.caseBeyondFirstPageId}`);
      const metrics = (await bridge.get('/metrics')).text;
      expect(metrics).toMatch(/bridge_partial_results_total\{connector="zendesk",type="case",cause="upstream"\} [1-9]/);
    } finally {
      first.remove();
      rest.remove();
    }
  });
});

describe('zendesk: a missing permission is not a credentials problem', () => {
  it('403 on every type: 502 cause forbidden, never 401', async () => {
    const rule = bridge.sandbox.faults.add({
      path: `/zendesk/acme/api/v2/users/${jane.id}/tickets/requested`,
      fault: '403',
    });
    try {
      const response = await retrieve({ contact_external_id: String(jane.id) }, ['case', 'task']);
      expect(response.status).toBe(502);
      expect(response.body.cause).toBe('forbidden');
      expect(response.body.failures).toEqual([
        { type: 'case', cause: 'forbidden' },
        { type: 'task', cause: 'forbidden' },
      ]);
    } finally {
      rule.remove();
    }
  });

  it('403 on the contact lookup: 502 cause forbidden, never 401', async () => {
    const rule = bridge.sandbox.faults.add({ path: '/zendesk/acme/api/v2/users/search', fault: '403' });
    try {
      const response = await retrieve({ contact_emails: [jane.email] }, ['case']);
      expect(response.status).toBe(502);
      expect(response.body.cause).toBe('forbidden');
    } finally {
      rule.remove();
    }
  });
});

describe('zendesk: bounded fan-out', () => {
  it('20 emails + 20 phones + a name: the first MAX_LOOKUPS_PER_REQUEST identifiers, in one search', async () => {
    // Jane's email is the tenth, the last one the bound (10) keeps; Kwame's number comes after the bound.
    const emails = Array.from({ length: 20 }, (_, i) => (i === 9 ? jane.email! : `nobody.${i}@example.com`));
    const phones = [acme.users.kwame.phone!, ...Array.from({ length: 19 }, (_, i) => `+1 202 555 ${1100 + i}`)];
    const latency = bridge.sandbox.faults.add({ path: '/zendesk/acme/api/v2/users/search', fault: 'latency; ms=50' });
    const before = bridge.sandbox.faults.received('/zendesk/acme/api/v2/users/search').length;
    try {
      const response = await retrieve({
        contact_emails: emails,
        contact_phones: phones,
        contact_name: 'Nobody At All',
      });
      expect(response.status).toBe(200);
      // Zendesk ORs the ten emails in one query: one search, and it found Jane (the tenth).
      expect(bridge.sandbox.faults.received('/zendesk/acme/api/v2/users/search').length - before).toBe(1);
      expect(ticketIds(response.body)).toEqual(jane.ticketIds);
    } finally {
      latency.remove();
    }
  });
});
