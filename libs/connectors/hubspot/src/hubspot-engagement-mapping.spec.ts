import { describe, expect, it } from 'vitest';
import { finaliseInteraction, type MappedInteraction, type UpstreamRecord } from '#interactions';
import { accountDetails, euAccountDetails, notesSearch, tasksSearch } from '../test-fixtures/hubspot-payloads.js';
import { HUBSPOT_NOTES, HUBSPOT_TASKS, hubspotEngagementToInteraction } from './hubspot-engagement-mapping.js';
import { hubspotRecordUrl, parseHubspotPortal, type HubspotPortal } from './hubspot-portal.js';

const portal = parseHubspotPortal(accountDetails);
const [note] = notesSearch.results;
const [task] = tasksSearch.results;

function withNote(properties: Record<string, unknown>) {
  return { ...note!, properties: { ...note!.properties, ...properties } };
}

function withTask(properties: Record<string, unknown>) {
  return { ...task!, properties: { ...task!.properties, ...properties } };
}

const toNote = (record: UpstreamRecord, account?: HubspotPortal) =>
  hubspotEngagementToInteraction(record, HUBSPOT_NOTES, account);
const toTask = (record: UpstreamRecord, account?: HubspotPortal) =>
  hubspotEngagementToInteraction(record, HUBSPOT_TASKS, account);

/** What Talkdesk gets for a mapped record: the core's finalisation applied, as the service does. */
function talkdesk(mapped: MappedInteraction) {
  return finaliseInteraction(mapped, mapped.type, 500)?.interaction;
}

/**
 * A task HubSpot wrote for a logged email, as POST /crm/v3/objects/tasks/batch/read returns it: the subject keeps
 * its HTML entity, and the "Regarding email" body its zero-width spaces (U+200B), raw and as `&#8203;`.
 */
const followUpTask = {
  id: '88200417',
  properties: {
    hs_createdate: '2026-10-05T13:12:40.118Z',
    hs_object_id: '88200417',
    hs_task_body:
      '<div style="" dir="auto" data-top-level="true"><p style="margin:0;"><strong>Regarding email</strong>: \u200bRe: Quote for the oak reception desk\u200b</p>' +
      '<p style="margin:0;">\u200b</p><p style="margin:0;">Jane asked for the finish samples&#8203; before she signs.\u200b</p></div>',
    hs_task_priority: 'MEDIUM',
    hs_task_status: 'NOT_STARTED',
    hs_task_subject: 'Follow up with Woodwright&#x27;s Custom Woodwork',
    hs_timestamp: null,
  },
  createdAt: '2026-10-05T13:12:40.118Z',
  updatedAt: '2026-10-05T13:12:40.118Z',
  archived: false,
};

describe('HubSpot note → Talkdesk note', () => {
  it('strips the HTML body into the description, its first line becoming the subject, dated by hs_timestamp', () => {
    expect(talkdesk(toNote(note!, portal))).toEqual({
      id: 'note:80411',
      type: 'note',
      subject: 'Courier confirmed the damage & approved a refund.',
      description: 'Courier confirmed the damage & approved a refund. Replacement ships Monday.',
      date: '2026-09-15 10:22:01 UTC',
      url: 'https://app.hubspot.com/contacts/2451003/record/0-46/80411',
    });
  });

  it('cuts a long first line at a word boundary for the subject, and keeps the whole text as description', () => {
    const long =
      'Spoke with Jane about the replacement lamp and the refund, she would rather have store credit than cash back this time';
    const mapped = talkdesk(toNote(withNote({ hs_note_body: `<p>${long}</p><p>Second line</p>` }), portal))!;
    expect(mapped.subject.length).toBeLessThanOrEqual(80);
    expect(mapped.subject).toBe('Spoke with Jane about the replacement lamp and the refund, she would rather…');
    expect(mapped.description).toBe(`${long} Second line`);
  });

  it('names an empty note "Note"', () => {
    const mapped = talkdesk(toNote(withNote({ hs_note_body: null }), portal))!;
    expect(mapped.subject).toBe('Note');
    expect(mapped.description).toBeUndefined();
  });

  it('dates a note without hs_timestamp by its creation (createdAt), and the core counts it', () => {
    expect(finaliseInteraction(toNote(withNote({ hs_timestamp: null }), portal), 'note', 500)).toMatchObject({
      interaction: { date: '2026-09-15 10:22:03 UTC' },
      datedByCreation: true,
    });
    const { createdAt: _created, ...bare } = withNote({ hs_timestamp: '' });
    expect(finaliseInteraction(toNote(bare, portal), 'note', 500)).toBeUndefined();
  });
});

describe('HubSpot task → Talkdesk task', () => {
  it('maps subject, HTML body as text, due date, priority, status and the record page', () => {
    expect(talkdesk(toTask(task!, portal))).toEqual({
      id: 'task:60123',
      type: 'task',
      subject: 'Call Jane back about the refund',
      description: 'Promised a call before Friday.',
      date: '2026-09-04 17:00:00 UTC',
      url: 'https://app.hubspot.com/contacts/2451003/record/0-27/60123',
      priority: 'high',
      status: 'pending',
    });
  });

  it.each([
    ['NONE', 'none'],
    ['LOW', 'low'],
    ['MEDIUM', 'normal'],
    ['HIGH', 'high'],
  ])('hs_task_priority %s → %s', (priority, expected) => {
    expect(toTask(withTask({ hs_task_priority: priority }), portal).priority).toBe(expected);
  });

  it.each([
    ['NOT_STARTED', 'new'],
    ['IN_PROGRESS', 'open'],
    ['WAITING', 'pending'],
    ['DEFERRED', 'pending'],
    ['COMPLETED', 'solved'],
  ])('hs_task_status %s → %s', (status, expected) => {
    expect(toTask(withTask({ hs_task_status: status }), portal).status).toBe(expected);
  });

  it('leaves out a priority or status HubSpot might add later', () => {
    const mapped = toTask(withTask({ hs_task_priority: 'URGENT', hs_task_status: 'CANCELLED' }), portal);
    expect(mapped.priority).toBeUndefined();
    expect(mapped.status).toBeUndefined();
  });

  it('uses the body’s first line when the task has no subject', () => {
    expect(talkdesk(toTask(withTask({ hs_task_subject: '' }), portal))!.subject).toBe('Promised a call before Friday.');
  });

  it('shows a follow-up task as plain text, without entities or zero-width spaces, dated by its creation', () => {
    const finalised = finaliseInteraction(toTask(followUpTask, portal), 'task', 500);
    expect(finalised).toEqual({
      interaction: {
        id: 'task:88200417',
        type: 'task',
        subject: "Follow up with Woodwright's Custom Woodwork",
        description:
          'Regarding email: Re: Quote for the oak reception desk Jane asked for the finish samples before she signs.',
        date: '2026-10-05 13:12:40 UTC',
        url: 'https://app.hubspot.com/contacts/2451003/record/0-27/88200417',
        priority: 'normal',
        status: 'new',
      },
      datedByCreation: true,
    });
  });
});

describe('HubSpot record urls', () => {
  it('use the portal id from the account details', () => {
    expect(hubspotRecordUrl(portal, '0-5', '7310')).toBe('https://app.hubspot.com/contacts/2451003/record/0-5/7310');
  });

  it('use the account’s own app host (EU portals live on app-eu1.hubspot.com)', () => {
    expect(hubspotRecordUrl(parseHubspotPortal(euAccountDetails), '0-27', '1')).toBe(
      'https://app-eu1.hubspot.com/contacts/139004221/record/0-27/1',
    );
  });

  it('trust no host but HubSpot’s app hosts from the answer', () => {
    expect(parseHubspotPortal({ ...accountDetails, uiDomain: 'evil.example.com' }).appHost).toBe('app.hubspot.com');
    expect(parseHubspotPortal({ portalId: 7 }).appHost).toBe('app.hubspot.com');
  });

  it('are left out without a portal', () => {
    expect(hubspotRecordUrl(undefined, '0-5', '7310')).toBeUndefined();
    expect(() => parseHubspotPortal({ accountType: 'STANDARD' })).toThrow(/portalId/);
  });
});
