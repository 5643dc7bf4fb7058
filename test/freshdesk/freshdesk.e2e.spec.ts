import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRESHDESK_SANDBOX } from '../../apps/crm-sandbox/src/freshdesk/fixtures.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * Freshdesk end to end, bridge and sandbox over real HTTP, for what the conformance suite does not cover: the calls a
 * pop costs, two accounts kept apart, the spellings of a number the bridge finds (and the one it does not), contacts
 * that are not customers, names, unknown domains, the per-endpoint limit and the CRM budget read from Freshdesk's
 * headers.
 */
const { acme, globex } = FRESHDESK_SANDBOX;
const { jane } = acme.contacts;
const example = JSON.parse(readFileSync(new URL('../../examples/freshdesk-request.json', import.meta.url), 'utf8'));

let bridge: BridgeHarness;

beforeAll(async () => {
  bridge = await startBridge();
});

afterAll(async () => {
  await bridge?.close();
});

type Item = { id: string; type: string; url?: string };

/** One pop; the Freshdesk paths the sandbox received for it, in order. */
async function pop(
  data: Record<string, unknown>,
  types = ['case', 'note', 'call'],
  auth: Record<string, string> = acme.auth,
  on = bridge,
) {
  const before = on.sandbox.faults.received('/freshdesk/').length;
  const response = await on.post('/freshdesk/interactions', { auth, meta: { interaction_types: types }, data });
  const paths = on.sandbox.faults
    .received('/freshdesk/')
    .slice(before)
    .map((entry) => entry.path.replace(/^\/freshdesk\/\w+\/api\/v2/, ''));
  return { response, items: (response.body ?? []) as Item[], paths };
}

const ids = (items: Item[]) => items.map((item) => item.id).sort();

describe('Freshdesk: the example request and what a pop costs', () => {
  it('answers the example with cases, calls and notes: the contact, one tickets page, one conversations call a ticket', async () => {
    const { response, items, paths } = await pop(example.data, example.meta.interaction_types, example.auth);
    expect(response.status).toBe(200);
    expect(new Set(items.map((item) => item.type))).toEqual(new Set(['case', 'call', 'note']));
    expect(ids(items.filter((item) => item.type === 'call'))).toEqual(jane.callIds.map((id) => `call:${id}`).sort());
    expect(ids(items.filter((item) => item.type === 'note'))).toEqual(jane.noteIds.map((id) => `note:${id}`).sort());
    expect(paths).toEqual([
      `/contacts/${jane.id}`,
      '/tickets',
      ...jane.ticketIds.map((id) => `/tickets/${id}/conversations`),
    ]);
    expect(response.headers.get('server-timing')).toContain(`calls=${paths.length}`);
  });

  it('cases alone: the contact and one tickets page', async () => {
    const { items, paths } = await pop({ contact_emails: [jane.email] }, ['case']);
    expect(items.length).toBeGreaterThan(0);
    expect(paths).toEqual(['/search/contacts', '/tickets']);
  });
});

describe('Freshdesk: accounts', () => {
  it('keeps two accounts apart: one email, two contacts, each on its own domain', async () => {
    const mine = await pop({ contact_emails: [jane.email] });
    const theirs = await pop({ contact_emails: [globex.contacts.jane.email] }, ['case', 'note', 'call'], globex.auth);
    expect(ids(mine.items.filter((item) => item.type !== 'note'))).toEqual(
      jane.ticketIds.map((id) => `${jane.callIds.includes(id) ? 'call' : 'case'}:${id}`).sort(),
    );
    expect(theirs.items.length).toBeGreaterThan(0);
    for (const item of theirs.items) expect(item.url).toMatch(/^https:\/\/globex\.freshdesk\.com\/a\/tickets\/\d+$/);
    expect(ids(theirs.items).some((id) => ids(mine.items).includes(id))).toBe(false);
  });

  it('answers 401 on both endpoints for a domain no account has, and for a malformed one without a CRM call', async () => {
    const nowhere = { ...acme.auth, domain: FRESHDESK_SANDBOX.unknownDomain };
    expect((await pop({ contact_emails: [jane.email] }, ['case'], nowhere)).response.status).toBe(401);
    expect((await bridge.post('/freshdesk/auth/validate', { auth: nowhere })).status).toBe(401);
    const malformed = await pop({ contact_emails: [jane.email] }, ['case'], {
      ...acme.auth,
      domain: 'acme.evil.example',
    });
    expect(malformed.response.status).toBe(401);
    expect(malformed.response.body).toMatchObject({ message: expect.stringContaining('auth.domain') });
    expect(malformed.paths).toEqual([]);
  });
});

describe('Freshdesk: callers by phone', () => {
  const [e164, national, international, digits, dotted] = acme.contacts.spellings;

  it.each([
    ['E.164', e164!, e164!.phone!],
    ['national, in mobile', national!, '+1 404 555 0132'],
    ['international', international!, '(404) 555-0133'],
    ['national digits, in mobile', digits!, '+14045550134'],
  ])('finds a number stored in %s spelling, with one filter query', async (_spelling, contact, asked) => {
    const { items, paths } = await pop({ contact_phones: [asked] }, ['call']);
    expect(ids(items)).toEqual(contact.callIds.map((id) => `call:${id}`));
    expect(paths[0]).toBe('/search/contacts');
    expect(paths.filter((path) => path === '/search/contacts')).toHaveLength(1);
  });

  it('does not find a number stored in another spelling (Freshdesk matches exactly; the bridge asks four)', async () => {
    const { response, items } = await pop({ contact_phones: ['+14045550135'] }, ['call']);
    expect(dotted!.phone).toBe('404.555.0135');
    expect(response.status).toBe(200);
    expect(items).toEqual([]);
  });

  it("never takes a deleted contact or the agent's own number for a caller", async () => {
    expect((await pop({ contact_phones: [acme.contacts.deleted.phone!] })).items).toEqual([]);
    expect((await pop({ contact_phones: [acme.agent.phone!] })).items).toEqual([]);
    expect((await pop({ contact_external_id: String(acme.contacts.deleted.id) })).items).toEqual([]);
  });
});

describe('Freshdesk: callers by email and by name', () => {
  it('finds an address with a quote through the exact email filter, and an address in capitals', async () => {
    const apostrophe = await pop({ contact_emails: [acme.contacts.apostrophe.email] }, ['case']);
    expect(apostrophe.paths).toEqual(['/contacts', '/tickets']);
    expect(apostrophe.items).toHaveLength(1);
    expect((await pop({ contact_emails: [jane.email!.toUpperCase()] }, ['case'])).items.length).toBeGreaterThan(0);
  });

  it('does not find a contact by a secondary email (Freshdesk filters the primary one)', async () => {
    expect((await pop({ contact_emails: [acme.contacts.secondaryEmail.secondary] })).items).toEqual([]);
  });

  it('finds a unique name (autocomplete, then the contact), and neither a shared name nor a crowded one', async () => {
    const unique = await pop({ contact_name: acme.contacts.uniqueName.name }, ['case']);
    expect(unique.paths).toEqual(['/contacts/autocomplete', `/contacts/${acme.contacts.uniqueName.id}`, '/tickets']);
    expect(unique.items.length).toBeGreaterThan(0);
    expect((await pop({ contact_name: acme.contacts.sameName.name })).items).toEqual([]);
    const crowded = await pop({ contact_name: acme.contacts.crowdedName.name });
    expect(crowded.items).toEqual([]);
    expect(crowded.paths).toEqual(['/contacts/autocomplete']);
  });
});

describe("Freshdesk: the account's limits", () => {
  it('after a 429 on the tickets list, answers 503 with Retry-After and calls that list no more until then', async () => {
    const limited = await startBridge({ sandbox: { freshdesk: { plan: { ticketsList: 1 } } } });
    try {
      const first = await pop({ contact_external_id: String(jane.id) }, ['case'], acme.auth, limited);
      expect(first.response.status).toBe(200);
      const refused = await pop({ contact_external_id: String(jane.id) }, ['case'], acme.auth, limited);
      expect(refused.response.status).toBe(503);
      expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.paths.filter((path) => path === '/tickets')).toHaveLength(1);
      const held = await pop({ contact_external_id: String(jane.id) }, ['case'], acme.auth, limited);
      expect(held.response.status).toBe(503);
      expect(held.paths).toEqual([`/contacts/${jane.id}`]);
    } finally {
      await limited.close();
    }
  });

  it("reads X-Ratelimit-Total / -Remaining into the CRM budget: notes are shed before Freshdesk's 429", async () => {
    // 40 credits a minute; a pop of Jane's cases and notes costs 10 (the contact, 3 for the tickets page with
    // descriptions, 6 conversations). Freshdesk's headers tell the budget what is left, which its own count of calls
    // (one a call) could not: it sheds the notes once less than 40% is left, and Freshdesk never answers 429.
    const budgeted = await startBridge({
      env: { CRM_BUDGET_SHARE: '1', CRM_PLAN_LIMITS: 'freshdesk=1000/60' },
      sandbox: { freshdesk: { plan: { perMinute: 40 } } },
    });
    const statuses: number[] = [];
    budgeted.sandbox.app.server.on('request', (_request, response) =>
      response.on('finish', () => statuses.push(response.statusCode)),
    );
    try {
      const answers = [];
      for (let n = 0; n < 5; n++) {
        answers.push(await pop({ contact_external_id: String(jane.id) }, ['case', 'note'], acme.auth, budgeted));
      }
      expect(statuses).not.toContain(429);
      const last = answers.at(-1)!;
      expect(last.response.status).toBe(200);
      expect(last.items.some((item) => item.type === 'case')).toBe(true);
      expect(last.items.some((item) => item.type === 'note')).toBe(false);
    } finally {
      await budgeted.close();
    }
  });
});
