import { afterEach, describe, expect, it } from 'vitest';
import { HUBSPOT_SANDBOX } from '../../apps/crm-sandbox/src/hubspot/fixtures.js';
import type { TalkdeskInteraction } from '#interactions';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * Talkdesk's authorization validator ("Implementing an Authorization Validator",
 * https://docs.talkdesk.com/docs/implementing-an-authorization-validator) and what Talkdesk does with its answer:
 * stores every field and sends it back in `auth` on every later call. Counted against the sandbox's own request log.
 */
const { acme, globex } = HUBSPOT_SANDBOX;
const ACCOUNT_DETAILS = '/hubspot/account-info/v3/details';
const ALL_TYPES = ['case', 'note', 'task', 'call'];

const bridges: BridgeHarness[] = [];

/** A bridge of its own: nothing learnt about any token yet. `sharing` turns the cache and the budget on. */
async function freshBridge(sharing = false): Promise<BridgeHarness> {
  const env: Record<string, string> = sharing
    ? {
        CACHE_CONTACT_TTL_SECONDS: '600',
        CACHE_INTERACTIONS_TTL_SECONDS: '30',
        CACHE_COALESCE: 'on',
        CRM_BUDGET_SHARE: '0.3',
      }
    : {};
  // HubSpot's search limit (5 a second per account, on in the sandbox by default) is off: these tests send several
  // pops back to back, each with one search per type at once; they check what the derived fields change, and the
  // limit has its own tests.
  const bridge = await startBridge({ env, sandbox: { hubspotSearchPerSecond: 'off' } });
  bridges.push(bridge);
  return bridge;
}

afterEach(async () => {
  await Promise.all(bridges.splice(0).map((bridge) => bridge.close()));
});

function pop(bridge: BridgeHarness, auth: Record<string, string>, contactId = acme.contacts.jane.id) {
  return bridge.post('/hubspot/interactions', {
    auth,
    meta: { interaction_types: ALL_TYPES },
    data: { contact_external_id: contactId },
  });
}

const withoutUrl = (items: TalkdeskInteraction[]) => items.map(({ url: _url, ...rest }) => rest);
const acmeDerived = { hubspot_portal_id: String(acme.portalId), hubspot_app_host: acme.uiDomain };
const globexDerived = { hubspot_portal_id: String(globex.portalId), hubspot_app_host: globex.uiDomain };

describe('the authorization validator', () => {
  it('answers HubSpot 200 with the token’s portal, 401 when HubSpot rejects the token (the others: conformance suite)', async () => {
    const bridge = await freshBridge();
    const hubspot = await bridge.post('/hubspot/auth/validate', { auth: { access_token: acme.token } });
    expect(hubspot.status).toBe(200);
    expect(hubspot.body).toEqual(acmeDerived);
    expect(bridge.sandbox.faults.received(ACCOUNT_DETAILS)).toHaveLength(1);
    expect((await bridge.post('/hubspot/auth/validate', { auth: { access_token: globex.token } })).body).toEqual(
      globexDerived,
    );
    const rejected = await bridge.post('/hubspot/auth/validate', {
      auth: { access_token: HUBSPOT_SANDBOX.unknownToken },
    });
    expect(rejected.status).toBe(401);
    expect(rejected.body.hubspot_portal_id).toBeUndefined();
  });

  it('is asked again with the stored fields in auth and answers the same (Talkdesk sends everything back)', async () => {
    const bridge = await freshBridge();
    const again = await bridge.post('/hubspot/auth/validate', { auth: { access_token: acme.token, ...globexDerived } });
    expect(again.status).toBe(200);
    // What HubSpot says for the token, never what the request claimed.
    expect(again.body).toEqual(acmeDerived);
  });
});

describe('a pop with the validator’s fields in auth', () => {
  it('makes no call to learn the portal, and answers what a pop without them answers', async () => {
    const without = await freshBridge();
    const plain = await pop(without, { access_token: acme.token });
    expect(plain.status).toBe(200);
    expect(without.sandbox.faults.received(ACCOUNT_DETAILS)).toHaveLength(1);

    const bridge = await freshBridge();
    const answer = await pop(bridge, { access_token: acme.token, ...acmeDerived });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(plain.body);
    expect(bridge.sandbox.faults.received(ACCOUNT_DETAILS)).toHaveLength(0);
    // One call fewer than the pop without them, all else equal.
    expect(bridge.sandbox.faults.requests).toBe(without.sandbox.faults.requests - 1);
  });

  it('malformed: ignored, the same items as without them, never a 500', async () => {
    const reference = await freshBridge();
    const plain = (await pop(reference, { access_token: acme.token })).body;
    const bridge = await freshBridge();
    const malformed: Record<string, string>[] = [
      { hubspot_portal_id: 'abc', hubspot_app_host: acme.uiDomain },
      { hubspot_portal_id: '0', hubspot_app_host: acme.uiDomain },
      { hubspot_portal_id: String(acme.portalId), hubspot_app_host: 'phishing.example.com' },
      { hubspot_portal_id: String(acme.portalId), hubspot_app_host: 'app.hubspot.com/evil' },
      { hubspot_portal_id: '١٢٣', hubspot_app_host: 'app.hubspot.com' },
      { hubspot_portal_id: String(acme.portalId) },
      { hubspot_portal_id: '', hubspot_app_host: '' },
    ];
    for (const derived of malformed) {
      const answer = await pop(bridge, { access_token: acme.token, ...derived });
      expect(answer.status, JSON.stringify(derived)).toBe(200);
      expect(answer.body).toEqual(plain);
    }
    // Oversized: the same items, or a clear 4xx if the edge bounds the length of `auth` values; never a 500.
    const oversized = await pop(bridge, {
      access_token: acme.token,
      hubspot_portal_id: '9'.repeat(5_000),
      hubspot_app_host: 'x'.repeat(5_000),
    });
    if (oversized.status === 200) expect(oversized.body).toEqual(plain);
    else expect([400, 401]).toContain(oversized.status);
  });

  it('another portal’s: the token’s own records, links on a HubSpot host, never the other portal’s data', async () => {
    const bridge = await freshBridge();
    const plain = (await pop(bridge, { access_token: acme.token })).body as TalkdeskInteraction[];
    const globexItems = (await pop(bridge, { access_token: globex.token }, globex.contacts.jane.id))
      .body as TalkdeskInteraction[];
    expect(globexItems.length).toBeGreaterThan(0);

    const other = await freshBridge();
    const mixed = await pop(other, { access_token: acme.token, ...globexDerived });
    expect(mixed.status).toBe(200);
    const items = mixed.body as TalkdeskInteraction[];
    // The same records: HubSpot answers every read for the token's own portal, whatever `auth` claims.
    expect(withoutUrl(items)).toEqual(withoutUrl(plain));
    const globexIds = new Set(globexItems.map((item) => item.id));
    expect(items.some((item) => globexIds.has(item.id))).toBe(false);
    // Only the links follow the claim, and only to HubSpot's own app hosts.
    for (const item of items) expect(new URL(item.url!).host).toBe(globex.uiDomain);
    // And a globex contact id is still not found with acme's token, whatever portal `auth` names.
    const cross = await pop(other, { access_token: acme.token, ...globexDerived }, globex.contacts.jane.id);
    expect(cross.status).toBe(200);
    expect((cross.body as TalkdeskInteraction[]).some((item) => globexIds.has(item.id))).toBe(false);
  });

  it('with the cache on, pops that differ in these fields never share cached answers', async () => {
    const bridge = await freshBridge(true);
    const right = await pop(bridge, { access_token: acme.token, ...acmeDerived });
    const before = bridge.sandbox.faults.requests;
    const claimed = await pop(bridge, { access_token: acme.token, ...globexDerived });
    // Not served from the first pop's cached answer (its links are acme's): read again for this `auth`.
    expect(bridge.sandbox.faults.requests).toBeGreaterThan(before);
    for (const item of claimed.body as TalkdeskInteraction[]) expect(new URL(item.url!).host).toBe(globex.uiDomain);
    for (const item of right.body as TalkdeskInteraction[]) expect(new URL(item.url!).host).toBe(acme.uiDomain);
    // The first pop's answer is unchanged for it.
    const again = await pop(bridge, { access_token: acme.token, ...acmeDerived });
    expect(again.body).toEqual(right.body);
  });
});
