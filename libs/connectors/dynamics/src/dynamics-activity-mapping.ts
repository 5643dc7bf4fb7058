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
 * Tasks and phone calls are activities with the same `prioritycode` choices, 0 Low, 1 Normal, 2 High, and the same
 * `statecode`, 0 Open, 1 Completed, 2 Canceled (Task and Phone Call table references,
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/task,
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/phonecall).
 */
export const DYNAMICS_ACTIVITY_PRIORITY: Record<string, TalkdeskPriority> = { '0': 'low', '1': 'normal', '2': 'high' };

const BY_STATE: Record<string, TalkdeskStatus> = { '0': 'open', '1': 'solved', '2': 'closed' };

/**
 * Status reasons (`statuscode`). Task: 2 Not Started, 3 In Progress, 4 Waiting on someone else and 7 Deferred (open
 * states), 5 Completed, 6 Canceled. Phone call: 1 Open, 2 Made and 4 Received (completed), 3 Canceled. A reason an org
 * added is read by its state.
 */
export const DYNAMICS_TASK_STATUS: Record<string, TalkdeskStatus> = {
  '2': 'new',
  '3': 'open',
  '4': 'pending',
  '7': 'pending',
  '5': 'solved',
  '6': 'closed',
};
export const DYNAMICS_PHONECALL_STATUS: Record<string, TalkdeskStatus> = {
  '1': 'open',
  '2': 'solved',
  '4': 'solved',
  '3': 'closed',
};

function activityStatus(row: UpstreamRecord, reasons: Record<string, TalkdeskStatus>): TalkdeskStatus | undefined {
  return mapEnum(reasons, textField(row, 'statuscode')) ?? mapEnum(BY_STATE, textField(row, 'statecode'));
}

/**
 * A task as a `task`, dated by its due date (`scheduledend`), else its creation; a phone call as a `call`, dated when
 * it took place (`actualstart`; the phone call form shows the creation time there until someone sets it), else its
 * creation.
 */
export function dynamicsActivityToInteraction(
  row: UpstreamRecord,
  type: 'task' | 'call',
  url: RecordUrl,
): MappedInteraction {
  const id = textField(row, 'activityid') ?? '';
  return {
    id,
    type,
    subject: textField(row, 'subject') ?? '',
    description: textField(row, 'description'),
    date: dataverseDate(row, type === 'task' ? 'scheduledend' : 'actualstart'),
    createdDate: dataverseDate(row, 'createdon'),
    url: id ? url(type === 'task' ? 'task' : 'phonecall', id) : undefined,
    priority: mapEnum(DYNAMICS_ACTIVITY_PRIORITY, textField(row, 'prioritycode')),
    status: activityStatus(row, type === 'task' ? DYNAMICS_TASK_STATUS : DYNAMICS_PHONECALL_STATUS),
  };
}
