import { TICKET_PRIORITIES, TICKET_STATUSES, type ZendeskComment, type ZendeskTicket } from './model.js';
import { isCursorRequest, type Query } from './pagination.js';

/**
 * Ordering of ticket and comment lists. Offset pagination takes `sort_by` and `sort_order` (asc|desc); cursor
 * pagination takes `sort`, a field with a leading `-` for descending (`sort=-updated_at`), and falls back to
 * `sort_by`/`sort_order`. Unknown fields are ignored. Ties are broken by id, in the same direction.
 * List Requests documents `sort_by` (`updated_at`, `created_at`) and `sort_order` (`asc`|`desc`, default `asc`):
 * https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-requests/#list-requests
 */
export interface SortSpec {
  field: string;
  descending: boolean;
}

type Key = (ticket: ZendeskTicket) => number | string;

const TICKET_KEYS: Record<string, Key> = {
  id: (ticket) => ticket.id,
  created_at: (ticket) => ticket.created_at,
  updated_at: (ticket) => ticket.updated_at,
  status: (ticket) => TICKET_STATUSES.indexOf(ticket.status),
  priority: (ticket) => (ticket.priority === null ? -1 : TICKET_PRIORITIES.indexOf(ticket.priority)),
  subject: (ticket) => ticket.subject.toLowerCase(),
};

export function sortSpec(query: Query, fields: readonly string[], fallback: string): SortSpec {
  const sort = isCursorRequest(query) ? query['sort'] : undefined;
  if (sort) {
    const descending = sort.startsWith('-');
    const field = descending ? sort.slice(1) : sort;
    if (fields.includes(field)) return { field, descending };
  }
  const sortBy = query['sort_by'];
  const field = sortBy && fields.includes(sortBy) ? sortBy : fallback;
  return { field, descending: query['sort_order']?.toLowerCase() === 'desc' };
}

export function ticketSortSpec(query: Query): SortSpec {
  return sortSpec(query, Object.keys(TICKET_KEYS), 'id');
}

export function sortTickets(tickets: readonly ZendeskTicket[], spec: SortSpec): ZendeskTicket[] {
  const key = TICKET_KEYS[spec.field] ?? TICKET_KEYS['id']!;
  const direction = spec.descending ? -1 : 1;
  return [...tickets].sort((a, b) => direction * (compare(key(a), key(b)) || a.id - b.id));
}

/** Comments sort by creation only: `sort_order=desc` (or cursor `sort=-created_at`) for newest first. */
export function sortComments(comments: readonly ZendeskComment[], query: Query): ZendeskComment[] {
  const spec = sortSpec(query, ['created_at'], 'created_at');
  const direction = spec.descending ? -1 : 1;
  return [...comments].sort((a, b) => direction * (compare(a.created_at, b.created_at) || a.id - b.id));
}

function compare(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
