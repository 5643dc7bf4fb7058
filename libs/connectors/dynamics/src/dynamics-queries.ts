/**
 * Every OData query the connector sends to the Dataverse Web API, in one place. Values from a request reach a query
 * only through `odataString` (emails, names) or as digits (phones) and GUIDs checked before use.
 *
 * Query options used: `$select`, `$filter` (`eq`, `and`, `or`, `contains`, the `any` lambda operator and a lookup
 * column of a single-valued navigation property), `$orderby` and `$top` ("Query data using the Web API",
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/overview; "Filter rows using
 * OData", https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/filter-rows).
 */

export type DynamicsType = 'case' | 'task' | 'call' | 'note';

export const DYNAMICS_TYPES: readonly DynamicsType[] = ['case', 'task', 'call', 'note'];

export function isDynamicsType(type: string): type is DynamicsType {
  return (DYNAMICS_TYPES as readonly string[]).includes(type);
}

/** A Dataverse primary key: a GUID (Edm.Guid), written in URLs and filters without quotes. Anything else names no row. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The GUID as Dataverse writes it (lower case), or undefined when `id` is not one (with or without braces). */
export function guidOf(id: string): string | undefined {
  const bare = id
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .toLowerCase();
  return GUID.test(bare) ? bare : undefined;
}

/**
 * An OData string literal: in single quotes, a quote inside doubled ("Filter rows using OData", Manage single quotes:
 * "replace the single quote character with two consecutive single quote characters"). Other special characters are
 * URL-encoded on the wire by the HTTP client, as the same page asks ("URL encode special characters"). `%`, `_` and
 * `[` are wildcards only in `contains`, `startswith` and `endswith` ("Use wildcard characters in conditions for string
 * values", https://learn.microsoft.com/en-us/power-apps/developer/data-platform/wildcard-characters); the connector
 * compares request values only with `eq`, so they stay literal.
 */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Contacts are the people the bridge looks up; only active ones (statecode 0, Active) are customers to pop (Contact
 * table reference, https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/contact).
 */
export const CONTACT_COLUMNS = [
  'contactid',
  'fullname',
  'emailaddress1',
  'emailaddress2',
  'emailaddress3',
  'telephone1',
  'telephone2',
  'telephone3',
  'mobilephone',
  'statecode',
] as const;

export const CONTACT_EMAIL_COLUMNS = ['emailaddress1', 'emailaddress2', 'emailaddress3'] as const;
/** Business, home, third and mobile phone: free-form text columns (format Phone). */
export const CONTACT_PHONE_COLUMNS = ['telephone1', 'telephone2', 'telephone3', 'mobilephone'] as const;

const ACTIVE = 'statecode eq 0';

/** Active contacts holding any of these emails in any of their three email columns (string filters are case-insensitive). */
export function contactsByEmailFilter(emails: string[]): string {
  const terms = emails.flatMap((email) => CONTACT_EMAIL_COLUMNS.map((column) => `${column} eq ${odataString(email)}`));
  return `${ACTIVE} and (${terms.join(' or ')})`;
}

/** Active contacts whose full name is exactly this one. */
export function contactsByNameFilter(name: string): string {
  return `${ACTIVE} and fullname eq ${odataString(name)}`;
}

/**
 * The format-insensitive phone match: each number's digits with the `%` wildcard between them, in `contains`, so
 * `4%0%4%5%5%5%0%1%2%7` matches `(404) 555-0127`, `+1 404.555.0127`, `4045550127` and any other spelling of those
 * digits in that order, in one condition per phone column ("Use wildcard characters in conditions for string values":
 * `%` "matches any string of zero or more characters"). Digits only, so nothing needs escaping, and no pattern starts
 * or ends with a wildcard of its own. The core keeps only contacts whose number parses to the same E.164.
 *
 * Microsoft documents the cost: `contains` is a leading wildcard, which cannot use an index and which Dataverse
 * throttles when it endangers the org ("Optimize performance using OData", Avoid leading wild cards in filter
 * conditions, https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/optimize-performance).
 * The alternative it names, Dataverse search, allows one request per second and user ("Service protection API
 * limits", FAQ), which a contact centre's phone lookups would exceed at once; docs/crms/dynamics.md says more.
 */
export function contactsByPhoneFilter(digitStrings: string[]): string {
  const terms = digitStrings.flatMap((digits) => {
    const pattern = [...digits].join('%');
    return CONTACT_PHONE_COLUMNS.map((column) => `contains(${column},'${pattern}')`);
  });
  return `${ACTIVE} and (${terms.join(' or ')})`;
}

/** One interaction type's rows: its entity set, columns, the filter naming the contact, and its primary key. */
export interface TypeQuery {
  entitySet: string;
  /** The table's logical name, for record URLs (`etn=`). */
  entity: string;
  key: string;
  select: readonly string[];
  filter: (contactId: string) => string;
}

/**
 * Per type, the rows that belong to a contact (`contactId` is a checked GUID):
 * - `case`: incidents whose customer is the contact (`customerid`, a Customer lookup to account or contact);
 * - `task`: tasks regarding the contact;
 * - `call`: phone calls regarding the contact, or with the contact as a party (from, to…: the `any` lambda operator
 *   over `phonecall_activity_parties`, "Filter using values of related collections");
 * - `note`: notes (annotations) on the contact, or on one of the contact's cases (the lookup column of the
 *   `objectid_incident` single-valued navigation property, "Filter using lookup column property values").
 * Columns are those of the table references: Case (Incident),
 * https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incident; Task, Phone Call, Note
 * (Annotation) and Activity Party, https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/task
 * (…/phonecall, …/annotation, …/activityparty).
 */
export const TYPE_QUERIES: Record<DynamicsType, TypeQuery> = {
  case: {
    entitySet: 'incidents',
    entity: 'incident',
    key: 'incidentid',
    select: [
      'incidentid',
      'title',
      'description',
      'ticketnumber',
      'createdon',
      'statecode',
      'statuscode',
      'prioritycode',
    ],
    filter: (id) => `_customerid_value eq ${id}`,
  },
  task: {
    entitySet: 'tasks',
    entity: 'task',
    key: 'activityid',
    select: [
      'activityid',
      'subject',
      'description',
      'scheduledend',
      'createdon',
      'statecode',
      'statuscode',
      'prioritycode',
    ],
    filter: (id) => `_regardingobjectid_value eq ${id}`,
  },
  call: {
    entitySet: 'phonecalls',
    entity: 'phonecall',
    key: 'activityid',
    select: [
      'activityid',
      'subject',
      'description',
      'actualstart',
      'createdon',
      'statecode',
      'statuscode',
      'prioritycode',
    ],
    filter: (id) => `_regardingobjectid_value eq ${id} or phonecall_activity_parties/any(p:p/_partyid_value eq ${id})`,
  },
  note: {
    entitySet: 'annotations',
    entity: 'annotation',
    key: 'annotationid',
    select: ['annotationid', 'subject', 'notetext', 'createdon', '_objectid_value', 'objecttypecode'],
    filter: (id) => `_objectid_value eq ${id} or objectid_incident/_customerid_value eq ${id}`,
  },
};

/** The query options of one type's newest rows for a contact: newest created first, ties by key. */
export function typeQueryOptions(type: DynamicsType, contactId: string, top: number): Record<string, string | number> {
  const query = TYPE_QUERIES[type];
  return {
    $select: query.select.join(','),
    $filter: query.filter(contactId),
    $orderby: `createdon desc,${query.key} desc`,
    $top: top,
  };
}
