import { describe, expect, it } from 'vitest';
import type { CrmCall, CrmHttpClient } from '#crm-http';
import { CredentialsError, Deadline, NotFoundError, parsePhone } from '#interactions';
import { contact as contactPayload } from '../test-fixtures/freshdesk-payloads.js';
import type { FreshdeskConfig } from './freshdesk-config.js';
import { FreshdeskListCooldowns } from './freshdesk-list-cooldowns.js';
import { AUTOCOMPLETE_POSSIBLY_CUT, FreshdeskConnector } from './freshdesk.connector.js';

const config: FreshdeskConfig = {
  apiUrlTemplate: 'https://{domain}.freshdesk.com',
  webUrlTemplate: 'https://{domain}.freshdesk.com',
  noteTickets: 3,
};
const auth = { domain: 'acme', api_key: 'key-123' };

const record = (id: number, fields: Record<string, unknown> = {}) => ({
  id,
  name: `Contact ${id}`,
  email: null,
  other_emails: [],
  phone: null,
  mobile: null,
  ...fields,
});

/** A CrmHttpClient that answers by path and records each call's path and query. */
function fakeHttp(answer: (path: string, params: Record<string, unknown>) => unknown) {
  const calls: { path: string; params: Record<string, unknown> }[] = [];
  const http = {
    request: async (call: CrmCall) => {
      const path = new URL(call.url).pathname;
      const params = call.params ?? {};
      calls.push({ path, params });
      return answer(path, params);
    },
  };
  return { http: http as unknown as CrmHttpClient, calls };
}

function session(http: CrmHttpClient) {
  const connector = new FreshdeskConnector(http, config, new FreshdeskListCooldowns());
  return {
    connector,
    api: connector.openSession(auth, { requestId: 'r', connector: 'freshdesk', deadline: new Deadline(1000) }),
  };
}

describe('FreshdeskConnector', () => {
  it('reads a contact by id: its email and other emails, its phone and mobile', async () => {
    const { http, calls } = fakeHttp(() => contactPayload);
    const { connector, api } = session(http);
    expect(await connector.findContactById(api, '48000000101')).toEqual({
      id: '48000000101',
      name: 'Jane Doe',
      emails: ['jane.doe@example.com', 'jane@example.com'],
      phones: ['+15555555555', '(404) 555-0127'],
    });
    expect(calls).toEqual([{ path: '/api/v2/contacts/48000000101', params: {} }]);
  });

  it('finds no contact for an id that is not a number, a deleted contact, or a 404', async () => {
    const { http, calls } = fakeHttp((path) => {
      if (path.endsWith('/1')) return record(1, { deleted: true });
      throw new NotFoundError('no such contact');
    });
    const { connector, api } = session(http);
    expect(await connector.findContactById(api, '../agents/me')).toBeUndefined();
    expect(await connector.findContactById(api, '1')).toBeUndefined();
    expect(await connector.findContactById(api, '2')).toBeUndefined();
    expect(calls).toHaveLength(2);
  });

  it('searches every number in one filter query, in phone and mobile', async () => {
    const { http, calls } = fakeHttp(() => ({ results: [record(7, { mobile: '(404) 555-0127' })], total: 1 }));
    const { connector, api } = session(http);
    const contacts = await connector.findContactsByPhone(api, [
      parsePhone('+14045550127')!,
      parsePhone('+12025550100')!,
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/api/v2/search/contacts');
    expect(calls[0]!.params.query).toMatch(
      /^"phone:'\+14045550127' OR mobile:'\+14045550127' OR .*mobile:'2025550100'"$/,
    );
    expect(contacts).toEqual([{ id: '7', name: 'Contact 7', emails: [], phones: ['(404) 555-0127'] }]);
  });

  it('searches emails in one query, an email with a quote through the exact list filter, once per contact', async () => {
    const { http, calls } = fakeHttp((path) =>
      path.endsWith('/search/contacts')
        ? { results: [record(1, { email: 'a@x.io' })], total: 1 }
        : [record(1), record(2)],
    );
    const { connector, api } = session(http);
    const contacts = await connector.findContactsByEmail(api, ['a@x.io', "o'brien@x.io"]);
    expect(calls).toEqual([
      { path: '/api/v2/search/contacts', params: { query: `"email:'a@x.io'"` } },
      { path: '/api/v2/contacts', params: { email: "o'brien@x.io" } },
    ]);
    expect(contacts.map((contact) => contact.id)).toEqual(['1', '2']);
  });

  it('leaves out deleted contacts whatever answered them', async () => {
    const { http } = fakeHttp(() => ({ results: [record(1, { deleted: true }), record(2)], total: 2 }));
    const { connector, api } = session(http);
    expect((await connector.findContactsByEmail(api, ['a@x.io'])).map((contact) => contact.id)).toEqual(['2']);
  });

  it('by name: the one exact namesake, read to be sure it is a live contact', async () => {
    const { http, calls } = fakeHttp((path) =>
      path.endsWith('/autocomplete')
        ? [
            { id: 5, name: 'Priya Ramanathan' },
            { id: 6, name: 'Priya  RAMAN' },
          ]
        : record(6, { name: 'Priya Raman', email: 'priya@x.io' }),
    );
    const { connector, api } = session(http);
    expect(await connector.findContactsByName(api, 'Priya Raman')).toEqual([
      { id: '6', name: 'Priya Raman', emails: ['priya@x.io'], phones: [] },
    ]);
    expect(calls.map((call) => call.path)).toEqual(['/api/v2/contacts/autocomplete', '/api/v2/contacts/6']);
    expect(calls[0]!.params).toEqual({ term: 'Priya Raman' });
  });

  it('by name: several namesakes are all returned (the core uses none), a cut answer finds nobody', async () => {
    const namesakes = fakeHttp(() => [
      { id: 1, name: 'Alex Morgan' },
      { id: 2, name: 'Alex Morgan' },
    ]);
    const first = session(namesakes.http);
    expect((await first.connector.findContactsByName(first.api, 'Alex Morgan')).map((c) => c.id)).toEqual(['1', '2']);
    expect(namesakes.calls).toHaveLength(1);

    const crowd = fakeHttp(() =>
      Array.from({ length: AUTOCOMPLETE_POSSIBLY_CUT }, (_, n) => ({
        id: n + 1,
        name: n === 0 ? 'Robin Hale' : `Robin Halen${n}`,
      })),
    );
    const second = session(crowd.http);
    expect(await second.connector.findContactsByName(second.api, 'Robin Hale')).toEqual([]);
    expect(crowd.calls).toHaveLength(1);
  });

  it('verifies the key with agents/me; a 404 there means no account at this domain', async () => {
    const ok = fakeHttp(() => ({ id: 43000000001, contact: { name: 'Ada' } }));
    const first = session(ok.http);
    await expect(first.connector.verifyCredentials(first.api)).resolves.toBeUndefined();
    expect(ok.calls[0]!.path).toBe('/api/v2/agents/me');

    const missing = fakeHttp(() => {
      throw new NotFoundError('no page');
    });
    const second = session(missing.http);
    await expect(second.connector.verifyCredentials(second.api)).rejects.toBeInstanceOf(CredentialsError);
    await expect(second.connector.findContactsByEmail(second.api, ['a@x.io'])).rejects.toBeInstanceOf(CredentialsError);
  });

  it('names the account by its domain, whatever the key, without a request', () => {
    const { http, calls } = fakeHttp(() => ({}));
    const { connector } = session(http);
    expect(connector.accountOf({ domain: 'ACME.freshdesk.com', api_key: 'bad key' })).toBe('acme');
    expect(connector.accountOf({ domain: 'evil.example', api_key: 'k' })).toBeUndefined();
    expect(calls).toEqual([]);
  });
});
