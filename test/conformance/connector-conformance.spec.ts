import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectorRegistry,
  qualifiedId,
  TALKDESK_DATE_PATTERN,
  TALKDESK_PRIORITIES,
  TALKDESK_STATUSES,
} from '#interactions';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';
import { CONFORMANCE_CONNECTORS, type ContactData } from './conformance-connectors.js';
import './fixtures/index.js';

/**
 * The suite every connector passes, over real HTTP against the sandbox CRM: found by each identifier kind and not
 * found, each type in the spec's shape, Talkdesk dates, enums from their sets, unique ids, absolute https URLs,
 * rejected credentials, and pagination followed when the newest items need it.
 */
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

function assertTalkdeskShape(items: unknown, askedTypes: string[]): asserts items is Record<string, unknown>[] {
  expect(Array.isArray(items)).toBe(true);
  const list = items as Record<string, unknown>[];
  const keys = new Set(['id', 'subject', 'description', 'date', 'url', 'type', 'priority', 'status']);
  for (const item of list) {
    expect(
      Object.keys(item).every((key) => keys.has(key)),
      JSON.stringify(item),
    ).toBe(true);
    expect(typeof item.id).toBe('string');
    expect(item.id, 'an id is <type>:<CRM id>').toMatch(new RegExp(`^${item.type}:.`));
    expect(typeof item.subject).toBe('string');
    expect(item.date).toMatch(TALKDESK_DATE_PATTERN);
    expect(askedTypes).toContain(item.type);
    if (item.description !== undefined) expect(typeof item.description).toBe('string');
    if (item.priority !== undefined) expect(TALKDESK_PRIORITIES).toContain(item.priority);
    if (item.status !== undefined) expect(TALKDESK_STATUSES).toContain(item.status);
    if (item.url !== undefined) expect(new URL(item.url as string).protocol).toBe('https:');
  }
  const dates = list.map((item) => item.date as string);
  expect(dates).toEqual([...dates].sort().reverse());
  const ids = list.map((item) => `${item.id}`);
  expect(new Set(ids).size, 'ids are unique within the response').toBe(ids.length);
}

for (const [name, fixture] of Object.entries(CONFORMANCE_CONNECTORS)) {
  describe(`connector conformance: ${name}`, () => {
    const retrieve = (data: ContactData, types = fixture.types, auth = fixture.auth) =>
      bridge.post(`/${name}/interactions`, { auth, meta: { interaction_types: types }, data });

    it.each(Object.entries(fixture.found))('finds the contact by %s', async (_kind, data) => {
      const response = await retrieve(data);
      expect(response.status).toBe(200);
      assertTalkdeskShape(response.body, fixture.types);
      expect(response.body.length).toBeGreaterThan(0);
    });

    it('answers [] for a contact the CRM does not have', async () => {
      const response = await retrieve(fixture.notFound);
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    });

    it.each(fixture.types)('returns %s items in the spec shape', async (type) => {
      const response = await retrieve(fixture.found.externalId, [type]);
      expect(response.status).toBe(200);
      assertTalkdeskShape(response.body, [type]);
      expect(response.body.length).toBeGreaterThan(0);
    });

    it('answers 401 when the CRM rejects the credentials, without echoing them', async () => {
      const response = await retrieve(fixture.found.externalId, fixture.types, fixture.rejectedAuth);
      expect(response.status).toBe(401);
      for (const secret of Object.values(fixture.rejectedAuth)) {
        if (secret.length > 8) expect(response.text).not.toContain(secret);
      }
      // The answer names the fields the connector needs: every field of the accepted auth among them.
      const named = (response.body.authFields as string[]).map((declared) => /^[\w-]+/.exec(declared)?.[0]);
      for (const field of Object.keys(fixture.auth)) expect(named).toContain(field);
      const validation = await bridge.post(`/${name}/auth/validate`, { auth: fixture.rejectedAuth });
      expect(validation.status).toBe(401);
    });

    it('answers auth/validate with 200 and exactly the fields it declares for Talkdesk to store', async () => {
      const response = await bridge.post(`/${name}/auth/validate`, { auth: fixture.auth });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const declared = bridge.app
        .get(ConnectorRegistry)
        .get(name)!
        .derivedAuthFields.map((field) => field.name);
      expect(Object.keys(response.body).sort()).toEqual([...declared].sort());
      for (const value of Object.values(response.body)) expect(value).toMatch(/\S/);
    });

    it('answers the same items when Talkdesk sends the validator’s fields back in auth', async () => {
      const derived = (await bridge.post(`/${name}/auth/validate`, { auth: fixture.auth })).body as Record<
        string,
        string
      >;
      const without = await retrieve(fixture.found.externalId);
      const withFields = await retrieve(fixture.found.externalId, fixture.types, { ...fixture.auth, ...derived });
      expect(withFields.status).toBe(200);
      expect(withFields.body).toEqual(without.body);
    });

    it('follows the CRM pagination when the newest items need it', async () => {
      const { data, type, count, beyondFirstPageId } = fixture.paginated;
      const response = await retrieve(data, [type]);
      expect(response.status).toBe(200);
      assertTalkdeskShape(response.body, [type]);
      expect(response.body).toHaveLength(count);
      expect(response.body.map((item) => item.id)).toContain(qualifiedId(type, beyondFirstPageId));
    });
  });
}
