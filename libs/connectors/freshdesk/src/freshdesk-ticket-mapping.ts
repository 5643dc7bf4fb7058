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
 * Freshdesk's ticket priorities are numbers: 1 Low, 2 Medium, 3 High, 4 Urgent ("Tickets", ticket properties,
 * https://developers.freshdesk.com/api/#tickets). Medium is Talkdesk's `normal`.
 */
export const FRESHDESK_PRIORITY: Record<string, TalkdeskPriority> = {
  '1': 'low',
  '2': 'normal',
  '3': 'high',
  '4': 'urgent',
};

/**
 * Freshdesk's ticket statuses are numbers: 2 Open, 3 Pending, 4 Resolved, 5 Closed (same page). Resolved is
 * Talkdesk's `solved`. An account's custom statuses (other numbers) have no documented meaning and are left out.
 */
export const FRESHDESK_STATUS: Record<string, TalkdeskStatus> = {
  '2': 'open',
  '3': 'pending',
  '4': 'solved',
  '5': 'closed',
};

/**
 * A ticket's `source`, how it reached the helpdesk: 1 Email, 2 Portal, 3 Phone, 7 Chat, 9 Feedback Widget, 10
 * Outbound Email (same page). A phone ticket is the record of a call: Talkdesk's `call`; every other ticket a `case`.
 */
export const FRESHDESK_PHONE_SOURCE = 3;

export function isPhoneTicket(ticket: UpstreamRecord): boolean {
  return ticket.source === FRESHDESK_PHONE_SOURCE;
}

export interface FreshdeskWeb {
  webUrlTemplate: string;
  domain: string;
}

/**
 * The page an agent opens: `https://{domain}.freshdesk.com/a/tickets/{id}`, the ticket in Freshdesk's agent
 * interface. The API reference has no field for it (a ticket's JSON holds no URL).
 */
export function freshdeskTicketUrl(web: FreshdeskWeb, ticketId: string): string {
  return `${web.webUrlTemplate.replaceAll('{domain}', web.domain).replace(/\/+$/, '')}/a/tickets/${ticketId}`;
}

/** A number (or a numeric string) through its table. */
function mapCode<T>(table: Record<string, T>, value: unknown): T | undefined {
  return typeof value === 'number' || typeof value === 'string' ? mapEnum(table, String(value)) : undefined;
}

/**
 * A Freshdesk ticket as a Talkdesk `case` or `call`, dated by `created_at`. `description` is the ticket's HTML body
 * (`description_text` when it has none), passed as Freshdesk has it: the core cleans and cuts it.
 */
export function freshdeskTicketToInteraction(
  ticket: UpstreamRecord,
  type: 'case' | 'call',
  web: FreshdeskWeb,
): MappedInteraction {
  const id = textField(ticket, 'id') ?? '';
  const created = toTalkdeskDate(textField(ticket, 'created_at'));
  return {
    id,
    type,
    subject: textField(ticket, 'subject') ?? '',
    description: textField(ticket, 'description') || textField(ticket, 'description_text'),
    date: created ?? '',
    createdDate: created,
    url: id ? freshdeskTicketUrl(web, id) : undefined,
    priority: mapCode(FRESHDESK_PRIORITY, ticket.priority),
    status: mapCode(FRESHDESK_STATUS, ticket.status),
  };
}

/**
 * A private note (a conversation with `private: true`, "Conversations", https://developers.freshdesk.com/api/#conversations)
 * as a Talkdesk `note`: the ticket's subject and page, the note's HTML `body` (`body_text` when it has none).
 */
export function freshdeskNoteToInteraction(
  conversation: UpstreamRecord,
  ticket: UpstreamRecord,
  web: FreshdeskWeb,
): MappedInteraction {
  const ticketId = textField(ticket, 'id') ?? '';
  return {
    id: textField(conversation, 'id') ?? '',
    type: 'note',
    subject: textField(ticket, 'subject') ?? '',
    description: textField(conversation, 'body') || textField(conversation, 'body_text'),
    date: toTalkdeskDate(textField(conversation, 'created_at')) ?? '',
    url: ticketId ? freshdeskTicketUrl(web, ticketId) : undefined,
  };
}

export function isPrivateNote(conversation: UpstreamRecord): boolean {
  return conversation.private === true;
}
