import {
  mapEnum,
  toTalkdeskDate,
  type MappedInteraction,
  type TalkdeskStatus,
  type UpstreamRecord,
} from '#interactions';
import type { HubspotObjectKind } from './hubspot-associated-objects.js';
import { hubspotRecordUrl, type HubspotPortal } from './hubspot-portal.js';
import { hubspotCreatedDate, hubspotId, hubspotProperty } from './hubspot-record.js';

/** HubSpot calls (engagements) become Talkdesk `call`s. */
export const HUBSPOT_CALLS: HubspotObjectKind = {
  objectType: 'calls',
  objectTypeId: '0-48',
  createdProperty: 'hs_createdate',
  properties: ['hs_call_title', 'hs_call_body', 'hs_timestamp', 'hs_call_status'],
};

/**
 * `hs_call_status` → Talkdesk status. A call still being placed is new, one under way is open, a completed one is
 * solved, and one that ended unanswered (busy, no answer, failed, cancelled) is closed: nothing is left running.
 */
export const HUBSPOT_CALL_STATUS: Record<string, TalkdeskStatus> = {
  QUEUED: 'new',
  CALLING_CRM_USER: 'new',
  CONNECTING: 'new',
  RINGING: 'new',
  IN_PROGRESS: 'open',
  COMPLETED: 'solved',
  BUSY: 'closed',
  NO_ANSWER: 'closed',
  FAILED: 'closed',
  CANCELED: 'closed',
};

/**
 * A call as a Talkdesk `call`: its title (the core takes its notes' first line when it has none), its notes,
 * dated by `hs_timestamp`, else its creation.
 */
export function hubspotCallToInteraction(call: UpstreamRecord, portal: HubspotPortal | undefined): MappedInteraction {
  const id = hubspotId(call);
  return {
    id,
    type: 'call',
    subject: hubspotProperty(call, 'hs_call_title') ?? '',
    description: hubspotProperty(call, 'hs_call_body'),
    date: toTalkdeskDate(hubspotProperty(call, 'hs_timestamp')) ?? '',
    createdDate: hubspotCreatedDate(call),
    url: hubspotRecordUrl(portal, HUBSPOT_CALLS.objectTypeId, id),
    status: mapEnum(HUBSPOT_CALL_STATUS, hubspotProperty(call, 'hs_call_status')),
  };
}
