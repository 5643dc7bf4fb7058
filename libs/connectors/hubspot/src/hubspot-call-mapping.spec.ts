import { describe, expect, it } from 'vitest';
import { TALKDESK_STATUSES } from '#interactions';
import { HUBSPOT_CALL_STATUS, hubspotCallToInteraction } from './hubspot-call-mapping.js';

/** A call as POST /crm/v3/objects/calls/batch/read returns it, with the properties the connector asks for. */
const call = {
  id: '70117800042',
  properties: {
    hs_call_title: 'Renewal call with Jane',
    hs_call_body: '<p>Walked through the <strong>3-year</strong> quote&nbsp;&amp; discount.</p><p>Send the PDF.</p>',
    hs_timestamp: '2026-05-06T09:05:00.000Z',
    hs_call_status: 'COMPLETED',
    hs_createdate: '2026-05-06T09:26:12.441Z',
    hs_lastmodifieddate: '2026-05-06T09:26:12.441Z',
    hs_object_id: '70117800042',
  },
  createdAt: '2026-05-06T09:26:12.441Z',
  updatedAt: '2026-05-06T09:26:12.441Z',
  archived: false,
};
const portal = { portalId: '24681357', appHost: 'app.hubspot.com' };

describe('HubSpot call → Talkdesk call', () => {
  it('maps title, notes as text, time, page and status', () => {
    expect(hubspotCallToInteraction(call, portal)).toEqual({
      id: '70117800042',
      type: 'call',
      subject: 'Renewal call with Jane',
      description: 'Walked through the 3-year quote & discount. Send the PDF.',
      date: '2026-05-06 09:05:00 UTC',
      url: 'https://app.hubspot.com/contacts/24681357/record/0-48/70117800042',
      status: 'solved',
    });
  });

  it('takes the subject from the notes when the call has no title', () => {
    const untitled = { ...call, properties: { ...call.properties, hs_call_title: null } };
    expect(hubspotCallToInteraction(untitled, portal).subject).toBe('Walked through the 3-year quote & discount.');
    const empty = { ...call, properties: { ...call.properties, hs_call_title: '', hs_call_body: null } };
    expect(hubspotCallToInteraction(empty, portal).subject).toBe('Call');
  });

  it.each([
    ['QUEUED', 'new'],
    ['CALLING_CRM_USER', 'new'],
    ['CONNECTING', 'new'],
    ['RINGING', 'new'],
    ['IN_PROGRESS', 'open'],
    ['COMPLETED', 'solved'],
    ['BUSY', 'closed'],
    ['NO_ANSWER', 'closed'],
    ['FAILED', 'closed'],
    ['CANCELED', 'closed'],
  ])('hs_call_status %s → %s', (status, expected) => {
    expect(hubspotCallToInteraction({ ...call, properties: { ...call.properties, hs_call_status: status } }, portal).status).toBe(expected);
  });

  it('leaves out a status HubSpot might add later, and never emits one outside the set', () => {
    expect(hubspotCallToInteraction({ ...call, properties: { ...call.properties, hs_call_status: 'VOICEMAIL' } }, portal).status).toBeUndefined();
    for (const value of Object.values(HUBSPOT_CALL_STATUS)) expect(TALKDESK_STATUSES).toContain(value);
  });

  it('has no url without the portal, and no date without hs_timestamp (the core then drops it)', () => {
    expect(hubspotCallToInteraction(call, undefined).url).toBeUndefined();
    expect(hubspotCallToInteraction({ ...call, properties: { ...call.properties, hs_timestamp: null } }, portal).date).toBe('');
  });
});
