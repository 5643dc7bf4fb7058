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

/** HubSpot notes (engagements) become Talkdesk `note`s. */
export const HUBSPOT_NOTES: HubspotObjectKind = {
  objectType: 'notes',
  objectTypeId: '0-46',
  createdProperty: 'hs_createdate',
  properties: ['hs_note_body', 'hs_timestamp'],
};

/** HubSpot tasks (engagements) become Talkdesk `task`s. */
export const HUBSPOT_TASKS: HubspotObjectKind = {
  objectType: 'tasks',
  objectTypeId: '0-27',
  createdProperty: 'hs_createdate',
  properties: ['hs_task_subject', 'hs_task_body', 'hs_timestamp', 'hs_task_priority', 'hs_task_status'],
};

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
 * A note as a Talkdesk `note`. A note has no title: its HTML body is the description, and the core makes the body's
 * first line, cut short, its subject. Dated by `hs_timestamp`, the time the note is about, else its creation.
 */
export function hubspotNoteToInteraction(note: UpstreamRecord, portal: HubspotPortal | undefined): MappedInteraction {
  const id = hubspotId(note);
  return {
    id,
    type: 'note',
    subject: '',
    description: hubspotProperty(note, 'hs_note_body'),
    date: toTalkdeskDate(hubspotProperty(note, 'hs_timestamp')) ?? '',
    createdDate: hubspotCreatedDate(note),
    url: hubspotRecordUrl(portal, HUBSPOT_NOTES.objectTypeId, id),
  };
}

/** A task as a Talkdesk `task`, dated by `hs_timestamp`, which for a task is its due date, else its creation. */
export function hubspotTaskToInteraction(task: UpstreamRecord, portal: HubspotPortal | undefined): MappedInteraction {
  const id = hubspotId(task);
  return {
    id,
    type: 'task',
    subject: hubspotProperty(task, 'hs_task_subject') ?? '',
    description: hubspotProperty(task, 'hs_task_body'),
    date: toTalkdeskDate(hubspotProperty(task, 'hs_timestamp')) ?? '',
    createdDate: hubspotCreatedDate(task),
    url: hubspotRecordUrl(portal, HUBSPOT_TASKS.objectTypeId, id),
    priority: mapEnum(HUBSPOT_TASK_PRIORITY, hubspotProperty(task, 'hs_task_priority')),
    status: mapEnum(HUBSPOT_TASK_STATUS, hubspotProperty(task, 'hs_task_status')),
  };
}
