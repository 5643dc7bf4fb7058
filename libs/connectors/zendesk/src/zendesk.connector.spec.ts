import { describe, expect, it } from 'vitest';
import type { CrmCall, CrmHttpClient } from '#crm-http';
import { CredentialsError, Deadline, NotFoundError, parsePhone } from '#interactions';
import { ZendeskConnector } from './zendesk.connector.js';
import type { ZendeskConfig } from './zendesk-config.js';

const config: ZendeskConfig = {
  apiUrlTemplate: 'https://{subdomain}.zendesk.com',
  webUrlTemplate: 'https://{subdomain}.zendesk.com',
  noteTickets: 3,
};
const auth = { subdomain: 'acme', email: 'agent@acme.example', token: 'token-123' };

const user = (id: number, fields: Record<string, unknown>) => ({
  id,
  name: `User ${id}`,
  role: 'end-user',
  active: true,
  suspended: false,
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
  const connector = new ZendeskConnector(http, config);
  return {
    connector,
    api: connector.openSession(auth, { requestId: 'r', connector: 'zendesk', deadline: new Deadline(1000) }),
  };
}

describe('ZendeskConnector', () => {
  it('searches each number once, format-insensitively, end users only', async () => {
    const { http, calls } = fakeHttp(() => ({ users: [user(7, { phone: '+1 404-555-0127' })] }));
    const { connector, api } = session(http);
    const contacts = await connector.findContactsByPhone(api, [parsePhone('+14045550127')!]);
    expect(calls).toEqual([{ path: '/api/v2/users/search', params: { query: 'role:end-user phone:*4045550127' } }]);
    expect(contacts).toEqual([{ id: '7', name: 'User 7', emails: [], phones: ['+1 404-555-0127'] }]);
  });

  it('reads the identities of users found through a secondary one, in one call for all of them', async () => {
    const { http, calls } = fakeHttp((path) =>
      path.endsWith('/search')
        ? { users: [user(1, { email: 'one@x.io' }), user(2, { email: 'main@x.io' }), user(3, { email: 'three@x.io' })] }
        : {
            users: [],
            identities: [
              { user_id: 2, type: 'email', value: 'other@x.io' },
              { user_id: 3, type: 'phone_number', value: '+1 305 555 0151' },
            ],
          },
    );
    const { connector, api } = session(http);
    const contacts = await connector.findContactsByEmail(api, ['one@x.io', 'other@x.io']);
    expect(calls.filter((call) => call.path.endsWith('/show_many'))).toEqual([
      { path: '/api/v2/users/show_many', params: { ids: '2,3', include: 'identities' } },
    ]);
    expect(contacts.find((contact) => contact.id === '2')?.emails).toEqual(['main@x.io', 'other@x.io']);
    // Both emails in one search: Zendesk ORs the values of a repeated property keyword.
    expect(calls.filter((call) => call.path.endsWith('/search')).map((call) => call.params.query)).toEqual([
      'role:end-user email:one@x.io email:other@x.io',
    ]);
  });

  it('splits a long list of emails into searches of at most 64 words each, none lost', async () => {
    const { http, calls } = fakeHttp(() => ({ users: [] }));
    const { connector, api } = session(http);
    // 7 words each (email, first, middle, last, mail, example, org), 3 for role:end-user: 8 per search, 10 in two.
    const emails = Array.from({ length: 10 }, (_, i) => `first.middle.last${i}@mail.example.org`);
    await connector.findContactsByEmail(api, emails);
    const queries = calls.filter((call) => call.path.endsWith('/search')).map((call) => String(call.params.query));
    expect(queries.map((query) => query.match(/email:/g)?.length)).toEqual([8, 2]);
    expect(queries.flatMap((query) => query.split(' ').filter((term) => term.startsWith('email:')))).toEqual(
      emails.map((email) => `email:${email}`),
    );
  });

  it('leaves out agents, admins, suspended and deleted users, whatever the search returned', async () => {
    const { http } = fakeHttp((path) =>
      path.endsWith('/search')
        ? {
            users: [
              user(1, { email: 'a@x.io', role: 'agent' }),
              user(2, { email: 'a@x.io', role: 'admin' }),
              user(3, { email: 'a@x.io', suspended: true }),
              user(4, { email: 'a@x.io', active: false }),
              user(5, { email: 'a@x.io' }),
            ],
          }
        : { user: user(1, { role: 'agent' }) },
    );
    const { connector, api } = session(http);
    expect((await connector.findContactsByEmail(api, ['a@x.io'])).map((contact) => contact.id)).toEqual(['5']);
    expect(await connector.findContactById(api, '1')).toBeUndefined();
  });

  it('reads a 404 on users/me or users/search as a subdomain without an account: credentials, not upstream', async () => {
    const { http } = fakeHttp(() => {
      throw new NotFoundError('zendesk has no such record');
    });
    const { connector, api } = session(http);
    await expect(connector.verifyCredentials(api)).rejects.toBeInstanceOf(CredentialsError);
    await expect(connector.findContactsByEmail(api, ['a@x.io'])).rejects.toBeInstanceOf(CredentialsError);
    expect(await connector.findContactById(api, '42')).toBeUndefined(); // a 404 on one user is only that user
  });
});
