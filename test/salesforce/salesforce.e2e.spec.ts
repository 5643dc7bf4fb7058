import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { salesforceSandboxOf } from '../../apps/crm-sandbox/src/salesforce/index.js';
import { SALESFORCE_SANDBOX } from '../../apps/crm-sandbox/src/salesforce/fixtures.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * The Salesforce connector end to end: Talkdesk's POST → bridge → the sandbox's Salesforce stand-in over loopback.
 * Calls are counted from the sandbox's own request log: what an org's daily API allowance would be charged.
 */
const { acme, globex } = SALESFORCE_SANDBOX;
const { jane, janeLead, lee, pat, ursula } = acme.contacts;
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
  mark = bridge.sandbox.faults.received(/^\/salesforce\//).length;
});
/** The Salesforce calls the sandbox received since the test began, to any org. */
const callsSince = () => bridge.sandbox.faults.received(/^\/salesforce\//).slice(mark);

function pop(data: Record<string, unknown>, types = ALL_TYPES, auth: Record<string, string> = acme.auth) {
  return bridge.post('/salesforce/interactions', { auth, meta: { interaction_types: types }, data });
}

const ids = (body: { id: string }[]) => body.map((item) => item.id).sort();
/** A record id as the bridge answers it: qualified by its Talkdesk type (ids are unique across types). */
const as = (type: string) => (id: string) => `${type}:${id}`;

describe('Salesforce: a screen pop', () => {
  it('by id is one API call, carrying every type, with Lightning record URLs', async () => {
    const response = await pop({ contact_external_id: jane.id });
    expect(response.status).toBe(200);
    expect(ids(response.body)).toEqual(
      [
        ...jane.caseIds.map(as('case')),
        ...jane.taskIds.map(as('task')),
        ...jane.callIds.map(as('call')),
        ...jane.noteIds.map(as('note')),
      ].sort(),
    );
    expect(callsSince().map((call) => `${call.method} ${call.path}`)).toEqual([
      `POST /salesforce/${acme.host}/services/data/v62.0/composite`,
    ]);
    const note = response.body.find((item: { type: string }) => item.type === 'note');
    expect(note).toEqual({
      id: `note:${jane.noteIds[0]}`,
      type: 'note',
      subject: 'Courier update',
      description: 'Spoke to the courier — the parcel is held at the depot & goes out tomorrow.',
      date: '2026-10-19 09:00:00 UTC',
      url: `${acme.instanceUrl}/lightning/r/ContentDocument/${jane.noteIds[0]}/view`,
    });
    // The classic Note on Jane comes back too, its HTML-ish Body as plain text, linked to its own record page.
    expect(jane.classicNoteIds).toHaveLength(1);
    expect(response.body).toContainEqual({
      id: `note:${jane.classicNoteIds[0]}`,
      type: 'note',
      subject: 'Warehouse call',
      description: 'Atlanta warehouse confirmed stock & will ship Monday.',
      date: '2026-10-10 09:00:00 UTC',
      url: `${acme.instanceUrl}/lightning/r/Note/${jane.classicNoteIds[0]}/view`,
    });
    const byType = (type: string) => response.body.filter((item: { type: string }) => item.type === type);
    expect(byType('note').map((item: { subject: string }) => item.subject)).toEqual([
      'Courier update',
      'Warehouse call',
      'Preferences',
    ]);
    expect(
      byType('case')
        .map((item: { status: string }) => item.status)
        .sort(),
    ).toEqual(['closed', 'new', 'open', 'pending']);
    expect(byType('call').map((item: { subject: string }) => item.subject)).toEqual([
      'Inbound call: damaged speaker',
      'Outbound call: refund status',
    ]);
  });

  it('by email is one API call, and Contacts come before a Lead with the same email', async () => {
    const response = await pop({ contact_emails: [jane.email!] });
    expect(response.status).toBe(200);
    expect(ids(response.body)).toEqual(
      [
        ...jane.caseIds.map(as('case')),
        ...jane.taskIds.map(as('task')),
        ...jane.callIds.map(as('call')),
        ...jane.noteIds.map(as('note')),
      ].sort(),
    );
    expect(ids(response.body)).not.toContain(`task:${janeLead.taskIds[0]}`);
    expect(callsSince()).toHaveLength(1);
  });

  it('by name is one API call when exactly one Contact has it, and [] when two do', async () => {
    const unique = await pop({ contact_name: ursula.name });
    expect(ids(unique.body)).toEqual([...ursula.caseIds.map(as('case')), ...ursula.noteIds.map(as('note'))].sort());
    expect(callsSince()).toHaveLength(1);
    const shared = await pop({ contact_name: acme.sharedName });
    expect(shared.body).toEqual([]);
  });

  it('by phone is two API calls: one SOSL search for every number, then one composite', async () => {
    const response = await pop({ contact_phones: ['+1 (404) 555-0188', '+44 20 7946 0000'] });
    expect(ids(response.body)).toEqual([...pat.caseIds.map(as('case')), ...pat.callIds.map(as('call'))].sort());
    expect(callsSince().map((call) => call.path.split('/v62.0/')[1])).toEqual(['search/', 'composite']);
  });

  it('by phone prefers the Contact over a Lead holding the same number in another format', async () => {
    const response = await pop({ contact_phones: ['404-555-0127'] });
    expect(ids(response.body)).toEqual(
      [
        ...jane.caseIds.map(as('case')),
        ...jane.taskIds.map(as('task')),
        ...jane.callIds.map(as('call')),
        ...jane.noteIds.map(as('note')),
      ].sort(),
    );
  });

  it('falls back to a Lead when no Contact matches: tasks, calls and notes, no cases', async () => {
    const response = await pop({ contact_emails: [lee.email!] });
    expect(ids(response.body)).toEqual(
      [...lee.taskIds.map(as('task')), ...lee.callIds.map(as('call')), ...lee.noteIds.map(as('note'))].sort(),
    );
    expect(callsSince()).toHaveLength(2); // the Contact lookup, then the Lead lookup with the reads
    const byId = await pop({ contact_external_id: lee.id });
    expect(ids(byId.body)).toEqual(ids(response.body));
  });

  it('keeps two orgs apart: each instance URL reaches its own records with its own token', async () => {
    const response = await pop({ contact_emails: [jane.email!] }, ALL_TYPES, globex.auth);
    expect(ids(response.body)).toEqual(
      [...globex.contacts.jane.caseIds.map(as('case')), ...globex.contacts.jane.noteIds.map(as('note'))].sort(),
    );
    expect(response.body[0].url.startsWith(`${globex.instanceUrl}/lightning/r/`)).toBe(true);
    const crossed = await pop({ contact_emails: [jane.email!] }, ALL_TYPES, {
      ...globex.auth,
      access_token: acme.auth.access_token,
    });
    expect(crossed.status).toBe(401);
  });

  it('refuses an instance_url outside Salesforce before any call', async () => {
    for (const instance_url of [
      'https://evil.example.com',
      'http://acme.my.salesforce.com',
      'https://acme.my.salesforce.com@127.0.0.1',
      'https://127.0.0.1',
    ]) {
      const response = await pop({ contact_emails: [jane.email!] }, ALL_TYPES, { ...acme.auth, instance_url });
      expect(response.status).toBe(401);
      expect(response.text).not.toContain(acme.auth.access_token);
    }
    expect(callsSince()).toEqual([]);
  });

  it('sends hostile values as escaped literals the org parses: no MALFORMED_QUERY, no match, no failure', async () => {
    const response = await pop({
      contact_emails: [
        "x' OR Email != '",
        'back\\slash%_@example.com',
        '{braces}@example.com',
        'a@{people.records[0].Id}.com',
      ],
      contact_name: 'Zoë "O\'Neil" @{people.records[0].Id}\nOR 1=1',
      contact_phones: ['555} OR {*'],
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
    const metrics = (await bridge.get('/metrics')).text;
    expect(metrics).not.toMatch(/bridge_interaction_type_failures_total\{connector="salesforce"/);
  });

  it("reports the org's remaining API allowance from Sforce-Limit-Info", async () => {
    const org = salesforceSandboxOf(bridge.sandbox.app).org(acme.host);
    const saved = { used: org.apiUsed, limit: org.apiLimit };
    org.apiUsed = 749;
    org.apiLimit = 1000;
    try {
      await pop({ contact_external_id: jane.id });
      const metrics = (await bridge.get('/metrics')).text;
      expect(metrics).toMatch(/bridge_crm_api_remaining_ratio\{connector="salesforce"\} 0\.25\b/);
    } finally {
      org.apiUsed = saved.used;
      org.apiLimit = saved.limit;
    }
  });

  it('validates credentials with one cheap call: 200 (nothing to store for Salesforce), or 401 for an expired session', async () => {
    const accepted = await bridge.post('/salesforce/auth/validate', { auth: acme.auth });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({});
    expect((await bridge.post('/salesforce/auth/validate', { auth: acme.expiredAuth })).status).toBe(401);
  });
});
