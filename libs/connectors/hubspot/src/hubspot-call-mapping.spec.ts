import { describe, expect, it } from 'vitest';
import { finaliseInteraction, type MappedInteraction, type UpstreamRecord } from '#interactions';
import { HUBSPOT_CALLS } from './hubspot-call-mapping.js';
import { hubspotEngagementToInteraction } from './hubspot-engagement-mapping.js';
import type { HubspotPortal } from './hubspot-portal.js';

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
const toCall = (record: UpstreamRecord, account?: HubspotPortal) =>
  hubspotEngagementToInteraction(record, HUBSPOT_CALLS, account);

/** What Talkdesk gets for a mapped record: the core's finalisation applied, as the service does. */
function talkdesk(mapped: MappedInteraction) {
  return finaliseInteraction(mapped, mapped.type, 500)?.interaction;
}

describe('HubSpot call → Talkdesk call', () => {
  it('maps title, notes as text, time, page and status', () => {
    expect(talkdesk(toCall(call, portal))).toEqual({
      id: 'call:70117800042',
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
    expect(talkdesk(toCall(untitled, portal))!.subject).toBe('Walked through the 3-year quote & discount.');
    const empty = { ...call, properties: { ...call.properties, hs_call_title: '', hs_call_body: null } };
    expect(talkdesk(toCall(empty, portal))!.subject).toBe('Call');
  });

  it('shows a title with entities as the text it stands for', () => {
    const titled = { ...call, properties: { ...call.properties, hs_call_title: 'Call with O&#39;Brien &amp; Sons' } };
    expect(talkdesk(toCall(titled, portal))!.subject).toBe("Call with O'Brien & Sons");
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
    expect(toCall({ ...call, properties: { ...call.properties, hs_call_status: status } }, portal).status).toBe(
      expected,
    );
  });

  it('leaves out a status HubSpot might add later', () => {
    expect(
      toCall({ ...call, properties: { ...call.properties, hs_call_status: 'VOICEMAIL' } }, portal).status,
    ).toBeUndefined();
  });

  it('has no url without the portal', () => {
    expect(talkdesk(toCall(call, undefined))!.url).toBeUndefined();
  });

  it('is dated by its creation (createdAt) without hs_timestamp, which the core counts', () => {
    const untimed = { ...call, properties: { ...call.properties, hs_timestamp: null } };
    expect(finaliseInteraction(toCall(untimed, portal), 'call', 500)).toMatchObject({
      interaction: { date: '2026-05-06 09:26:12 UTC' },
      datedByCreation: true,
    });
  });
});
