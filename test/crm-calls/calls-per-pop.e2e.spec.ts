import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUBSPOT_SANDBOX } from '../../apps/crm-sandbox/src/hubspot/fixtures.js';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * What a screen pop costs the customer's HubSpot account, end to end through the bridge against the sandbox: the
 * calls the sandbox received, path by path, against the count the call pattern should give (docs/contract.md, "The
 * CRM's API budget"): one lookup, one search per asked type, and the portal and ticket pipelines once per token.
 */
const { acme } = HUBSPOT_SANDBOX;
const { jane, phoneOnly, mobileOnly, otherFormats } = acme.contacts;
const ALL_TYPES = ['case', 'note', 'task', 'call'];

let bridge: BridgeHarness;

beforeAll(async () => {
  // HubSpot's search limit (5 a second per account, on in the sandbox by default) is off: these tests send pops one
  // after the other, each with one search per type at once, faster than the limit allows; they check what a pop
  // answers and costs, and the limit has its own tests (apps/crm-sandbox/src/hubspot/hubspot-api.spec.ts).
  bridge = await startBridge({ sandbox: { hubspotSearchPerSecond: 'off' } });
});

afterAll(async () => {
  await bridge.close();
});

/** One pop; the paths the sandbox received for it, in order. */
async function pop(data: Record<string, unknown>, types = ALL_TYPES, token = acme.token) {
  const before = bridge.sandbox.faults.received('/hubspot/').length;
  const response = await bridge.post('/hubspot/interactions', {
    auth: { access_token: token },
    meta: { interaction_types: types },
    data,
  });
  const paths = bridge.sandbox.faults
    .received('/hubspot/')
    .slice(before)
    .map((entry) => `${entry.method} ${entry.path.replace(/\?.*$/, '')}`);
  const told = Number(/crm;desc="calls=(\d+)"/.exec(response.headers.get('server-timing') ?? '')?.[1]);
  return { response, paths, told };
}

describe('HubSpot: calls per screen pop', () => {
  it('the first pop of a token: the contact, one search per type, the portal and the pipelines; then 5', async () => {
    const first = await pop({ contact_external_id: jane.id });
    expect(first.response.status).toBe(200);
    expect(first.paths.sort()).toEqual(
      [
        `GET /hubspot/crm/v3/objects/contacts/${jane.id}`,
        'POST /hubspot/crm/v3/objects/tickets/search',
        'POST /hubspot/crm/v3/objects/notes/search',
        'POST /hubspot/crm/v3/objects/tasks/search',
        'POST /hubspot/crm/v3/objects/calls/search',
        'GET /hubspot/account-info/v3/details',
        'GET /hubspot/crm/v3/pipelines/tickets',
      ].sort(),
    );
    expect(first.told).toBe(7);

    const again = await pop({ contact_external_id: jane.id });
    expect(again.response.body).toEqual(first.response.body);
    expect(again.paths).toHaveLength(1 + ALL_TYPES.length);
    expect(again.told).toBe(again.paths.length);
  });

  it('three types (case, note, task) on a new token cost at most 6 calls', async () => {
    const other = HUBSPOT_SANDBOX.globex;
    const { response, paths, told } = await pop(
      { contact_emails: [other.contacts.jane.email!] },
      ['case', 'note', 'task'],
      other.token,
    );
    expect(response.status).toBe(200);
    expect(paths).toHaveLength(6);
    expect(told).toBe(6);
  });

  it('by email and by phone: one contact search, whatever the number of emails or numbers', async () => {
    await pop({ contact_external_id: jane.id }); // the token's metadata is cached from here on
    const byEmail = await pop({ contact_emails: [jane.email, 'someone.else@example.com', 'nobody@example.org'] });
    const byPhone = await pop({ contact_phones: [phoneOnly.phone, '+1 307 555 0100', '(307) 555-0101'] });
    for (const { response, paths } of [byEmail, byPhone]) {
      expect(response.status).toBe(200);
      expect((response.body as unknown[]).length).toBeGreaterThan(0);
      expect(paths.filter((path) => path === 'POST /hubspot/crm/v3/objects/contacts/search')).toHaveLength(1);
      expect(paths).toHaveLength(1 + ALL_TYPES.length);
    }
  });

  it('merging several contacts costs one search per type and contact', async () => {
    const { response, paths } = await pop({
      contact_phones: [phoneOnly.phone, mobileOnly.mobilephone, otherFormats.phone],
    });
    expect(response.status).toBe(200);
    expect(paths).toHaveLength(1 + 3 * ALL_TYPES.length);
  });

  it('a contact not found costs its lookup only', async () => {
    const { response, paths } = await pop({ contact_emails: ['nobody@nowhere.example'] });
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
    expect(paths).toEqual(['POST /hubspot/crm/v3/objects/contacts/search']);
  });
});

describe('Zendesk: calls per screen pop', () => {
  const zendesk = ZENDESK_SANDBOX.acme;
  const { jane, kwame } = zendesk.users;
  const auth = { subdomain: zendesk.subdomain, email: zendesk.credentials.email, token: zendesk.credentials.token };

  async function zendeskPop(data: Record<string, unknown>) {
    const before = bridge.sandbox.faults.received('/zendesk/').length;
    const response = await bridge.post('/zendesk/interactions', {
      auth,
      meta: { interaction_types: ['case', 'note', 'task'] },
      data,
    });
    const paths = bridge.sandbox.faults
      .received('/zendesk/')
      .slice(before)
      .map((entry) => entry.path);
    return { response, paths, searches: paths.filter((path) => path.endsWith('/users/search')).length };
  }

  it('several phone numbers: one search, then the tickets and their comments', async () => {
    const { response, paths, searches } = await zendeskPop({
      contact_phones: [kwame.phone, '+1 202 555 0100', '(202) 555-0101'],
    });
    expect(response.status).toBe(200);
    expect(ticketIdsOf(response.body)).toEqual(kwame.ticketIds);
    expect(searches).toBe(1);
    expect(paths).toHaveLength(1 + 1 + Math.min(10, kwame.ticketIds.length));
  });

  it('several emails: one search, whoever holds which', async () => {
    const { response, searches } = await zendeskPop({ contact_emails: ['nobody@nowhere.example', jane.email] });
    expect(response.status).toBe(200);
    expect(ticketIdsOf(response.body)).toEqual(jane.ticketIds);
    expect(searches).toBe(1);
  });
});

/** The Zendesk ticket ids behind an answer (a note's url is its ticket's page). */
function ticketIdsOf(items: { url: string }[]): number[] {
  return [...new Set(items.map((item) => Number(item.url.split('/').pop())))].sort((a, b) => a - b);
}
