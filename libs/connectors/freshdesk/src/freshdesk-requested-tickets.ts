import { PartialInteractions, type Contact, type TalkdeskInteraction, type UpstreamRecord } from '#interactions';
import type { FreshdeskApi } from './freshdesk-api.js';
import { freshdeskTicketToInteraction, isPhoneTicket, type FreshdeskWeb } from './freshdesk-ticket-mapping.js';

/** How far back a provider pages through a contact's tickets looking for its kind (pages of up to 100). */
const MAX_TICKET_PAGES = 10;

/**
 * The contact's newest `count` requested tickets that `keep` accepts, reading pages only as far as that needs.
 * Pages hold `limit` (MAX_ITEMS_PER_TYPE) tickets whichever provider asks first, since the providers share them.
 * When page n fails after pages 1…n-1 arrived, their tickets are kept and the failure returned beside them.
 */
export async function newestTickets(
  api: FreshdeskApi,
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
 * `case` and `call` are both the contact's requested tickets, told apart by their source (a phone ticket is a
 * call): the newest `limit` of one kind, as Talkdesk items, with a failed later page reported beside what arrived.
 */
export async function requestedTicketsAs(
  type: 'case' | 'call',
  api: FreshdeskApi,
  contact: Contact,
  limit: number,
  webUrlTemplate: string,
): Promise<TalkdeskInteraction[] | PartialInteractions> {
  const keep = type === 'call' ? isPhoneTicket : (ticket: UpstreamRecord) => !isPhoneTicket(ticket);
  const { tickets, failure } = await newestTickets(api, contact, limit, limit, keep);
  const web: FreshdeskWeb = { webUrlTemplate, domain: api.credentials.domain };
  return PartialInteractions.of(
    tickets.map((ticket) => freshdeskTicketToInteraction(ticket, type, web)),
    failure ? [failure] : [],
  );
}
