import { describe, expect, it } from 'vitest';
import type { CrmConnector } from './connector.js';
import { boundLookups, resolveContacts } from './contact-resolution.js';
import type { Contact, ContactQuery } from './interaction.js';

/** An in-memory CRM that records which lookups the resolution made, and in which order. */
function directory(contacts: Contact[]) {
  const calls: string[] = [];
  const connector: CrmConnector<null> = {
    openSession: () => null,
    verifyCredentials: async () => undefined,
    findContactById: async (_s, id) => {
      calls.push(`id:${id}`);
      return contacts.find((c) => c.id === id);
    },
    findContactsByEmail: async (_s, emails) => {
      calls.push(`email:${emails.join(',')}`);
      // Like a CRM's fuzzy search: substring hits, which the core must narrow to exact ones.
      return contacts.filter((c) =>
        c.emails.some((e) => emails.some((w) => e.toLowerCase().includes(w.split('@')[0]!))),
      );
    },
    findContactsByPhone: async (_s, numbers) => {
      calls.push(`phone:${numbers.map((n) => n.nationalDigits).join(',')}`);
      // Like Zendesk's `phone:*digits`: any stored number ending with the digits, whatever its format.
      return contacts.filter((c) =>
        c.phones.some((p) => numbers.some((n) => p.replace(/\D/g, '').endsWith(n.nationalDigits))),
      );
    },
    findContactsByName: async (_s, name) => {
      calls.push(`name:${name}`);
      return contacts.filter((c) => c.name?.toLowerCase().includes(name.toLowerCase().split(' ')[0]!));
    },
  };
  return { connector, calls };
}

const jane: Contact = { id: '1', name: 'Jane Doe', emails: ['Jane.Doe@example.com'], phones: ['+15555555555'] };
const janet: Contact = { id: '2', name: 'Janet Doe', emails: ['jane.doe.work@example.com'], phones: [] };
const shared1: Contact = { id: '3', name: 'Sam One', emails: ['shared@example.com'], phones: [] };
const shared2: Contact = { id: '4', name: 'Sam Two', emails: ['shared@example.com'], phones: [] };
const byPhone: Contact = { id: '5', name: 'Phone Only', emails: [], phones: ['(415) 555-0132'] };
const alex1: Contact = { id: '6', name: 'Alex Morgan', emails: [], phones: [] };
const alex2: Contact = { id: '7', name: 'Alex  morgan', emails: [], phones: [] };
const all = [jane, janet, shared1, shared2, byPhone, alex1, alex2];

const query = (q: Partial<ContactQuery>): ContactQuery => ({ emails: [], phones: [], ...q });

describe('resolveContacts', () => {
  it('keeps only contacts holding the same number in E.164, not every number the search matched by its last digits', async () => {
    // A format-insensitive search (Zendesk's `phone:*4155550132`) also finds a London number ending in the same digits.
    const london: Contact = { id: '8', name: 'Lon Don', emails: [], phones: ['+44 20 4155 550132'] };
    const { connector } = directory([byPhone, london]);
    const found = await resolveContacts(connector, null, query({ phones: ['+1 415-555-0132'] }), 5);
    expect(found.map((c) => c.id)).toEqual(['5']);
    const onlyLondon = await resolveContacts(
      directory([london]).connector,
      null,
      query({ phones: ['+14155550132'] }),
      5,
    );
    expect(onlyLondon).toEqual([]);
  });

  it('uses the external id first and stops there when it finds someone', async () => {
    const { connector, calls } = directory(all);
    const found = await resolveContacts(
      connector,
      null,
      query({ externalId: '5', emails: ['jane.doe@example.com'] }),
      5,
    );
    expect(found.map((c) => c.id)).toEqual(['5']);
    expect(calls).toEqual(['id:5']);
  });

  it('falls through id → email → phone → name in that order', async () => {
    const { connector, calls } = directory(all);
    const found = await resolveContacts(
      connector,
      null,
      query({ externalId: '999', emails: ['nobody@example.com'], phones: ['+1 415 555 0132'], name: 'Jane Doe' }),
      5,
    );
    expect(found.map((c) => c.id)).toEqual(['5']);
    expect(calls[0]).toBe('id:999');
    expect(calls[1]).toBe('email:nobody@example.com');
    expect(calls[2]).toMatch(/^phone:\d+$/);
    expect(calls).toHaveLength(3);
  });

  it('keeps only exact email matches, case-insensitively', async () => {
    const { connector } = directory(all);
    const found = await resolveContacts(connector, null, query({ emails: ['JANE.DOE@example.com'] }), 5);
    expect(found.map((c) => c.id)).toEqual(['1']);
  });

  it('merges every contact sharing an email, up to the cap', async () => {
    const { connector } = directory(all);
    expect(
      (await resolveContacts(connector, null, query({ emails: ['shared@example.com'] }), 5)).map((c) => c.id),
    ).toEqual(['3', '4']);
    expect(await resolveContacts(connector, null, query({ emails: ['shared@example.com'] }), 1)).toHaveLength(1);
  });

  it('finds a phone stored in another spelling of the same number', async () => {
    const { connector } = directory(all);
    const found = await resolveContacts(connector, null, query({ phones: ['4155550132'] }), 5);
    expect(found.map((c) => c.id)).toEqual(['5']);
  });

  it('uses the name only when exactly one contact has exactly that name', async () => {
    const { connector } = directory(all);
    expect((await resolveContacts(connector, null, query({ name: '  jane   doe ' }), 5)).map((c) => c.id)).toEqual([
      '1',
    ]);
    // "Alex Morgan" names two people: showing either would risk another customer's history.
    expect(await resolveContacts(connector, null, query({ name: 'Alex Morgan' }), 5)).toEqual([]);
    // "Jane" is a prefix of two names, and the exact name of nobody.
    expect(await resolveContacts(connector, null, query({ name: 'Jane' }), 5)).toEqual([]);
  });

  it('finds nobody when no identifier matches', async () => {
    const { connector } = directory(all);
    expect(await resolveContacts(connector, null, query({ emails: ['x@y.z'], phones: ['+19998887777'] }), 5)).toEqual(
      [],
    );
  });

  it('hands the connector each asked number once, parsed (E.164 and national digits), not a list of spellings', async () => {
    const { connector, calls } = directory(all);
    const found = await resolveContacts(
      connector,
      null,
      query({ phones: ['+1 415 555 0132', '(415) 555-0132', 'ext. 12'] }),
      5,
    );
    expect(found.map((c) => c.id)).toEqual(['5']);
    expect(calls).toEqual(['phone:4155550132']);
  });
});

describe('boundLookups', () => {
  it('keeps at most maxLookups identifiers, in resolution order, and counts the rest', () => {
    const emails = Array.from({ length: 20 }, (_, i) => `person${i}@example.com`);
    const phones = Array.from({ length: 20 }, (_, i) => `+1 415 555 ${String(1000 + i)}`);
    const { query: bounded, dropped } = boundLookups(query({ externalId: '9', emails, phones, name: 'Jane Doe' }), 10);
    expect(bounded).toEqual({ externalId: '9', emails: emails.slice(0, 9), phones: [], name: undefined });
    expect(dropped).toBe(32);
  });

  it('counts duplicates and phones that are not numbers as nothing', () => {
    const { query: bounded, dropped } = boundLookups(
      query({ emails: ['a@x.io', ' A@x.io'], phones: ['+14155550100', '(415) 555-0100', 'ext. 12'], name: 'Al' }),
      3,
    );
    expect(bounded).toEqual({ externalId: undefined, emails: ['a@x.io'], phones: ['+14155550100'], name: 'Al' });
    expect(dropped).toBe(0);
  });

  it('leaves the phones as asked when every identifier fits: they are parsed only if the lookup reaches them', () => {
    const phones = ['(415) 555-0100', '+14155550100', 'ext. 12'];
    const { query: bounded, dropped } = boundLookups(query({ externalId: '9', emails: [' A@x.io'], phones }), 5);
    expect(bounded).toEqual({ externalId: '9', emails: ['a@x.io'], phones, name: undefined });
    expect(dropped).toBe(0);
  });
});
