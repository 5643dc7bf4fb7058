/**
 * The objects and fields the stand-in org knows, with the field types that change how a query may use them. A
 * field not listed here does not exist (INVALID_FIELD), an object not listed is not supported (INVALID_TYPE).
 * Long text areas (`Description`) cannot be filtered or sorted in SOQL, as in Salesforce.
 */
export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'picklist'
  | 'datetime'
  | 'date'
  | 'boolean'
  | 'base64';

export const SCHEMA: Record<string, Record<string, FieldType>> = {
  Contact: {
    Id: 'id',
    Name: 'string',
    FirstName: 'string',
    LastName: 'string',
    Email: 'email',
    Phone: 'phone',
    MobilePhone: 'phone',
    HomePhone: 'phone',
    OtherPhone: 'phone',
    CreatedDate: 'datetime',
  },
  Lead: {
    Id: 'id',
    Name: 'string',
    FirstName: 'string',
    LastName: 'string',
    Email: 'email',
    Phone: 'phone',
    MobilePhone: 'phone',
    IsConverted: 'boolean',
    CreatedDate: 'datetime',
  },
  Case: {
    Id: 'id',
    ContactId: 'reference',
    Subject: 'string',
    Description: 'textarea',
    CreatedDate: 'datetime',
    Priority: 'picklist',
    Status: 'picklist',
    IsClosed: 'boolean',
  },
  Task: {
    Id: 'id',
    WhoId: 'reference',
    Subject: 'string',
    Description: 'textarea',
    ActivityDate: 'date',
    CreatedDate: 'datetime',
    Priority: 'picklist',
    Status: 'picklist',
    IsClosed: 'boolean',
    TaskSubtype: 'picklist',
  },
  ContentNote: { Id: 'id', Title: 'string', TextPreview: 'string', Content: 'base64', CreatedDate: 'datetime' },
  ContentDocumentLink: { Id: 'id', ContentDocumentId: 'reference', LinkedEntityId: 'reference', ShareType: 'picklist' },
  /** The classic Note: ParentId is the record it is attached to (here a Contact or Lead); Body is a long text area. */
  Note: {
    Id: 'id',
    ParentId: 'reference',
    Title: 'string',
    Body: 'textarea',
    CreatedDate: 'datetime',
    IsPrivate: 'boolean',
  },
};

/** Key prefixes of record ids, by object. */
export const KEY_PREFIX: Record<string, string> = {
  Contact: '003',
  Lead: '00Q',
  Case: '500',
  Task: '00T',
  ContentNote: '069',
  ContentDocumentLink: '06A',
  Note: '002',
};

export type SObject = Record<string, unknown> & { Id: string };

/** The object's canonical name, whatever the case it was written in. */
export function objectName(name: string): string | undefined {
  return Object.keys(SCHEMA).find((object) => object.toLowerCase() === name.toLowerCase());
}

/** The field's canonical name on this object, whatever the case it was written in. */
export function fieldName(object: string, name: string): string | undefined {
  return Object.keys(SCHEMA[object] ?? {}).find((field) => field.toLowerCase() === name.toLowerCase());
}

export const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Ids compare on their first 15 characters: the 18-character form only adds a case-safe suffix. */
export function sameId(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.slice(0, 15) === b.slice(0, 15);
}
