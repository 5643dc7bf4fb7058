import type { TalkdeskStatus } from '#interactions';
import { hubspotEngagementKind } from './hubspot-engagement-mapping.js';

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
 * HubSpot calls become Talkdesk `call`s: their title (the core takes their notes' first line when they have none),
 * their notes, dated by `hs_timestamp`, else their creation.
 */
export const HUBSPOT_CALLS = hubspotEngagementKind({
  type: 'call',
  objectType: 'calls',
  objectTypeId: '0-48',
  title: 'hs_call_title',
  body: 'hs_call_body',
  status: { property: 'hs_call_status', values: HUBSPOT_CALL_STATUS },
});
