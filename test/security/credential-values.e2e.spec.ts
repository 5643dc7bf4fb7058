import dns from 'node:dns';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DYNAMICS_SANDBOX } from '../../apps/crm-sandbox/src/dynamics/fixtures.js';
import { FRESHDESK_SANDBOX } from '../../apps/crm-sandbox/src/freshdesk/fixtures.js';
import { HUBSPOT_SANDBOX } from '../../apps/crm-sandbox/src/hubspot/fixtures.js';
import { SALESFORCE_SANDBOX } from '../../apps/crm-sandbox/src/salesforce/fixtures.js';
import { salesforceSandboxLookup, type DnsLookup } from '../../apps/crm-sandbox/src/salesforce/index.js';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * Credential values that cannot be credentials: each is a 401 on both endpoints, before any CRM call, for every
 * connector and every credential field that reaches a header or a URL. Never a 500 (a header undici refuses) or a
 * 502 (a CRM's refusal of a 90 KB token, the name of an org that does not exist).
 */
const zendesk = ZENDESK_SANDBOX.acme;
const ZENDESK_API_TOKEN = {
  subdomain: zendesk.subdomain,
  email: zendesk.credentials.email,
  token: zendesk.credentials.token,
};
const ZENDESK_OAUTH = { subdomain: zendesk.subdomain, access_token: zendesk.credentials.accessToken };
const HUBSPOT = { access_token: HUBSPOT_SANDBOX.acme.token };
const SALESFORCE = { ...SALESFORCE_SANDBOX.acme.auth };
const FRESHDESK = { ...FRESHDESK_SANDBOX.acme.auth };
const DYNAMICS = { ...DYNAMICS_SANDBOX.acme.auth };

/** In the middle of the value, where trimming cannot take it away. */
const inside = (valid: string, text: string) =>
  valid.slice(0, valid.length >> 1) + text + valid.slice(valid.length >> 1);

/** Values no header can carry, or no CRM issues: header injection, control characters, non-Latin-1, huge. */
const HOSTILE: [string, (valid: string) => string][] = [
  ['CR/LF and a header', (valid) => `${valid}\r\nX-Injected: 1`],
  ['a lone LF', (valid) => inside(valid, '\n')],
  ['NUL', (valid) => inside(valid, '\u0000')],
  ['a line separator', (valid) => inside(valid, '\u2028')],
  ['non-Latin-1', (valid) => inside(valid, '\u0101')],
  ['an emoji', (valid) => inside(valid, '💩')],
  ['90 KB', (valid) => valid + 'x'.repeat(90_000)],
];
/** An email may hold any printable Unicode (RFC 6531): it is sent base64-encoded, inside Basic authentication. */
const UNICODE_TEXT = new Set(['email']);

/** Each connector's accepted `auth` hashes, and the fields of each that reach a header or a URL. */
const CASES: { connector: string; auth: Record<string, string>; fields: string[] }[] = [
  { connector: 'zendesk', auth: ZENDESK_API_TOKEN, fields: ['subdomain', 'email', 'token'] },
  { connector: 'zendesk', auth: ZENDESK_OAUTH, fields: ['subdomain', 'access_token'] },
  { connector: 'hubspot', auth: HUBSPOT, fields: ['access_token'] },
  { connector: 'salesforce', auth: SALESFORCE, fields: ['instance_url', 'access_token'] },
  { connector: 'freshdesk', auth: FRESHDESK, fields: ['domain', 'api_key'] },
  { connector: 'dynamics', auth: DYNAMICS, fields: ['org_url', 'access_token'] },
];

let bridge: BridgeHarness;
let crmCalls: () => number;
const systemLookup = dns.lookup;

beforeAll(async () => {
  // Salesforce's orgs reached by host name, through Salesforce's DNS as the sandbox knows it (its orgs, no other).
  bridge = await startBridge({
    // The lockout is about guessing, and counts these refusals too: off here, where every case is a refusal.
    env: (sandbox) => ({ SALESFORCE_API_URL: `http://{host}:${new URL(sandbox.url).port}`, LOCKOUT_MAX_FAILURES: '0' }),
  });
  const lookup = salesforceSandboxLookup(bridge.sandbox.app, '127.0.0.1', systemLookup as unknown as DnsLookup);
  dns.lookup = lookup as unknown as typeof dns.lookup;
  const entered = vi.spyOn(bridge.sandbox.inFlight, 'enter');
  crmCalls = () => entered.mock.calls.length;
});

afterAll(async () => {
  dns.lookup = systemLookup;
  await bridge?.close();
});

const pop = (connector: string, auth: Record<string, string>) =>
  bridge.post(`/${connector}/interactions`, {
    auth,
    meta: { interaction_types: ['case'] },
    data: { contact_emails: ['jane@example.com'] },
  });

describe('credential values that cannot be credentials', () => {
  for (const { connector, auth, fields } of CASES) {
    it(`${connector} with ${Object.keys(auth).join(', ')}: the valid hash is served (the cases below change one field)`, async () => {
      expect((await pop(connector, auth)).status).toBe(200);
      expect((await bridge.post(`/${connector}/auth/validate`, { auth })).status).toBe(200);
    });
    for (const field of fields) {
      const hostile = HOSTILE.filter(([name]) => !UNICODE_TEXT.has(field) || !/Latin|emoji/.test(name));
      it.each(hostile)(`${connector} auth.${field} with %s: 401 on both endpoints, no CRM call`, async (_, make) => {
        const changed = { ...auth, [field]: make(auth[field]!) };
        const before = crmCalls();
        const retrieved = await pop(connector, changed);
        const validated = await bridge.post(`/${connector}/auth/validate`, { auth: changed });
        expect([retrieved.status, validated.status]).toEqual([401, 401]);
        expect(retrieved.body.message).toContain(`auth.${field}`);
        expect(retrieved.text).not.toContain('X-Injected');
        expect(crmCalls()).toBe(before);
      });
    }
  }
});

describe('a Salesforce instance_url of an org that does not exist, on an allowed domain', () => {
  it("is a 401 on both endpoints (the host name does not resolve, as Salesforce's DNS answers), never retried", async () => {
    const nowhere = { ...SALESFORCE, instance_url: 'https://no-such-org-4f1c.my.salesforce.com' };
    const retrieved = await pop('salesforce', nowhere);
    const validated = await bridge.post('/salesforce/auth/validate', { auth: nowhere });
    expect([retrieved.status, validated.status]).toEqual([401, 401]);
    expect(retrieved.body.message).toMatch(/no org at this instance_url/);
    expect(retrieved.text).not.toContain('no-such-org');
    // One attempt per endpoint, not CRM_MAX_ATTEMPTS: a name that does not exist will not exist a moment later.
    const metrics = (await bridge.get('/metrics')).text;
    expect(metrics).toMatch(/bridge_crm_calls_total\{connector="salesforce",outcome="credentials"\} 2\n/);
  });
});
