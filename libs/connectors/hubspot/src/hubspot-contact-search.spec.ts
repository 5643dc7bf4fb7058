import { afterEach, describe, expect, it } from 'vitest';
import { CredentialsError, ForbiddenError, NotFoundError, parsePhone, type PhoneNumber } from '#interactions';
import { disposeTestContexts, FakeHubspotHttp, testContext } from '../test-fixtures/fake-hubspot-http.js';
import { accountDetails, contactSearch, janeDoe } from '../test-fixtures/hubspot-payloads.js';
import type { HubspotFilterGroup } from './hubspot-api.js';
import { hubspotConfigFrom } from './hubspot-config.js';
import {
  anyValueGroups,
  emailGroups,
  HUBSPOT_SEARCH_LIMITS,
  hubspotContact,
  nameGroups,
  packSearchRequests,
  phoneGroups,
} from './hubspot-contact-search.js';
import { readHubspotRefusal } from './hubspot-api.js';
import { HubspotMetadataCache } from './hubspot-metadata-cache.js';
import { HubspotConnector } from './hubspot.connector.js';

const config = hubspotConfigFrom({});
const auth = { access_token: 'pat-na1-test-token' };

function connectorWith(routes: ConstructorParameters<typeof FakeHubspotHttp>[0]) {
  const http = new FakeHubspotHttp(routes);
  const connector = new HubspotConnector(http.client, config, new HubspotMetadataCache(config));
  return { http, connector, api: connector.openSession(auth, testContext()) };
}

afterEach(disposeTestContexts);

describe('HubSpot contact search planning', () => {
  it('puts every email in one IN filter, lowercased and deduplicated', () => {
    expect(anyValueGroups(['email'], ['Jane.Doe@Example.com', 'jane.doe@example.com', ' j@d.io '])).toEqual([
      { filters: [{ propertyName: 'email', operator: 'IN', values: ['jane.doe@example.com', 'j@d.io'] }] },
    ]);
  });

  it('searches numbers by their digits in the calculated phone and mobile copies, and as E.164 in phone and mobilephone', () => {
    // Before: a list of guessed spellings in phone/mobilephone only, which misses `+1 415-555-0132` and `415.555.0132`.
    const numbers = [parsePhone('+14155550132')!, parsePhone('(212) 555-0199')!];
    expect(phoneGroups(numbers)).toEqual([
      {
        filters: [
          {
            propertyName: 'hs_searchable_calculated_phone_number',
            operator: 'IN',
            values: ['4155550132', '2125550199'],
          },
        ],
      },
      {
        filters: [
          {
            propertyName: 'hs_searchable_calculated_mobile_number',
            operator: 'IN',
            values: ['4155550132', '2125550199'],
          },
        ],
      },
      { filters: [{ propertyName: 'phone', operator: 'IN', values: ['+14155550132', '+12125550199'] }] },
      { filters: [{ propertyName: 'mobilephone', operator: 'IN', values: ['+14155550132', '+12125550199'] }] },
    ]);
    expect(packSearchRequests(phoneGroups(numbers))).toHaveLength(1);
  });

  it('searches emails as email and among hs_additional_emails, and reads every address of a contact', () => {
    expect(emailGroups(['R.Okoye@example.org'])).toEqual([
      { filters: [{ propertyName: 'email', operator: 'IN', values: ['r.okoye@example.org'] }] },
      {
        filters: [{ propertyName: 'hs_additional_emails', operator: 'CONTAINS_TOKEN', value: '*r.okoye@example.org*' }],
      },
    ]);
    const contact = hubspotContact({
      id: '7',
      properties: {
        email: 'ruth.okoye@example.com',
        hs_additional_emails: 'ruth@okoye.example;r.okoye@example.org',
        mobilephone: '+1 415-555-0164',
      },
    });
    expect(contact?.emails).toEqual(['ruth.okoye@example.com', 'ruth@okoye.example', 'r.okoye@example.org']);
    expect(contact?.phones).toEqual(['+1 415-555-0164']);
  });

  it('reads a 403 MISSING_SCOPES as forbidden, naming the scope, never as rejected credentials', () => {
    const body = JSON.stringify({
      status: 'error',
      message: "This app hasn't been granted all required scopes to make this call.",
      correlationId: 'c0ffee00-0000-4000-8000-000000000000',
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: ['tickets', '<script>'] },
        },
      ],
      category: 'MISSING_SCOPES',
    });
    const error = readHubspotRefusal(403, body);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).permission).toBe('tickets');
    expect(error?.message).toContain('tickets');
    expect(error?.message).not.toContain('script');
    expect(readHubspotRefusal(403, 'not json')).toBeInstanceOf(ForbiddenError);
    expect(readHubspotRefusal(404, body)).toBeUndefined();
  });

  it('splits a long list of values over groups and requests within HubSpot’s limits, losing none', () => {
    const emails = Array.from({ length: 400 }, (_, i) => `customer.number.${i}@some-long-domain.example.com`);
    const requests = packSearchRequests(anyValueGroups(['email'], emails));
    expect(requests.length).toBeGreaterThan(1);
    for (const groups of requests) {
      expect(groups.length).toBeLessThanOrEqual(HUBSPOT_SEARCH_LIMITS.maxGroups);
      expect(groups.flatMap((g) => g.filters).length).toBeLessThanOrEqual(HUBSPOT_SEARCH_LIMITS.maxFilters);
      expect(JSON.stringify(groups).length).toBeLessThanOrEqual(HUBSPOT_SEARCH_LIMITS.maxFilterGroupsChars);
    }
    expect(requests.flat().flatMap((g) => g.filters.flatMap((f) => f.values ?? []))).toEqual(emails);
  });

  it('drops values too long to be an email or a phone number', () => {
    expect(anyValueGroups(['email'], [`${'a'.repeat(300)}@x.io`])).toEqual([]);
  });

  it('tries a two-word name as first and last name', () => {
    expect(nameGroups('  Jane   Doe ')).toEqual([
      {
        filters: [
          { propertyName: 'firstname', operator: 'EQ', value: 'Jane' },
          { propertyName: 'lastname', operator: 'EQ', value: 'Doe' },
        ],
      },
    ]);
  });

  it('tries every split of a longer name, so "Mary Ann Smith" and "Ana de la Cruz" are both found', () => {
    const splits = (name: string) =>
      nameGroups(name).map((group) => group.filters.map((filter) => filter.value).join(' | '));
    expect(splits('Mary Ann Smith')).toEqual(['Mary | Ann Smith', 'Mary Ann | Smith']);
    expect(splits('Ana de la Cruz')).toEqual(['Ana | de la Cruz', 'Ana de | la Cruz', 'Ana de la | Cruz']);
    expect(nameGroups('a b c d e f g h')).toHaveLength(HUBSPOT_SEARCH_LIMITS.maxGroups);
  });

  it('tries one word as either name alone', () => {
    expect(nameGroups('Cher')).toEqual([
      {
        filters: [
          { propertyName: 'firstname', operator: 'EQ', value: 'Cher' },
          { propertyName: 'lastname', operator: 'NOT_HAS_PROPERTY' },
        ],
      },
      {
        filters: [
          { propertyName: 'lastname', operator: 'EQ', value: 'Cher' },
          { propertyName: 'firstname', operator: 'NOT_HAS_PROPERTY' },
        ],
      },
    ]);
    expect(nameGroups('   ')).toEqual([]);
  });
});

describe('HubspotConnector', () => {
  it('reads a contact by id with only the properties it needs', async () => {
    const { http, connector, api } = connectorWith({ 'GET /crm/v3/objects/contacts/51': janeDoe });
    expect(await connector.findContactById(api, '51')).toEqual({
      id: '51',
      name: 'Jane Doe',
      emails: ['jane.doe@example.com'],
      phones: ['(555) 010-1000', '+1 (555) 010-2000'],
    });
    expect(http.calls).toMatchObject([
      {
        method: 'GET',
        url: 'https://api.hubapi.com/crm/v3/objects/contacts/51',
        params: { properties: 'email,hs_additional_emails,firstname,lastname,phone,mobilephone' },
        authorization: 'Bearer pat-na1-test-token',
        read: true,
      },
    ]);
  });

  it('answers undefined for an unknown id (404), and makes no request for an id that is not a number', async () => {
    const { http, connector, api } = connectorWith({
      'GET /crm/v3/objects/contacts/404': () => {
        throw new NotFoundError('hubspot has no such record');
      },
    });
    expect(await connector.findContactById(api, '404')).toBeUndefined();
    expect(await connector.findContactById(api, 'jane@example.com')).toBeUndefined();
    expect(await connector.findContactById(api, '../owners')).toBeUndefined();
    expect(http.calls).toHaveLength(1);
  });

  it('finds contacts by email in one search (a read, so retried), keeping what HubSpot holds', async () => {
    const { http, connector, api } = connectorWith({ 'POST /crm/v3/objects/contacts/search': contactSearch });
    const contacts = await connector.findContactsByEmail(api, ['jane.doe@example.com']);
    expect(contacts.map((c) => c.id)).toEqual(['51', '2901']);
    expect(contacts[1]).toEqual({ id: '2901', name: 'Jane', emails: ['JANE.DOE@example.com'], phones: [] });
    expect(http.calls).toHaveLength(1);
    expect(http.calls[0]).toMatchObject({
      method: 'POST',
      read: true,
      body: {
        filterGroups: [
          { filters: [{ propertyName: 'email', operator: 'IN', values: ['jane.doe@example.com'] }] },
          {
            filters: [
              { propertyName: 'hs_additional_emails', operator: 'CONTAINS_TOKEN', value: '*jane.doe@example.com*' },
            ],
          },
        ],
        properties: ['email', 'hs_additional_emails', 'firstname', 'lastname', 'phone', 'mobilephone'],
        limit: 100,
      },
    });
  });

  it('finds contacts by the core’s parsed numbers in one search', async () => {
    const { http, connector, api } = connectorWith({ 'POST /crm/v3/objects/contacts/search': contactSearch });
    const numbers: PhoneNumber[] = [parsePhone('(555) 010-2000')!];
    await connector.findContactsByPhone(api, numbers);
    expect(http.calls).toHaveLength(1);
    const groups = (http.calls[0]!.body as { filterGroups: HubspotFilterGroup[] }).filterGroups;
    expect(groups.map((g) => g.filters[0]!.propertyName)).toEqual([
      'hs_searchable_calculated_phone_number',
      'hs_searchable_calculated_mobile_number',
      'phone',
      'mobilephone',
    ]);
    expect(groups[0]!.filters[0]!.values).toEqual(['5550102000']);
  });

  it('finds contacts by name with firstname and lastname', async () => {
    const { http, connector, api } = connectorWith({
      'POST /crm/v3/objects/contacts/search': { total: 1, results: [janeDoe] },
    });
    expect((await connector.findContactsByName(api, 'Jane Doe')).map((c) => c.name)).toEqual(['Jane Doe']);
    expect((http.calls[0]!.body as { filterGroups: unknown }).filterGroups).toEqual(nameGroups('Jane Doe'));
  });

  it('runs over-long searches one request after the other and merges their answers', async () => {
    let call = 0;
    const { http, connector, api } = connectorWith({
      'POST /crm/v3/objects/contacts/search': () => ({ total: 1, results: [{ id: String(++call), properties: {} }] }),
    });
    const emails = Array.from({ length: 400 }, (_, i) => `customer.number.${i}@some-long-domain.example.com`);
    const contacts = await connector.findContactsByEmail(api, emails);
    expect(http.calls.length).toBeGreaterThan(1);
    expect(contacts.map((c) => c.id)).toEqual(http.calls.map((_, i) => String(i + 1)));
  });

  it('rejects a missing token before any request', () => {
    const { http, connector } = connectorWith({});
    expect(() => connector.openSession({}, testContext())).toThrow(CredentialsError);
    expect(() => connector.openSession({ access_token: ' ' }, testContext())).toThrow(/access_token/);
    expect(http.calls).toEqual([]);
  });

  it('verifies credentials with GET /account-info/v3/details, and fails with HubSpot’s 401', async () => {
    const good = connectorWith({ 'GET /account-info/v3/details': accountDetails });
    // Its answer is the portal, for Talkdesk to store and send back in `auth`.
    await expect(good.connector.verifyCredentials(good.api)).resolves.toEqual({
      hubspot_portal_id: '2451003',
      hubspot_app_host: 'app.hubspot.com',
    });
    expect(good.http.calls).toMatchObject([{ method: 'GET', url: 'https://api.hubapi.com/account-info/v3/details' }]);

    const bad = connectorWith({
      'GET /account-info/v3/details': () => {
        throw new CredentialsError('hubspot rejected the credentials (HTTP 401)');
      },
    });
    await expect(bad.connector.verifyCredentials(bad.api)).rejects.toThrow(CredentialsError);
  });
});
