import {
  mapEnum,
  subjectFromText,
  textField,
  toPlainText,
  toTalkdeskDate,
  type TalkdeskInteraction,
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

/** A ticket's subject as agents see it: the subject, else the first words of its description. */
export function zendeskTicketSubject(ticket: UpstreamRecord): string {
  const subject = textField(ticket, 'subject') ?? textField(ticket, 'raw_subject');
  if (subject && subject.trim()) return subject;
  return subjectFromText(textField(ticket, 'description'), `Ticket #${textField(ticket, 'id') ?? ''}`);
}

/**
 * A Zendesk ticket as a Talkdesk interaction. `case` is dated by `created_at`; `task` by `due_at`, falling back to
 * `created_at`. Fields Zendesk left out stay out; the core drops an item that cannot be made valid.
 */
export function zendeskTicketToInteraction(
  ticket: UpstreamRecord,
  type: 'case' | 'task',
  web: { webUrlTemplate: string; subdomain: string },
): TalkdeskInteraction {
  const id = textField(ticket, 'id') ?? '';
  const dated = type === 'task' ? (textField(ticket, 'due_at') ?? textField(ticket, 'created_at')) : textField(ticket, 'created_at');
  return {
    id,
    type,
    subject: zendeskTicketSubject(ticket),
    description: toPlainText(textField(ticket, 'description')),
    date: toTalkdeskDate(dated) ?? '',
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
): TalkdeskInteraction {
  const ticketId = textField(ticket, 'id') ?? '';
  const text = textField(comment, 'plain_body') ?? textField(comment, 'html_body') ?? textField(comment, 'body') ?? '';
  return {
    id: textField(comment, 'id') ?? '',
    type: 'note',
    subject: zendeskTicketSubject(ticket),
    description: toPlainText(text),
    date: toTalkdeskDate(textField(comment, 'created_at')) ?? '',
    url: ticketId ? zendeskTicketUrl(web.webUrlTemplate, web.subdomain, ticketId) : undefined,
  };
}
