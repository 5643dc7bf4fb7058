import {
  mapEnum,
  textField,
  toTalkdeskDate,
  type MappedInteraction,
  type TalkdeskPriority,
  type TalkdeskStatus,
  type UpstreamRecord,
} from '#interactions';

/** Zendesk ticket priority → Talkdesk priority. No priority (null) is `none`. */
export const ZENDESK_PRIORITY: Record<string, TalkdeskPriority> = {
  urgent: 'urgent',
  high: 'high',
  normal: 'normal',
  low: 'low',
};

/** Zendesk ticket status → Talkdesk status. `hold` is waiting on someone else, Talkdesk's `pending`. */
export const ZENDESK_STATUS: Record<string, TalkdeskStatus> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  hold: 'pending',
  solved: 'solved',
  closed: 'closed',
};

export function isTaskTicket(ticket: UpstreamRecord): boolean {
  return ticket.type === 'task';
}

/** The page an agent opens: `https://{subdomain}.zendesk.com/agent/tickets/{id}`. */
export function zendeskTicketUrl(webUrlTemplate: string, subdomain: string, ticketId: string): string {
  return `${webUrlTemplate.replaceAll('{subdomain}', subdomain).replace(/\/+$/, '')}/agent/tickets/${ticketId}`;
}

export function zendeskPriority(ticket: UpstreamRecord): TalkdeskPriority | undefined {
  if (ticket.priority === null || ticket.priority === undefined) return 'none';
  return typeof ticket.priority === 'string' ? mapEnum(ZENDESK_PRIORITY, ticket.priority) : undefined;
}

export function zendeskStatus(ticket: UpstreamRecord): TalkdeskStatus | undefined {
  return typeof ticket.status === 'string' ? mapEnum(ZENDESK_STATUS, ticket.status) : undefined;
}

/**
 * A ticket's subject: `subject`, else `raw_subject` (the same before dynamic content is filled in), else ''. The core
 * makes it plain text, and gives a ticket without one the first line of its description.
 */
export function zendeskTicketSubject(ticket: UpstreamRecord): string {
  return [textField(ticket, 'subject'), textField(ticket, 'raw_subject')].find((text) => text?.trim()) ?? '';
}

/**
 * A Zendesk ticket as a Talkdesk interaction. `case` is dated by `created_at`; `task` by `due_at`, and by
 * `created_at` when it has none (the core falls back to `createdDate`, and counts it). Fields Zendesk left out stay
 * out; texts are passed as Zendesk has them (the core cleans and cuts them) and the core drops an item that cannot
 * be made valid.
 */
export function zendeskTicketToInteraction(
  ticket: UpstreamRecord,
  type: 'case' | 'task',
  web: { webUrlTemplate: string; subdomain: string },
): MappedInteraction {
  const id = textField(ticket, 'id') ?? '';
  const created = toTalkdeskDate(textField(ticket, 'created_at'));
  return {
    id,
    type,
    subject: zendeskTicketSubject(ticket),
    description: textField(ticket, 'description'),
    date: (type === 'task' ? toTalkdeskDate(textField(ticket, 'due_at')) : created) ?? '',
    createdDate: created,
    url: id ? zendeskTicketUrl(web.webUrlTemplate, web.subdomain, id) : undefined,
    priority: zendeskPriority(ticket),
    status: zendeskStatus(ticket),
  };
}

/** An internal note (a private comment) as a Talkdesk `note`: the ticket's subject and page, the note's text. */
export function zendeskNoteToInteraction(
  comment: UpstreamRecord,
  ticket: UpstreamRecord,
  web: { webUrlTemplate: string; subdomain: string },
): MappedInteraction {
  const ticketId = textField(ticket, 'id') ?? '';
  return {
    id: textField(comment, 'id') ?? '',
    type: 'note',
    subject: zendeskTicketSubject(ticket),
    description: textField(comment, 'plain_body') ?? textField(comment, 'html_body') ?? textField(comment, 'body'),
    date: toTalkdeskDate(textField(comment, 'created_at')) ?? '',
    url: ticketId ? zendeskTicketUrl(web.webUrlTemplate, web.subdomain, ticketId) : undefined,
  };
}
