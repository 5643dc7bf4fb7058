import {
  mapEnum,
  subjectFromText,
  textField,
  toPlainText,
  toTalkdeskDate,
  type TalkdeskInteraction,
  type TalkdeskPriority,
  type TalkdeskStatus,
  type UpstreamRecord,
} from '#interactions';

/** Case `Priority` (product.md): High → high, Medium → normal, Low → low. Other values are left out. */
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

/** Task `Status` (product.md). A status an org added is left out unless the task is closed. */
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
 * Salesforce writes date-times as `2026-10-02T14:05:00.000+0000`; the offset without a colon is not ISO 8601 as
 * JavaScript's Date reads it everywhere, so it gets one. Dates (`ActivityDate`, `2026-10-02`) are midnight UTC.
 */
export function salesforceDate(value: string | undefined): string | undefined {
  return toTalkdeskDate(value?.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/**
 * Case `Status` comes from the org's own case statuses (product.md): `IsClosed` decides closed, `New` is new, and
 * the others are open or pending as their names say (waiting, on hold, pending → pending).
 */
export function salesforceCaseStatus(record: UpstreamRecord): TalkdeskStatus | undefined {
  if (record.IsClosed === true) return 'closed';
  const status = textField(record, 'Status');
  if (!status) return undefined;
  if (status.trim().toLowerCase() === 'new') return 'new';
  return /\b(wait|waiting|hold|pending)\b/i.test(status) ? 'pending' : 'open';
}

function subject(record: UpstreamRecord, textKey: string, fallback: string): string {
  const own = textField(record, 'Subject') ?? textField(record, 'Title');
  return own && own.trim() ? own : subjectFromText(textField(record, textKey), fallback);
}

export function salesforceCaseToInteraction(record: UpstreamRecord, url: RecordUrl): TalkdeskInteraction {
  const id = textField(record, 'Id') ?? '';
  return {
    id,
    type: 'case',
    subject: subject(record, 'Description', 'Case'),
    description: toPlainText(textField(record, 'Description')),
    date: salesforceDate(textField(record, 'CreatedDate')) ?? '',
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
): TalkdeskInteraction {
  const id = textField(record, 'Id') ?? '';
  const status = textField(record, 'Status');
  const dated =
    type === 'task'
      ? (textField(record, 'ActivityDate') ?? textField(record, 'CreatedDate'))
      : textField(record, 'CreatedDate');
  return {
    id,
    type,
    subject: subject(record, 'Description', type === 'call' ? 'Call' : 'Task'),
    description: toPlainText(textField(record, 'Description')),
    date: salesforceDate(dated) ?? '',
    url: id ? url('Task', id) : undefined,
    priority: mapEnum(SALESFORCE_TASK_PRIORITY, textField(record, 'Priority') ?? ''),
    status:
      (status ? mapEnum(SALESFORCE_TASK_STATUS, status) : undefined) ??
      (record.IsClosed === true ? 'solved' : undefined),
  };
}

/**
 * A ContentNote: its title, and its text preview stripped to plain text (notes are HTML). Its page is the
 * ContentDocument's (a note's id is its document's id): Lightning navigation does not support ContentNote record ids
 * ("force:navigateToSObject": "Record IDs corresponding to ContentNote SObjects aren't supported").
 */
export function salesforceNoteToInteraction(record: UpstreamRecord, url: RecordUrl): TalkdeskInteraction {
  const id = textField(record, 'Id') ?? '';
  return {
    id,
    type: 'note',
    subject: subject(record, 'TextPreview', 'Note'),
    description: toPlainText(textField(record, 'TextPreview')),
    date: salesforceDate(textField(record, 'CreatedDate')) ?? '',
    url: id ? url('ContentDocument', id) : undefined,
  };
}

/**
 * A classic Note (product.md: orgs that still use them): its title, and its body stripped to plain text. Its page is
 * the Note's own Lightning record page.
 */
export function salesforceClassicNoteToInteraction(record: UpstreamRecord, url: RecordUrl): TalkdeskInteraction {
  const id = textField(record, 'Id') ?? '';
  return {
    id,
    type: 'note',
    subject: subject(record, 'Body', 'Note'),
    description: toPlainText(textField(record, 'Body')),
    date: salesforceDate(textField(record, 'CreatedDate')) ?? '',
    url: id ? url('Note', id) : undefined,
  };
}
