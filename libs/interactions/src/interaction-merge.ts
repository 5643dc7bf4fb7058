import {
  TALKDESK_DATE_PATTERN,
  TALKDESK_PRIORITIES,
  TALKDESK_STATUSES,
  type TalkdeskInteraction,
} from './interaction.js';
import { truncateAtWord } from './plain-text.js';

const priorities = new Set<string>(TALKDESK_PRIORITIES);
const statuses = new Set<string>(TALKDESK_STATUSES);

/**
 * The last guard before Talkdesk: the mandatory fields are there, the date is in Talkdesk's format, enums are
 * only from their sets (a value outside is left out), the description is cut to length.
 * Returns undefined for an item that cannot be made valid.
 */
export function finaliseInteraction(
  item: TalkdeskInteraction,
  type: string,
  descriptionMaxLength: number,
): TalkdeskInteraction | undefined {
  if (typeof item.id !== 'string' || item.id === '') return undefined;
  if (typeof item.subject !== 'string') return undefined;
  if (typeof item.date !== 'string' || !TALKDESK_DATE_PATTERN.test(item.date)) return undefined;
  const result: TalkdeskInteraction = {
    id: item.id,
    subject: item.subject.replace(/\s+/g, ' ').trim(),
    date: item.date,
    type,
  };
  if (typeof item.description === 'string' && item.description !== '') {
    result.description = truncateAtWord(item.description.replace(/\s+/g, ' ').trim(), descriptionMaxLength);
  }
  if (typeof item.url === 'string' && /^https?:\/\//.test(item.url)) result.url = item.url;
  if (item.priority !== undefined && priorities.has(item.priority)) result.priority = item.priority;
  if (item.status !== undefined && statuses.has(item.status)) result.status = item.status;
  return result;
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
