import {
  TALKDESK_DATE_PATTERN,
  TALKDESK_PRIORITIES,
  TALKDESK_STATUSES,
  type MappedInteraction,
  type TalkdeskInteraction,
} from './interaction.js';
import { htmlToLines, subjectFromLines, toPlainText, truncateAtWord } from './plain-text.js';

const priorities = new Set<string>(TALKDESK_PRIORITIES);
const statuses = new Set<string>(TALKDESK_STATUSES);

/**
 * An interaction's id in a response: `<type>:<CRM id>`. A CRM numbers each kind of record on its own (a Zendesk
 * ticket and a comment can both be 1130; a HubSpot ticket and a note too), so the CRM id alone is not unique across
 * types; with its type it is, for every connector alike, and it is the same for the same record in every request.
 */
export function qualifiedId(type: string, crmId: string): string {
  return `${type}:${crmId}`;
}

export interface FinalisedInteraction {
  interaction: TalkdeskInteraction;
  /** The record lacked the date its type is dated by, and is dated by its creation time instead. */
  datedByCreation: boolean;
}

/**
 * The last guard before Talkdesk, and the rules every connector shares, so a mapping only reads fields:
 * - the id is qualified with the type (qualifiedId);
 * - the date is the mapping's, else the record's creation time (`datedByCreation`, for the core to count);
 * - subject and description become plain text (toPlainText: entities decoded, tags dropped, invisible format
 *   characters removed, whitespace collapsed), the description cut to `descriptionMaxLength`;
 * - a subject left empty becomes the description's first line, cut short, else the type's name;
 * - enums are only from their sets (a value outside is left out), urls only absolute http(s).
 * Returns undefined for an item that cannot be made valid (no id, no date).
 */
export function finaliseInteraction(
  item: MappedInteraction,
  type: string,
  descriptionMaxLength: number,
): FinalisedInteraction | undefined {
  if (typeof item.id !== 'string' || item.id.trim() === '') return undefined;
  const usualDate = isTalkdeskDate(item.date) ? item.date : undefined;
  const date = usualDate ?? (isTalkdeskDate(item.createdDate) ? item.createdDate : undefined);
  if (date === undefined) return undefined;
  // The description is cleaned once, for both its text and a missing subject's first line.
  const descriptionLines = typeof item.description === 'string' ? htmlToLines(item.description) : [];
  const subject = toPlainText(typeof item.subject === 'string' ? item.subject : undefined);
  const result: TalkdeskInteraction = {
    id: qualifiedId(type, item.id.trim()),
    subject: subject || subjectFromLines(descriptionLines, typeName(type)),
    date,
    type,
  };
  const plainDescription = descriptionLines.join(' ');
  if (plainDescription !== '') result.description = truncateAtWord(plainDescription, descriptionMaxLength);
  if (typeof item.url === 'string' && /^https?:\/\//.test(item.url)) result.url = item.url;
  if (item.priority !== undefined && priorities.has(item.priority)) result.priority = item.priority;
  if (item.status !== undefined && statuses.has(item.status)) result.status = item.status;
  return { interaction: result, datedByCreation: usualDate === undefined };
}

function isTalkdeskDate(value: unknown): value is string {
  return typeof value === 'string' && TALKDESK_DATE_PATTERN.test(value);
}

/** `case` → `Case`: the subject of last resort. */
function typeName(type: string): string {
  return type.charAt(0).toUpperCase() + type.slice(1);
}

const byId = new Intl.Collator('en', { numeric: true }).compare;

/** Newest first; ties broken by type, then id, so the order never depends on which CRM call answered first. */
export function compareInteractions(a: TalkdeskInteraction, b: TalkdeskInteraction): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  return byId(a.id, b.id);
}

/** One list for Talkdesk: sorted, and each (type, id) once even when two matched contacts share an item. */
export function mergeInteractions(items: TalkdeskInteraction[]): TalkdeskInteraction[] {
  const seen = new Set<string>();
  return items
    .filter((item) => {
      const key = `${item.type}\u0000${item.id}`;
      return !seen.has(key) && seen.add(key);
    })
    .sort(compareInteractions);
}
