import {
  mapEnum,
  textField,
  toTalkdeskDate,
  type MappedInteraction,
  type TalkdeskPriority,
  type TalkdeskStatus,
  type UpstreamRecord,
} from '#interactions';

/**
 * Case `Priority` (docs/contract.md, "Salesforce"): High → high, Medium → normal, Low → low. Other values are left out.
 */
export const SALESFORCE_CASE_PRIORITY: Record<string, TalkdeskPriority> = {
  High: 'high',
  Medium: 'normal',
  Low: 'low',
};

/** Task `Priority`: Salesforce's standard values are High, Normal and Low. */
export const SALESFORCE_TASK_PRIORITY: Record<string, TalkdeskPriority> = {
  High: 'high',
  Normal: 'normal',
  Low: 'low',
};

/** Task `Status` (docs/contract.md, "Salesforce"). A status an org added is left out unless the task is closed. */
export const SALESFORCE_TASK_STATUS: Record<string, TalkdeskStatus> = {
  'Not Started': 'new',
  'In Progress': 'open',
  'Waiting on someone else': 'pending',
  Deferred: 'pending',
  Completed: 'solved',
};

/** The page an agent opens; the session knows the org's instance URL. */
export type RecordUrl = (object: string, id: string) => string;

/**
 * Salesforce writes date-times as `2026-10-02T14:05:00.000+0000` and dates (`ActivityDate`) as `2026-10-02`; the
 * core's toTalkdeskDate reads both (an offset with or without its colon; a date alone is midnight UTC).
 */
const salesforceDate = (record: UpstreamRecord, field: string): string =>
  toTalkdeskDate(textField(record, field)) ?? '';

/**
 * Case `Status` comes from the org's own case statuses (docs/contract.md, "Salesforce"): `IsClosed` decides closed,
 * `New` is new, and the others are open or pending as their names say (waiting, on hold, pending → pending).
 */
export function salesforceCaseStatus(record: UpstreamRecord): TalkdeskStatus | undefined {
  if (record.IsClosed === true) return 'closed';
  const status = textField(record, 'Status');
  if (!status) return undefined;
  if (status.trim().toLowerCase() === 'new') return 'new';
  return /\b(wait|waiting|hold|pending)\b/i.test(status) ? 'pending' : 'open';
}

/**
 * The mappings only read fields: the core makes subject and description plain text, falls back to the description's
 * first line (else the type) for a missing subject, and dates an item by `createdDate` when its own date is missing
 * (finaliseInteraction).
 */
const subjectOf = (record: UpstreamRecord): string => textField(record, 'Subject') ?? textField(record, 'Title') ?? '';

export function salesforceCaseToInteraction(record: UpstreamRecord, url: RecordUrl): MappedInteraction {
  const id = textField(record, 'Id') ?? '';
  return {
    id,
    type: 'case',
    subject: subjectOf(record),
    description: textField(record, 'Description'),
    date: salesforceDate(record, 'CreatedDate'),
    url: id ? url('Case', id) : undefined,
    priority: mapEnum(SALESFORCE_CASE_PRIORITY, textField(record, 'Priority') ?? ''),
    status: salesforceCaseStatus(record),
  };
}

/** A Task as a `task` (dated by its due date, else its creation) or a `call` (dated when it was logged). */
export function salesforceTaskToInteraction(
  record: UpstreamRecord,
  type: 'task' | 'call',
  url: RecordUrl,
): MappedInteraction {
  const id = textField(record, 'Id') ?? '';
  const status = textField(record, 'Status');
  return {
    id,
    type,
    subject: subjectOf(record),
    description: textField(record, 'Description'),
    date: salesforceDate(record, type === 'task' ? 'ActivityDate' : 'CreatedDate'),
    createdDate: salesforceDate(record, 'CreatedDate'),
    url: id ? url('Task', id) : undefined,
    priority: mapEnum(SALESFORCE_TASK_PRIORITY, textField(record, 'Priority') ?? ''),
    status:
      (status ? mapEnum(SALESFORCE_TASK_STATUS, status) : undefined) ??
      (record.IsClosed === true ? 'solved' : undefined),
  };
}

/**
 * A ContentNote: its title, and its text preview (notes are HTML). Its page is the ContentDocument's (a note's id is
 * its document's id): Lightning navigation does not support ContentNote record ids ("force:navigateToSObject":
 * "Record IDs corresponding to ContentNote SObjects aren't supported").
 */
export function salesforceNoteToInteraction(record: UpstreamRecord, url: RecordUrl): MappedInteraction {
  const id = textField(record, 'Id') ?? '';
  return {
    id,
    type: 'note',
    subject: subjectOf(record),
    description: textField(record, 'TextPreview'),
    date: salesforceDate(record, 'CreatedDate'),
    url: id ? url('ContentDocument', id) : undefined,
  };
}

/** A classic Note (for orgs that still use them): its title and body. Its page is its own record page. */
export function salesforceClassicNoteToInteraction(record: UpstreamRecord, url: RecordUrl): MappedInteraction {
  const id = textField(record, 'Id') ?? '';
  return {
    id,
    type: 'note',
    subject: subjectOf(record),
    description: textField(record, 'Body'),
    date: salesforceDate(record, 'CreatedDate'),
    url: id ? url('Note', id) : undefined,
  };
}
