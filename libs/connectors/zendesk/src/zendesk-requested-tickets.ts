import { PartialInteractions, type Contact, type TalkdeskInteraction, type UpstreamRecord } from '#interactions';
import type { ZendeskApi } from './zendesk-api.js';
import { isTaskTicket, zendeskTicketToInteraction } from './zendesk-ticket-mapping.js';

/** How far back a provider pages through a user's tickets looking for its kind (pages of up to 100). */
const MAX_TICKET_PAGES = 10;

/**
 * The user's newest `count` requested tickets that `keep` accepts, reading pages only as far as that needs.
 * Pages hold `limit` (MAX_ITEMS_PER_TYPE) tickets whichever provider asks first, since the providers share them.
 * When page n fails after pages 1…n-1 arrived, their tickets are kept and the failure returned beside them.
 */
export async function newestTickets(
  api: ZendeskApi,
  contact: Contact,
  limit: number,
  count: number,
  keep: (ticket: UpstreamRecord) => boolean,
): Promise<{ tickets: UpstreamRecord[]; failure?: unknown }> {
  const kept: UpstreamRecord[] = [];
  let read = 0;
  try {
    for await (const ticket of api.tickets(contact.id, limit).newestFirst(MAX_TICKET_PAGES)) {
      read++;
      if (!keep(ticket)) continue;
      kept.push(ticket);
      if (kept.length >= count) break;
    }
  } catch (failure) {
    if (read === 0) throw failure; // the first page failed: nothing arrived to keep
    return { tickets: kept, failure };
  }
  return { tickets: kept };
}

/**
 * `case` and `task` are both the user's requested tickets, told apart by `type: task`: the newest `limit` of one
 * kind, as Talkdesk items, with a failed later page reported beside what arrived.
 */
export async function requestedTicketsAs(
  type: 'case' | 'task',
  api: ZendeskApi,
  contact: Contact,
  limit: number,
  webUrlTemplate: string,
): Promise<TalkdeskInteraction[] | PartialInteractions> {
  const keep = type === 'task' ? isTaskTicket : (ticket: UpstreamRecord) => !isTaskTicket(ticket);
  const { tickets, failure } = await newestTickets(api, contact, limit, limit, keep);
  const web = { webUrlTemplate, subdomain: api.credentials.subdomain };
  return PartialInteractions.of(
    tickets.map((ticket) => zendeskTicketToInteraction(ticket, type, web)),
    failure ? [failure] : [],
  );
}
