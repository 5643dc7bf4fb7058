import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUBSPOT_SANDBOX } from '../../apps/crm-sandbox/src/hubspot/fixtures.js';
import { TALKDESK_DATE_PATTERN, TALKDESK_PRIORITIES, TALKDESK_STATUSES, type TalkdeskInteraction } from '#interactions';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/** The HubSpot connector end to end: Talkdesk's POST to the bridge, the bridge to the sandbox's HubSpot, over HTTP. */
const { acme, globex } = HUBSPOT_SANDBOX;
const { jane, heavy } = acme.contacts;
const ALL_TYPES = ['case', 'note', 'task'];

let bridge: BridgeHarness;

beforeAll(async () => {
  // HubSpot's search limit (5 a second per account, on in the sandbox by default) is off: these tests send pops one
  // after the other, each with one search per type at once, faster than the limit allows; they check what a pop
  // answers and costs, and the limit has its own tests (apps/crm-sandbox/src/hubspot/hubspot-api.spec.ts).
  bridge = await startBridge({ sandbox: { hubspotSearchPerSecond: 'off' } });
});

afterAll(async () => {
  await bridge?.close();
});

function retrieve(
  data: Record<string, unknown>,
  types = ALL_TYPES,
  auth: Record<string, string> = { access_token: acme.token },
) {
  return bridge.post('/hubspot/interactions', { auth, meta: { interaction_types: types }, data });
}

function ofType(items: TalkdeskInteraction[], type: string): TalkdeskInteraction[] {
  return items.filter((item) => item.type === type);
}

/** An item's id in HubSpot: the bridge sends `<type>:<HubSpot id>`, unique across types. */
function crmId(item: TalkdeskInteraction): string {
  expect(item.id.startsWith(`${item.type}:`), item.id).toBe(true);
  return item.id.slice(item.type.length + 1);
}

describe('HubSpot end to end', () => {
  it('returns Jane Doe’s tickets, notes and tasks in Talkdesk’s shape, newest first', async () => {
    const response = await retrieve({ contact_external_id: jane.id });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const items = response.body as TalkdeskInteraction[];

    const recordTypes = {
      case: ['0-5', jane.ticketIds],
      note: ['0-46', jane.noteIds],
      task: ['0-27', jane.taskIds],
    } as const;
    for (const [type, [objectTypeId, ids]] of Object.entries(recordTypes)) {
      const ofThisType = ofType(items, type);
      expect(ids.length).toBeLessThan(50); // under MAX_ITEMS_PER_TYPE: every one of them comes back
      expect(ofThisType.map(crmId).sort()).toEqual([...ids].sort());
      for (const item of ofThisType) {
        expect(item.url).toBe(
          `https://app.hubspot.com/contacts/${acme.portalId}/record/${objectTypeId}/${crmId(item)}`,
        );
      }
    }
    for (const item of items) {
      expect(item.date).toMatch(TALKDESK_DATE_PATTERN);
      expect(typeof item.subject).toBe('string');
      if (item.priority !== undefined) expect(TALKDESK_PRIORITIES).toContain(item.priority);
      if (item.status !== undefined) expect(TALKDESK_STATUSES).toContain(item.status);
      expect(item.description ?? '').not.toMatch(
        /<\/?(?:p|div|br|span|strong|em|b|i|u|a|ul|ol|li|table|tr|td)\b[^>]*>/i,
      ); // entities like &lt; stay text
    }
    const dates = items.map((item) => item.date);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('returns Jane Doe’s logged calls as `call`s: title or first line of the notes, status from the outcome', async () => {
    const response = await retrieve({ contact_external_id: jane.id }, ['call']);
    expect(response.status).toBe(200);
    const calls = response.body as TalkdeskInteraction[];
    expect(calls.map(crmId).sort()).toEqual([...jane.callIds].sort());
    expect(calls.map((call) => call.type)).toEqual(calls.map(() => 'call'));
    expect(new Set(calls.map((call) => call.status))).toEqual(new Set(['solved', 'closed']));
    expect(calls.map((call) => call.subject)).toContain('Renewal quote walkthrough — Jane wants the 3-year option.');
    for (const call of calls) {
      expect(call.url).toBe(`https://app.hubspot.com/contacts/${acme.portalId}/record/0-48/${crmId(call)}`);
      expect(call.date).toMatch(TALKDESK_DATE_PATTERN);
      expect(call.priority).toBeUndefined();
    }
  });

  it('maps pipeline stages, priorities and task statuses onto Talkdesk’s values', async () => {
    const items = (await retrieve({ contact_external_id: jane.id })).body as TalkdeskInteraction[];
    const caseStatuses = new Set(ofType(items, 'case').map((item) => item.status));
    expect(caseStatuses).toEqual(new Set(['new', 'open', 'closed']));
    expect(new Set(ofType(items, 'case').map((item) => item.priority))).toEqual(
      new Set(['low', 'normal', 'high', 'urgent', undefined]),
    );
    expect(new Set(ofType(items, 'task').map((item) => item.status))).toEqual(
      new Set(['new', 'open', 'pending', 'solved']),
    );
    expect(new Set(ofType(items, 'task').map((item) => item.priority))).toEqual(
      new Set(['none', 'low', 'normal', 'high']),
    );
    for (const note of ofType(items, 'note')) {
      expect(note.subject.length).toBeGreaterThan(0);
      expect(note.subject.length).toBeLessThanOrEqual(80);
    }
  });

  it.each([
    ['email', { contact_emails: ['Jane.Doe@Example.com'] }, jane.id],
    ['phone, as spelled differently', { contact_phones: ['(415) 555-0132'] }, acme.contacts.phoneOnly.id],
    ['mobile phone', { contact_phones: ['+1 415-555-0177'] }, acme.contacts.mobileOnly.id],
    ['unique name', { contact_name: 'evelyn hartwell' }, acme.contacts.uniqueName.id],
    // Formats HubSpot keeps as typed, found through its digits-only calculated properties.
    ['a phone stored as 415.555.0163', { contact_phones: ['+14155550163'] }, acme.contacts.otherFormats.id],
    ['a mobile stored as +1 415-555-0164', { contact_phones: ['(415) 555-0164'] }, acme.contacts.otherFormats.id],
    ['an email among hs_additional_emails', { contact_emails: ['r.okoye@example.org'] }, acme.contacts.otherFormats.id],
  ])('finds the contact by %s', async (_kind, data, contactId) => {
    const response = await retrieve(data);
    expect(response.status).toBe(200);
    const contact = Object.values(acme.contacts)
      .flatMap((c) => ('contacts' in c ? c.contacts : [c]))
      .find((c) => c.id === contactId)!;
    const expected = [...contact.ticketIds, ...contact.noteIds, ...contact.taskIds];
    expect(expected.length).toBeLessThan(50); // under MAX_ITEMS_PER_TYPE: every one of them comes back
    expect((response.body as TalkdeskInteraction[]).map(crmId).sort()).toEqual(expected.sort());
  });

  it('merges the interactions of every contact holding a shared email', async () => {
    const { email, contacts } = acme.contacts.sharedEmail;
    const response = await retrieve({ contact_emails: [email] }, ['case']);
    const ids = new Set((response.body as TalkdeskInteraction[]).map(crmId));
    for (const contact of contacts) for (const id of contact.ticketIds) expect(ids.has(id)).toBe(true);
    expect(ids.size).toBe(new Set(contacts.flatMap((contact) => contact.ticketIds)).size);
  });

  it.each([
    ['an unknown id', { contact_external_id: '99999999999' }],
    ['an id that is not a HubSpot id', { contact_external_id: 'jane.doe@example.com' }],
    ['an unknown email', { contact_emails: ['nobody@example.org'] }],
    ['a name two contacts share', { contact_name: 'John Smith' }],
  ])('answers [] for %s', async (_kind, data) => {
    const response = await retrieve(data);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });

  it('answers 401 when HubSpot rejects the token, and when there is none, without echoing it', async () => {
    const rejected = await retrieve({ contact_external_id: jane.id }, ALL_TYPES, {
      access_token: HUBSPOT_SANDBOX.unknownToken,
    });
    expect(rejected.status).toBe(401);
    expect(rejected.text).not.toContain(HUBSPOT_SANDBOX.unknownToken);
    const missing = await retrieve({ contact_external_id: jane.id }, ALL_TYPES, {});
    expect(missing.status).toBe(401);
    expect(missing.text).toMatch(/access_token/);
    expect(
      (await bridge.post('/hubspot/auth/validate', { auth: { access_token: HUBSPOT_SANDBOX.unknownToken } })).status,
    ).toBe(401);
    const accepted = await bridge.post('/hubspot/auth/validate', { auth: { access_token: acme.token } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ hubspot_portal_id: String(acme.portalId), hubspot_app_host: acme.uiDomain });
  });

  it('keeps the newest 50 of a heavy contact’s 620 tickets, in one search call', async () => {
    expect(heavy.ticketIds.length).toBeGreaterThan(500);
    const before = bridge.sandbox.faults.received('/hubspot/crm/v3/objects/tickets/').length;
    const response = await retrieve({ contact_external_id: heavy.id }, ['case']);
    expect(response.status).toBe(200);
    expect(bridge.sandbox.faults.received('/hubspot/crm/v3/objects/tickets/').length - before).toBe(1);
    const ids = (response.body as TalkdeskInteraction[]).map(crmId);
    // seedHeavy creates the tickets one after another, in id order: the newest 50 are the last 50 ids.
    expect(ids.sort()).toEqual(heavy.ticketIds.slice(-50).sort());
    expect(ids).toContain(heavy.ticketIds[heavy.ticketIds.length - 1]); // the newest, from the one search
  });

  it('links an EU portal’s records on its own app host', async () => {
    const response = await retrieve({ contact_emails: [globex.contacts.jane.email!] }, ['task'], {
      access_token: globex.token,
    });
    expect(response.status).toBe(200);
    const tasks = response.body as TalkdeskInteraction[];
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks)
      expect(task.url).toMatch(new RegExp(`^https://app-eu1\\.hubspot\\.com/contacts/${globex.portalId}/record/0-27/`));
  });
});

describe('HubSpot: a missing scope is not a credentials problem', () => {
  const missingScopes = {
    status: 'error',
    message:
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    correlationId: '5c2a1f0e-0000-4000-8000-00000000beef',
    errors: [
      {
        message: 'One or more of the following scopes are required.',
        context: { requiredGranularScopes: ['tickets'] },
      },
    ],
    links: { scopes: 'https://developers.hubspot.com/scopes' },
    category: 'MISSING_SCOPES',
  };

  it('tickets refused with MISSING_SCOPES: the other types answer, cases fail as forbidden', async () => {
    const rule = bridge.sandbox.faults.add({
      path: '/hubspot/crm/v3/objects/tickets/search',
      fault: { kind: 'status', status: 403, body: missingScopes },
    });
    try {
      const partial = await retrieve({ contact_external_id: jane.id });
      expect(partial.status).toBe(200);
      expect(ofType(partial.body, 'case')).toEqual([]);
      expect(ofType(partial.body, 'note').length).toBeGreaterThan(0);
      const metrics = (await bridge.get('/metrics')).text;
      expect(metrics).toMatch(
        /bridge_interaction_type_failures_total\{connector="hubspot",type="case",cause="forbidden"\} [1-9]/,
      );

      const all = await retrieve({ contact_external_id: jane.id }, ['case']);
      expect(all.status).toBe(502);
      expect(all.body.cause).toBe('forbidden');
      expect(all.body.message).toContain('tickets');
    } finally {
      rule.remove();
    }
  });

  it('the contact search refused with 403: 502 forbidden, not 401', async () => {
    const rule = bridge.sandbox.faults.add({
      path: '/hubspot/crm/v3/objects/contacts/search',
      fault: {
        kind: 'status',
        status: 403,
        body: {
          ...missingScopes,
          errors: [{ message: 'x', context: { requiredGranularScopes: ['crm.objects.contacts.read'] } }],
        },
      },
    });
    try {
      const response = await retrieve({ contact_emails: [jane.email!] });
      expect(response.status).toBe(502);
      expect(response.body.cause).toBe('forbidden');
      expect(response.body.message).toContain('crm.objects.contacts.read');
    } finally {
      rule.remove();
    }
  });
});
