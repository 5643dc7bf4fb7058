import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HUBSPOT_SANDBOX } from '../../apps/crm-sandbox/src/hubspot/fixtures.js';
import { SALESFORCE_SANDBOX } from '../../apps/crm-sandbox/src/salesforce/fixtures.js';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import type { Fault } from '#sandbox';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * Talkdesk refreshes an OAuth token when the bridge answers 401 (docs/contract.md): a CRM's 401 on an expired token
 * must reach Talkdesk as 401 on both endpoints, and nothing else may. A 403 (a scope the token lacks), a 404, a 429
 * or a 5xx is not fixed by a refresh, and a 401 for it would have Talkdesk refresh tokens in a loop.
 */
const connectors = {
  zendesk: {
    auth: { subdomain: 'acme', access_token: ZENDESK_SANDBOX.acme.credentials.accessToken },
    expiredAuth: { subdomain: 'acme', access_token: 'acme-expired-oauth-token' },
    data: { contact_external_id: String(ZENDESK_SANDBOX.acme.users.jane.id) },
    everyCall: '/zendesk/acme/',
    // `users/me` and `users/search` exist on every account: Zendesk's 404 there means the subdomain names no
    // account, which the contract answers 401 (credentials rejected). Any other 404 is a missing record.
    recordCall: `/zendesk/acme/api/v2/users/${ZENDESK_SANDBOX.acme.users.jane.id}`,
  },
  hubspot: {
    auth: { access_token: HUBSPOT_SANDBOX.acme.token },
    expiredAuth: { access_token: HUBSPOT_SANDBOX.unknownToken },
    data: { contact_external_id: HUBSPOT_SANDBOX.acme.contacts.jane.id },
    everyCall: '/hubspot/',
    recordCall: '/hubspot/',
  },
  salesforce: {
    auth: SALESFORCE_SANDBOX.acme.auth,
    expiredAuth: SALESFORCE_SANDBOX.acme.expiredAuth,
    data: { contact_external_id: SALESFORCE_SANDBOX.acme.contacts.jane.id },
    everyCall: `/salesforce/${SALESFORCE_SANDBOX.acme.host}/`,
    recordCall: `/salesforce/${SALESFORCE_SANDBOX.acme.host}/`,
  },
} as const;

/** The vendors' refusals as the sandbox serves them: their own bodies where the connectors read them. */
const REFUSALS: { name: string; fault: Fault; connectors?: (keyof typeof connectors)[] }[] = [
  { name: '403 (a missing permission)', fault: { kind: 'status', status: 403 } },
  {
    name: "HubSpot's 403 MISSING_SCOPES",
    connectors: ['hubspot'],
    fault: {
      kind: 'status',
      status: 403,
      body: {
        status: 'error',
        category: 'MISSING_SCOPES',
        message: 'This app hasn’t been granted all required scopes to make this call.',
        errors: [
          {
            message: 'One or more of the following scopes are required.',
            context: { requiredGranularScopes: ['tickets'] },
          },
        ],
      },
    },
  },
  {
    name: "Salesforce's 403 REQUEST_LIMIT_EXCEEDED",
    connectors: ['salesforce'],
    fault: {
      kind: 'status',
      status: 403,
      body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    },
  },
  { name: '404', fault: { kind: 'status', status: 404 } },
  { name: '429', fault: { kind: 'rate-limit', retryAfter: 1 } },
  { name: '500', fault: { kind: 'status', status: 500 } },
  { name: '502', fault: { kind: 'status', status: 502 } },
  { name: '503', fault: { kind: 'status', status: 503 } },
];

let bridge: BridgeHarness;

beforeAll(async () => {
  // One attempt per call: a refused call is not retried, so each case is one round trip.
  bridge = await startBridge({ env: { CRM_MAX_ATTEMPTS: '1', LOCKOUT_MAX_FAILURES: '0' } });
});

afterEach(() => bridge.sandbox.faults.clear());

afterAll(async () => {
  await bridge?.close();
});

function endpoints(name: keyof typeof connectors, auth: Record<string, string>) {
  const { data } = connectors[name];
  return Promise.all([
    bridge.post(`/${name}/interactions`, { auth, meta: { interaction_types: ['case'] }, data }),
    bridge.post(`/${name}/auth/validate`, { auth }),
  ]);
}

describe.each(Object.keys(connectors) as (keyof typeof connectors)[])('%s: 401 means “refresh the token”', (name) => {
  const connector = connectors[name];

  it('answers 401 on both endpoints when the CRM says the token expired', async () => {
    for (const response of await endpoints(name, connector.expiredAuth)) {
      expect(response.status, response.text).toBe(401);
      expect(response.body.authFields).toBeDefined();
    }
  });

  it('answers 401 on both endpoints when a valid token expires mid-use (the CRM’s 401 on any call)', async () => {
    bridge.sandbox.faults.add({ path: connector.everyCall, fault: { kind: 'status', status: 401 } });
    for (const response of await endpoints(name, connector.auth)) expect(response.status, response.text).toBe(401);
  });

  it.each(REFUSALS.filter((refusal) => !refusal.connectors || refusal.connectors.includes(name)))(
    'never answers 401 for a $name',
    async ({ name: refusal, fault }) => {
      bridge.sandbox.faults.add({ path: refusal === '404' ? connector.recordCall : connector.everyCall, fault });
      for (const response of await endpoints(name, connector.auth)) {
        // What the failure is worth (the items, [] for a missing contact, or 502/503 naming the cause), never a
        // 401, and never a 500.
        expect([200, 502, 503], `${refusal}: ${response.status} ${response.text}`).toContain(response.status);
      }
    },
  );
});
