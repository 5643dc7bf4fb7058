import { textField, type MappedInteraction, type UpstreamRecord } from '#interactions';
import { dataverseDate, type RecordUrl } from './dynamics-record.js';

/** The tables whose notes the bridge reads: the contact's own, and its cases'. */
const NOTE_PARENTS = new Set(['contact', 'incident']);

/**
 * A note (annotation) as a `note`: its title and its text, which the rich text editor writes as HTML (the core makes
 * it plain text), dated by its creation. A note has no page of its own in the web client: it is shown on its parent
 * row's timeline, so its `url` is the parent's page (`objectid`, and `objecttypecode`, the parent's table; Note
 * (Annotation) table reference, https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/annotation).
 */
export function dynamicsAnnotationToInteraction(row: UpstreamRecord, url: RecordUrl): MappedInteraction {
  const parent = textField(row, '_objectid_value');
  const parentTable = textField(row, 'objecttypecode');
  return {
    id: textField(row, 'annotationid') ?? '',
    type: 'note',
    subject: textField(row, 'subject') ?? '',
    description: textField(row, 'notetext'),
    date: dataverseDate(row, 'createdon'),
    url: parent && parentTable && NOTE_PARENTS.has(parentTable) ? url(parentTable, parent) : undefined,
  };
}
