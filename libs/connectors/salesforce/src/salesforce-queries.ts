import { soqlString, soslTerm } from './salesforce-query-text.js';

/**
 * Every SOQL and SOSL text the connector sends, in one place. Values are escaped (salesforce-query-text.ts); ids
 * are checked against SALESFORCE_ID before they get here; a composite reference (`@{contacts.records[0].Id}`) is
 * put inside the quotes, where Salesforce substitutes the record id before it parses the query.
 */

export const SALESFORCE_TYPES = ['case', 'task', 'call', 'note'] as const;
export type SalesforceType = (typeof SALESFORCE_TYPES)[number];

export function isSalesforceType(type: string): type is SalesforceType {
  return (SALESFORCE_TYPES as readonly string[]).includes(type);
}

/**
 * The objects a contact can be, Contacts before Leads (docs/contract.md, "Salesforce"). Converted Leads are Contacts by
 * then.
 */
export type PersonObject = 'Contact' | 'Lead';

/** Contact ids start with `003`, Lead ids with `00Q` (the key prefixes of the two objects). */
export function personObjectOf(id: string): PersonObject | undefined {
  if (id.startsWith('003')) return 'Contact';
  if (id.startsWith('00Q')) return 'Lead';
  return undefined;
}

/** Every phone field of each object, so a contact matches by any of its numbers, not only the main one. */
export const PHONE_FIELDS: Record<PersonObject, string[]> = {
  Contact: ['Phone', 'MobilePhone', 'HomePhone', 'OtherPhone'],
  Lead: ['Phone', 'MobilePhone'],
};

export function personFields(object: PersonObject): string[] {
  return ['Id', 'Name', 'Email', ...PHONE_FIELDS[object]];
}

/** Leads already converted became Contacts; counting them again would show the same person twice. */
const OPEN_LEADS = 'IsConverted = false';

/** A contact lookup by exact field values (`Email` or `Name`), newest first. */
export function personLookupSoql(
  object: PersonObject,
  field: 'Email' | 'Name',
  values: string[],
  limit: number,
): string {
  const where = `${field} IN (${values.map(soqlString).join(', ')})`;
  const leadsOnly = object === 'Lead' ? ` AND ${OPEN_LEADS}` : '';
  return `SELECT ${personFields(object).join(', ')} FROM ${object} WHERE ${where}${leadsOnly} ORDER BY CreatedDate DESC, Id DESC LIMIT ${limit}`;
}

/**
 * One SOSL search for every asked number: `FIND {4045550127 OR 5555555555} IN PHONE FIELDS`, which Salesforce
 * matches whatever format the number was stored in (Salesforce's sample search() call passes bare digits,
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sample_search_call.htm). `digits` are national
 * numbers, digits only, so no SOSL reserved character can occur; the caller checks that.
 */
export function phoneSearchSosl(digits: string[], limit: number): string {
  const returning = (['Contact', 'Lead'] as const).map((object) => {
    const where = object === 'Lead' ? ` WHERE ${OPEN_LEADS}` : '';
    return `${object}(${personFields(object).join(', ')}${where} ORDER BY CreatedDate DESC LIMIT ${limit})`;
  });
  // Escaped all the same, so that a future caller passing something else cannot open the braces.
  return `FIND {${digits.map(soslTerm).join(' OR ')}} IN PHONE FIELDS RETURNING ${returning.join(', ')}`;
}

/** Whose interactions a query reads: a reference to an earlier subrequest's record, or known ids. */
export type Who = { reference: string } | { ids: string[] };

/**
 * Where a composite reference (`@{people.records[0].Id}`) stands in a query's text, marked with two control
 * characters that no escaped value can hold (soqlString writes every control character as `\uXXXX`). The composite
 * call turns only these marks into `@{…}`: a value that itself reads `@{…}` is URL-encoded with the rest, so
 * Salesforce never takes it for a reference.
 */
export const REFERENCE_START = '\u0001';
export const REFERENCE_END = '\u0002';

function whoEquals(field: string, who: Who): string {
  if ('reference' in who) return `${field} = '${REFERENCE_START}${who.reference}${REFERENCE_END}'`;
  return who.ids.length === 1
    ? `${field} = ${soqlString(who.ids[0]!)}`
    : `${field} IN (${who.ids.map(soqlString).join(', ')})`;
}

/**
 * The queries a screen pop can send, by the object each reads; a composite holds at most 5 queries (the person
 * lookup and these four). One Task query answers both `task` and `call`; `note` reads ContentNotes and classic Notes.
 */
export const SALESFORCE_QUERIES = ['Case', 'Task', 'ContentNote', 'Note'] as const;
export type SalesforceQuery = (typeof SALESFORCE_QUERIES)[number];

/** The queries each interaction type reads. */
export const QUERIES_OF_TYPE: Record<SalesforceType, SalesforceQuery[]> = {
  case: ['Case'],
  task: ['Task'],
  call: ['Task'],
  note: ['ContentNote', 'Note'],
};

/** The field that links a query's record to its person, to split one query's answer between several contacts. */
export const LINK_FIELD: Record<SalesforceQuery, string | undefined> = {
  Case: 'ContactId',
  Task: 'WhoId',
  Note: 'ParentId',
  // A ContentNote is linked through ContentDocumentLink, which the query reads as a semi-join: it cannot say which
  // of several contacts a note belongs to (see SalesforceApi).
  ContentNote: undefined,
};

/** `TaskSubtype` of a logged call (docs/contract.md, "Salesforce"); every other Task, subtype or none, is a `task`. */
export function isCallTask(record: { TaskSubtype?: unknown }): boolean {
  return record.TaskSubtype === 'Call';
}

/**
 * How many Tasks the Task query reads at most: one batch at Salesforce's default size. The query has no subtype
 * filter (it answers `task` and `call` together), so the newest `limit` of each kind are found by reading newest
 * first until both have `limit` or the person's Tasks end, within this bound.
 */
export const TASK_QUERY_LIMIT = 2000;

const NEWEST = 'ORDER BY CreatedDate DESC, Id DESC';

/**
 * The SOQL of one query:
 * - Case: Cases whose ContactId is the person (a Lead has no Cases).
 * - Task: Tasks whose WhoId is the person, calls and others together. `TaskSubtype` is `Call` for logged calls
 *   (Task, Object Reference,
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm);
 *   the connector splits them (isCallTask), so older tasks without a subtype stay tasks.
 * - ContentNote: ContentNotes (Lightning notes) linked to the person. ContentDocumentLink can only be queried with a
 *   filter on LinkedEntityId or ContentDocumentId ("ContentDocumentLink", Object Reference,
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentdocumentlink.htm),
 *   which the semi-join has. The body (`Content`) is a base64 blob that composite cannot return ("sObject Blob Get
 *   … aren't supported in a Composite API request"), so the note's text is `TextPreview`, "a preview of the note, up
 *   to 255 characters" (AttachedContentNote, Object Reference,
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_attachedcontentnote.htm).
 * - Note: classic Notes whose ParentId is the person, for orgs that still use them (Note, Object
 *   Reference, https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_note.htm).
 *   `Body` is a long text area: selected, never filtered.
 */
export function interactionSoql(query: SalesforceQuery, who: Who, limit: number): string {
  switch (query) {
    case 'Case':
      return `SELECT Id, ContactId, Subject, Description, CreatedDate, Priority, Status, IsClosed FROM Case WHERE ${whoEquals('ContactId', who)} ${NEWEST} LIMIT ${limit}`;
    case 'Task':
      return `SELECT Id, WhoId, Subject, Description, ActivityDate, CreatedDate, Priority, Status, IsClosed, TaskSubtype FROM Task WHERE ${whoEquals('WhoId', who)} ${NEWEST} LIMIT ${limit}`;
    case 'ContentNote':
      return `SELECT Id, Title, TextPreview, CreatedDate FROM ContentNote WHERE Id IN (SELECT ContentDocumentId FROM ContentDocumentLink WHERE ${whoEquals('LinkedEntityId', who)}) ${NEWEST} LIMIT ${limit}`;
    case 'Note':
      return `SELECT Id, ParentId, Title, Body, CreatedDate, IsPrivate FROM Note WHERE ${whoEquals('ParentId', who)} ${NEWEST} LIMIT ${limit}`;
  }
}
