import {
  mapEnum,
  textField,
  type MappedInteraction,
  type TalkdeskPriority,
  type TalkdeskStatus,
  type UpstreamRecord,
} from '#interactions';
import { dataverseDate, type RecordUrl } from './dynamics-record.js';

/**
 * Case `prioritycode` (Case (Incident) table reference, PriorityCode choices,
 * https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/incident): 1 High, 2 Normal, 3 Low.
 * A value an org added is left out.
 */
export const DYNAMICS_CASE_PRIORITY: Record<string, TalkdeskPriority> = { '1': 'high', '2': 'normal', '3': 'low' };

/**
 * Case status from the same reference: `statecode` 0 Active, 1 Resolved, 2 Canceled, and the Active status reasons
 * (`statuscode`) 1 In Progress, 2 On Hold, 3 Waiting for Details, 4 Researching. Resolved is solved, Canceled (and
 * Merged, a Canceled reason) closed; on hold and waiting are pending; other active reasons, an org's own included,
 * are open. The codes are the documented values, not labels, which orgs translate and rename.
 */
export function dynamicsCaseStatus(row: UpstreamRecord): TalkdeskStatus | undefined {
  const state = textField(row, 'statecode');
  if (state === '1') return 'solved';
  if (state === '2') return 'closed';
  if (state !== '0') return undefined;
  const reason = textField(row, 'statuscode');
  return reason === '2' || reason === '3' ? 'pending' : 'open';
}

/** An incident as a `case`: its title and description, dated by its creation. */
export function dynamicsIncidentToInteraction(row: UpstreamRecord, url: RecordUrl): MappedInteraction {
  const id = textField(row, 'incidentid') ?? '';
  return {
    id,
    type: 'case',
    subject: textField(row, 'title') ?? '',
    description: textField(row, 'description'),
    date: dataverseDate(row, 'createdon'),
    url: id ? url('incident', id) : undefined,
    priority: mapEnum(DYNAMICS_CASE_PRIORITY, textField(row, 'prioritycode')),
    status: dynamicsCaseStatus(row),
  };
}
