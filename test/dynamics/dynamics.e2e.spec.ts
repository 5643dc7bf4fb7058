import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DYNAMICS_SANDBOX } from '../../apps/crm-sandbox/src/dynamics/fixtures.js';
import { dynamicsSandboxOf } from '../../apps/crm-sandbox/src/dynamics/index.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * The Dynamics 365 connector end to end: Talkdesk's POST → bridge → the sandbox's Dataverse stand-in over loopback.
 * Calls are counted from the sandbox's own request log: what the org's service protection limits are charged.
 */
const { acme, globex } = DYNAMICS_SANDBOX;
const { jane, pat, quinn, raj, ursula } = acme.contacts;
const ALL_TYPES = ['case', 'task', 'call', 'note'];

let bridge: BridgeHarness;
beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(async () => {
  await bridge.close();
});

let mark = 0;
beforeEach(() => {
  mark = bridge.sandbox.faults.received(/^\/dynamics\//).length;
});
/** The Dataverse calls the sandbox received since the test began, to any org: `GET incidents`, … */
const callsSince = () =>
  bridge.sandbox.faults
    .received(/^\/dynamics\//)
    .slice(mark)
    .map(
      (call) =>
        `${call.method} ${call.path.replace(/^\/dynamics\/[^/]+\/api\/data\/v9\.2\//, '').replace(/\?.*$/, '')}`,
    );

function pop(data: Record<string, unknown>, types = ALL_TYPES, auth: Record<string, string> = acme.auth) {
  return bridge.post('/dynamics/interactions', { auth, meta: { interaction_types: types }, data });
}

const ids = (body: { id: string }[]) => body.map((item) => item.id).sort();
const as = (type: string) => (id: string) => `${type}:${id}`;
const everything = (person: typeof jane) =>
  [
    ...person.caseIds.map(as('case')),
    ...person.taskIds.map(as('task')),
    ...person.callIds.map(as('call')),
    ...person.noteIds.map(as('note')),
  ].sort();

describe('Dynamics 365: a screen pop', () => {
  it('by id: the contact and one query per type, all sent at once, with web client URLs', async () => {
    bridge.sandbox.inFlight.reset();
    const response = await pop({ contact_external_id: jane.id });
    expect(response.status).toBe(200);
    expect(ids(response.body)).toEqual(everything(jane));
    expect(callsSince().sort()).toEqual(
      ['GET annotations', `GET contacts(${jane.id})`, 'GET incidents', 'GET phonecalls', 'GET tasks'].sort(),
    );
    expect(response.headers.get('server-timing')).toContain('crm;desc="calls=5"');
    // The call where Jane is only the party called, regarding her case, is hers too; so is the note on her case.
    expect(response.body.map((item: { subject: string }) => item.subject)).toEqual(
      expect.arrayContaining(['Outbound call: refund status', 'Warehouse call']),
    );
    expect(response.body).not.toContainEqual(expect.objectContaining({ subject: 'Inspect returned speaker' }));
    const note = response.body.find((item: { subject: string }) => item.subject === 'Courier update');
    expect(note).toEqual({
      id: `note:${jane.noteIds[0]}`,
      type: 'note',
      subject: 'Courier update',
      description: 'Spoke to the courier — the parcel is held at the depot & goes out tomorrow.',
      date: '2026-10-19 09:00:00 UTC',
      url: `${acme.orgUrl}/main.aspx?etn=contact&pagetype=entityrecord&id=%7B${jane.id}%7D`,
    });
    const statuses = (type: string) =>
      response.body
        .filter((item: { type: string }) => item.type === type)
        .map((item: { status: string }) => item.status)
        .sort();
    expect(statuses('case')).toEqual(['closed', 'open', 'pending', 'solved']);
    expect(statuses('task')).toEqual(['new', 'open', 'solved']);
    expect(statuses('call')).toEqual(['open', 'solved', 'solved']);
  });

  it('by email: the lookup, then one query per type; a deactivated contact with the same email is left out', async () => {
    const response = await pop({ contact_emails: ['Jane.Doe@Example.com'] });
    expect(ids(response.body)).toEqual(everything(jane));
    expect(callsSince()).toHaveLength(5);
    expect(callsSince()[0]).toBe('GET contacts');
  });

  it.each([
    ['(404) 555-0188', pat], // stored 404.555.0188
    ['+1 404 555 0188', pat],
    ['404-555-0142', quinn], // stored +14045550142
    ['+14045550177', raj], // stored 4045550177, in telephone3
  ])('by phone %s: one query finds the number however it is stored', async (phone, person) => {
    const response = await pop({ contact_phones: [phone] });
    expect(response.status).toBe(200);
    expect(ids(response.body)).toEqual(everything(person));
    expect(response.body.length).toBeGreaterThan(0);
    expect(callsSince()[0]).toBe('GET contacts');
    expect(callsSince().filter((call) => call === 'GET contacts')).toHaveLength(1);
  });

  it('by phone: a UK number with the same national digits is not the caller', async () => {
    const response = await pop({ contact_phones: ['+44 404 555 0188'] });
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]); // Vic Variant has it, and nothing else
  });

  it('by name: found when exactly one contact has it, [] when two do', async () => {
    const unique = await pop({ contact_name: ursula.name });
    expect(ids(unique.body)).toEqual(everything(ursula));
    const shared = await pop({ contact_name: acme.sharedName });
    expect(shared.body).toEqual([]);
  });

  it('keeps two orgs apart: each org URL reaches its own rows with its own token', async () => {
    const response = await pop({ contact_emails: [jane.email!] }, ALL_TYPES, globex.auth);
    expect(ids(response.body)).toEqual(everything(globex.contacts.jane));
    expect(response.body[0].url.startsWith(`${globex.orgUrl}/main.aspx?`)).toBe(true);
    const crossed = await pop({ contact_emails: [jane.email!] }, ALL_TYPES, {
      ...globex.auth,
      access_token: acme.auth.access_token,
    });
    expect(crossed.status).toBe(401);
  });

  it('refuses an org_url outside Dynamics before any call, without echoing the token', async () => {
    for (const org_url of [
      'https://evil.example.com',
      'http://acme.crm.dynamics.com',
      'https://acme.crm.dynamics.com@127.0.0.1',
      'https://acme.crm.dynamics.com.evil.example',
      'https://127.0.0.1',
      'https://acme.crm.dynamics.com:8443',
    ]) {
      const response = await pop({ contact_emails: [jane.email!] }, ALL_TYPES, { ...acme.auth, org_url });
      expect(response.status).toBe(401);
      expect(response.body.authFields[0]).toMatch(/^org_url/);
      expect(response.text).not.toContain(acme.auth.access_token);
    }
    expect(callsSince()).toEqual([]);
  });

  it('sends hostile values as literals the org parses: no 400, no match, no failure', async () => {
    const response = await pop({
      contact_external_id: "x') or (contactid ne null",
      contact_emails: ["x' or emailaddress1 ne '", 'percent%_[x]@example.com', "'; $top=5000"],
      contact_name: 'Zoë "O\'Neil"\nor 1 eq 1',
      contact_phones: ['555) or (true'],
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
    const metrics = (await bridge.get('/metrics')).text;
    expect(metrics).not.toMatch(/bridge_interaction_type_failures_total\{connector="dynamics"/);
  });

  it('an expired token is a 401, so Talkdesk refreshes it; the validator answers with one WhoAmI', async () => {
    expect((await pop({ contact_external_id: jane.id }, ALL_TYPES, acme.expiredAuth)).status).toBe(401);
    mark = bridge.sandbox.faults.received(/^\/dynamics\//).length;
    const valid = await bridge.post('/dynamics/auth/validate', { auth: acme.auth });
    expect(valid.status).toBe(200);
    expect(valid.body).toEqual({});
    expect(callsSince()).toEqual(['GET WhoAmI']);
    expect((await bridge.post('/dynamics/auth/validate', { auth: acme.expiredAuth })).status).toBe(401);
  });
});

describe('Dynamics 365: service protection limits', () => {
  it('a 429 with Retry-After is a 503 with Retry-After, and the org is left alone until it has passed', async () => {
    const org = dynamicsSandboxOf(bridge.sandbox.app).org(globex.host);
    org.requestLimit = org.recent.length; // the window is spent
    try {
      const refused = await pop({ contact_external_id: globex.contacts.jane.id }, ALL_TYPES, globex.auth);
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ cause: 'rate_limited' });
      const sent = callsSince().length;
      expect(sent).toBeGreaterThan(0);
      // The next pop is answered at once, without a call: Dataverse asked to wait.
      const again = await pop({ contact_emails: [jane.email!] }, ALL_TYPES, globex.auth);
      expect(again.status).toBe(503);
      expect(callsSince()).toHaveLength(sent);
      // Another org is not held back.
      expect((await pop({ contact_external_id: jane.id })).status).toBe(200);
    } finally {
      org.requestLimit = 6_000;
    }
  });
});
