/**
 * The CRM object types the sandbox serves, as HubSpot describes them: path name, type id, the properties it knows,
 * which of them come back when a caller names none, and how contacts are associated with it. Every route is generic
 * over this table, so a new type (data for `calls` say) is seed records and nothing else.
 */

/** How a property's values compare in search filters and sorts. */
export type PropertyKind = 'string' | 'enumeration' | 'number' | 'datetime';

export interface HubspotObjectType {
  /** In paths: `contacts`, `tickets`, … */
  name: string;
  /** HubSpot also accepts the singular in paths: `contact`, `ticket`, … */
  singular: string;
  /** `0-1`, `0-5`, …: also accepted in paths, and part of record urls in HubSpot's UI. */
  objectTypeId: string;
  /** As HubSpot spells the type in batch errors ("Could not get some TICKET objects"). */
  errorName: string;
  /** The property holding the creation time (`createdate`; `hs_createdate` for engagements). */
  createdProperty: string;
  /** The property holding the last change (`lastmodifieddate` for contacts, `hs_lastmodifieddate` elsewhere). */
  modifiedProperty: string;
  /** Every property the type has, with its kind. Requested names outside this list are left out of answers. */
  properties: Readonly<Record<string, PropertyKind>>;
  /** Returned when the caller names no properties. */
  defaultProperties: readonly string[];
  /** Properties whose values identify one record (`idProperty` in reads). */
  uniqueProperties: readonly string[];
  /** Read by the search body's free-text `query`. */
  queryProperties: readonly string[];
}

const common = (created: string, modified: string): Record<string, PropertyKind> => ({
  hs_object_id: 'number',
  [created]: 'datetime',
  [modified]: 'datetime',
});

const contacts: HubspotObjectType = {
  name: 'contacts',
  singular: 'contact',
  objectTypeId: '0-1',
  errorName: 'CONTACT',
  createdProperty: 'createdate',
  modifiedProperty: 'lastmodifieddate',
  properties: {
    ...common('createdate', 'lastmodifieddate'),
    email: 'string',
    firstname: 'string',
    lastname: 'string',
    phone: 'string',
    mobilephone: 'string',
    hs_searchable_calculated_phone_number: 'string',
    hs_searchable_calculated_mobile_number: 'string',
    hs_additional_emails: 'string',
    company: 'string',
    jobtitle: 'string',
    city: 'string',
    country: 'string',
    lifecyclestage: 'enumeration',
  },
  defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  uniqueProperties: ['hs_object_id', 'email'],
  queryProperties: ['firstname', 'lastname', 'email', 'phone', 'mobilephone', 'company'],
};

const tickets: HubspotObjectType = {
  name: 'tickets',
  singular: 'ticket',
  objectTypeId: '0-5',
  errorName: 'TICKET',
  createdProperty: 'createdate',
  modifiedProperty: 'hs_lastmodifieddate',
  properties: {
    ...common('createdate', 'hs_lastmodifieddate'),
    subject: 'string',
    content: 'string',
    hs_pipeline: 'enumeration',
    hs_pipeline_stage: 'enumeration',
    hs_ticket_priority: 'enumeration',
    hs_ticket_category: 'enumeration',
    source_type: 'enumeration',
    closed_date: 'datetime',
  },
  defaultProperties: [
    'content',
    'createdate',
    'hs_lastmodifieddate',
    'hs_object_id',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_ticket_category',
    'hs_ticket_priority',
    'subject',
  ],
  uniqueProperties: ['hs_object_id'],
  queryProperties: ['subject', 'content'],
};

const engagement = (created = 'hs_createdate', modified = 'hs_lastmodifieddate') => ({
  createdProperty: created,
  modifiedProperty: modified,
  defaultProperties: [created, modified, 'hs_object_id'],
  uniqueProperties: ['hs_object_id'],
});

const notes: HubspotObjectType = {
  name: 'notes',
  singular: 'note',
  objectTypeId: '0-46',
  errorName: 'NOTE',
  ...engagement(),
  properties: { ...common('hs_createdate', 'hs_lastmodifieddate'), hs_note_body: 'string', hs_timestamp: 'datetime' },
  queryProperties: ['hs_note_body'],
};

const tasks: HubspotObjectType = {
  name: 'tasks',
  singular: 'task',
  objectTypeId: '0-27',
  errorName: 'TASK',
  ...engagement(),
  properties: {
    ...common('hs_createdate', 'hs_lastmodifieddate'),
    hs_task_subject: 'string',
    hs_task_body: 'string',
    hs_task_status: 'enumeration',
    hs_task_priority: 'enumeration',
    hs_task_type: 'enumeration',
    hs_timestamp: 'datetime',
  },
  queryProperties: ['hs_task_subject', 'hs_task_body'],
};

const calls: HubspotObjectType = {
  name: 'calls',
  singular: 'call',
  objectTypeId: '0-48',
  errorName: 'CALL',
  ...engagement(),
  properties: {
    ...common('hs_createdate', 'hs_lastmodifieddate'),
    hs_call_title: 'string',
    hs_call_body: 'string',
    hs_call_direction: 'enumeration',
    hs_call_disposition: 'enumeration',
    hs_call_status: 'enumeration',
    hs_call_duration: 'number',
    hs_call_from_number: 'string',
    hs_call_to_number: 'string',
    hs_timestamp: 'datetime',
  },
  queryProperties: ['hs_call_title', 'hs_call_body'],
};

/** Every type the sandbox knows, by path name. */
export const OBJECT_TYPES = { contacts, tickets, notes, tasks, calls } as const;

export type ObjectTypeName = keyof typeof OBJECT_TYPES;

export const OBJECT_TYPE_NAMES = Object.keys(OBJECT_TYPES) as ObjectTypeName[];

/** `contacts`, `contact`, `CONTACTS`, `0-1` → the contacts type; undefined for anything else. */
export function resolveObjectType(raw: string): HubspotObjectType | undefined {
  const wanted = raw.trim().toLowerCase();
  return Object.values(OBJECT_TYPES).find(
    (type) => type.name === wanted || type.singular === wanted || type.objectTypeId === wanted,
  );
}

/** The properties an answer carries besides the requested ones: the id and the two timestamps. */
export function alwaysReturned(type: HubspotObjectType): string[] {
  return [type.createdProperty, type.modifiedProperty, 'hs_object_id'];
}

/**
 * HubSpot-defined association type ids (category `HUBSPOT_DEFINED`), one per direction: contact → ticket is 15,
 * ticket → contact 16, and so on.
 */
const ASSOCIATION_TYPE_IDS: Record<string, number> = {
  'contacts->tickets': 15,
  'tickets->contacts': 16,
  'contacts->calls': 194,
  'calls->contacts': 193,
  'contacts->notes': 202,
  'notes->contacts': 201,
  'contacts->tasks': 204,
  'tasks->contacts': 203,
};

/** The HubSpot-defined association type id from one type to another, if HubSpot defines one. */
export function associationTypeId(from: HubspotObjectType, to: HubspotObjectType): number | undefined {
  return ASSOCIATION_TYPE_IDS[`${from.name}->${to.name}`];
}
