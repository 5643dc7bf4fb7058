import {
  mapEnum,
  toTalkdeskDate,
  type MappedInteraction,
  type TalkdeskPriority,
  type TalkdeskStatus,
  type UpstreamRecord,
} from '#interactions';
import type { HubspotObjectKind } from './hubspot-associated-objects.js';
import { hubspotRecordUrl, type HubspotPortal } from './hubspot-portal.js';
import { hubspotCreatedDate, hubspotId, hubspotProperty } from './hubspot-record.js';

/**
 * A HubSpot engagement object (note, task, call…) as one Talkdesk type. Engagements share one shape: a title (notes
 * have none), an HTML body, `hs_timestamp` (the time the engagement is about: a task's due date), and for some an
 * enum priority and status. A new engagement type is one more of these, declared with `hubspotEngagementKind`.
 */
export interface HubspotEngagementKind extends HubspotObjectKind {
  /** The Talkdesk type it becomes. */
  type: string;
  /** The property holding its title; without one, the core makes the body's first line the subject. */
  title?: string;
  /** The property holding its body (HTML). */
  body: string;
  priority?: { property: string; values: Record<string, TalkdeskPriority> };
  status?: { property: string; values: Record<string, TalkdeskStatus> };
}

/**
 * An engagement kind, fetching exactly the properties its mapping reads; "newest" is by `hs_createdate`, the
 * creation time every engagement object carries.
 */
export function hubspotEngagementKind(
  kind: Omit<HubspotEngagementKind, 'properties' | 'createdProperty'>,
): HubspotEngagementKind {
  const properties = [kind.title, kind.body, 'hs_timestamp', kind.priority?.property, kind.status?.property];
  return {
    ...kind,
    createdProperty: 'hs_createdate',
    properties: properties.filter((property): property is string => property !== undefined),
  };
}

/**
 * An engagement as a Talkdesk item: its title ('' when it has none) and body as HubSpot holds them (the core makes
 * them text), dated by `hs_timestamp`, else its creation; priority and status through the kind's tables. A value a
 * table does not know is left out.
 */
export function hubspotEngagementToInteraction(
  record: UpstreamRecord,
  kind: HubspotEngagementKind,
  portal: HubspotPortal | undefined,
): MappedInteraction {
  const id = hubspotId(record);
  return {
    id,
    type: kind.type,
    subject: (kind.title && hubspotProperty(record, kind.title)) ?? '',
    description: hubspotProperty(record, kind.body),
    date: toTalkdeskDate(hubspotProperty(record, 'hs_timestamp')) ?? '',
    createdDate: hubspotCreatedDate(record),
    url: hubspotRecordUrl(portal, kind.objectTypeId, id),
    priority: kind.priority && mapEnum(kind.priority.values, hubspotProperty(record, kind.priority.property)),
    status: kind.status && mapEnum(kind.status.values, hubspotProperty(record, kind.status.property)),
  };
}

/** `hs_task_priority` → Talkdesk priority. */
export const HUBSPOT_TASK_PRIORITY: Record<string, TalkdeskPriority> = {
  NONE: 'none',
  LOW: 'low',
  MEDIUM: 'normal',
  HIGH: 'high',
};

/** `hs_task_status` → Talkdesk status. Waiting on someone, or put off, is Talkdesk's `pending`. */
export const HUBSPOT_TASK_STATUS: Record<string, TalkdeskStatus> = {
  NOT_STARTED: 'new',
  IN_PROGRESS: 'open',
  WAITING: 'pending',
  DEFERRED: 'pending',
  COMPLETED: 'solved',
};

/**
 * HubSpot notes become Talkdesk `note`s. A note has no title: its HTML body is the description, and the core makes
 * the body's first line, cut short, its subject.
 */
export const HUBSPOT_NOTES = hubspotEngagementKind({
  type: 'note',
  objectType: 'notes',
  objectTypeId: '0-46',
  body: 'hs_note_body',
});

/** HubSpot tasks become Talkdesk `task`s, dated by `hs_timestamp`, which for a task is its due date. */
export const HUBSPOT_TASKS = hubspotEngagementKind({
  type: 'task',
  objectType: 'tasks',
  objectTypeId: '0-27',
  title: 'hs_task_subject',
  body: 'hs_task_body',
  priority: { property: 'hs_task_priority', values: HUBSPOT_TASK_PRIORITY },
  status: { property: 'hs_task_status', values: HUBSPOT_TASK_STATUS },
});
