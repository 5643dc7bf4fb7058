/**
 * The tables the stand-in org knows, with the column types that decide how a query may use them, and the navigation
 * properties the connector's filters follow. A column not listed does not exist; a table not listed is not there
 * (Dataverse's own answer for each: a 400 or 404 with its error body). Names and types follow the Dataverse and
 * Dynamics 365 table references (contact, incident, task, phonecall, annotation, activityparty).
 */
export type ColumnType = 'guid' | 'string' | 'memo' | 'int' | 'datetime' | 'bool';

export interface Table {
  /** The logical name: `contact`. */
  name: string;
  entitySet: string;
  key: string;
  columns: Record<string, ColumnType>;
  /** Single-valued navigation properties: the column holding the related row's id, and its table. */
  single?: Record<string, { column: string; table: string; typeColumn?: string }>;
  /** Collection-valued navigation properties: the related table and its column naming this row. */
  collections?: Record<string, { table: string; column: string }>;
}

const ACTIVITY_COLUMNS: Record<string, ColumnType> = {
  activityid: 'guid',
  subject: 'string',
  description: 'memo',
  _regardingobjectid_value: 'guid',
  regardingobjecttypecode: 'string',
  scheduledstart: 'datetime',
  scheduledend: 'datetime',
  actualstart: 'datetime',
  actualend: 'datetime',
  createdon: 'datetime',
  modifiedon: 'datetime',
  statecode: 'int',
  statuscode: 'int',
  prioritycode: 'int',
};

export const TABLES: Record<string, Table> = {
  contact: {
    name: 'contact',
    entitySet: 'contacts',
    key: 'contactid',
    columns: {
      contactid: 'guid',
      firstname: 'string',
      lastname: 'string',
      fullname: 'string',
      emailaddress1: 'string',
      emailaddress2: 'string',
      emailaddress3: 'string',
      telephone1: 'string',
      telephone2: 'string',
      telephone3: 'string',
      mobilephone: 'string',
      createdon: 'datetime',
      modifiedon: 'datetime',
      statecode: 'int',
      statuscode: 'int',
    },
  },
  incident: {
    name: 'incident',
    entitySet: 'incidents',
    key: 'incidentid',
    columns: {
      incidentid: 'guid',
      title: 'string',
      description: 'memo',
      ticketnumber: 'string',
      _customerid_value: 'guid',
      createdon: 'datetime',
      modifiedon: 'datetime',
      statecode: 'int',
      statuscode: 'int',
      prioritycode: 'int',
    },
  },
  task: { name: 'task', entitySet: 'tasks', key: 'activityid', columns: ACTIVITY_COLUMNS },
  phonecall: {
    name: 'phonecall',
    entitySet: 'phonecalls',
    key: 'activityid',
    columns: { ...ACTIVITY_COLUMNS, phonenumber: 'string', directioncode: 'bool' },
    collections: { phonecall_activity_parties: { table: 'activityparty', column: '_activityid_value' } },
  },
  annotation: {
    name: 'annotation',
    entitySet: 'annotations',
    key: 'annotationid',
    columns: {
      annotationid: 'guid',
      subject: 'string',
      notetext: 'memo',
      _objectid_value: 'guid',
      objecttypecode: 'string',
      isdocument: 'bool',
      createdon: 'datetime',
      modifiedon: 'datetime',
    },
    single: {
      objectid_contact: { column: '_objectid_value', table: 'contact', typeColumn: 'objecttypecode' },
      objectid_incident: { column: '_objectid_value', table: 'incident', typeColumn: 'objecttypecode' },
    },
  },
  activityparty: {
    name: 'activityparty',
    entitySet: 'activityparties',
    key: 'activitypartyid',
    columns: {
      activitypartyid: 'guid',
      _activityid_value: 'guid',
      _partyid_value: 'guid',
      partyobjecttypecode: 'string',
      participationtypemask: 'int',
    },
  },
};

export const TABLE_BY_SET: Record<string, Table> = Object.fromEntries(
  Object.values(TABLES).map((table) => [table.entitySet, table]),
);

/** A row: column values as Dataverse returns them (GUIDs lower case, dates ISO 8601 in UTC, choices as integers). */
export type Row = Record<string, string | number | boolean | null>;
