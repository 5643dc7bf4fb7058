import { describe, expect, it } from 'vitest';
import { finaliseInteraction, type MappedInteraction } from '#interactions';
import { conversationsPage, ticketsPage } from '../test-fixtures/freshdesk-payloads.js';
import {
  FRESHDESK_PRIORITY,
  FRESHDESK_STATUS,
  freshdeskNoteToInteraction,
  freshdeskTicketToInteraction,
  isPhoneTicket,
  isPrivateNote,
} from './freshdesk-ticket-mapping.js';

const web = { webUrlTemplate: 'https://{domain}.freshdesk.com', domain: 'acme' };
const [emailTicket, phoneTicket, widgetTicket] = ticketsPage;
const [reply, privateNote] = conversationsPage;

/** What Talkdesk gets for a mapped record: the core's finalisation applied, as the service does. */
function talkdesk(mapped: MappedInteraction) {
  return finaliseInteraction(mapped, mapped.type, 500)?.interaction;
}

describe('Freshdesk ticket → Talkdesk case/call', () => {
  it('maps a ticket to a case dated by created_at, its HTML description as text, the agent page as url', () => {
    expect(talkdesk(freshdeskTicketToInteraction(emailTicket!, 'case', web))).toEqual({
      id: 'case:2041',
      type: 'case',
      subject: 'Order #88213 arrived damaged',
      description: 'Hi, The box was crushed & the lamp inside is broken. Thanks, Jane',
      date: '2026-09-14 08:03:27 UTC',
      url: 'https://acme.freshdesk.com/a/tickets/2041',
      priority: 'high', // 3 High
      status: 'pending', // 3 Pending
    });
  });

  it('tells a phone ticket (source 3) from the others, and maps it as a call', () => {
    expect([emailTicket, phoneTicket, widgetTicket].map((ticket) => isPhoneTicket(ticket!))).toEqual([
      false,
      true,
      false,
    ]);
    expect(talkdesk(freshdeskTicketToInteraction(phoneTicket!, 'call', web))).toMatchObject({
      id: 'call:2040',
      type: 'call',
      priority: 'urgent', // 4 Urgent
      status: 'closed', // 5 Closed
    });
  });

  it('leaves out a custom status, falls back to description_text, and takes a subject from the description', () => {
    const item = talkdesk(freshdeskTicketToInteraction(widgetTicket!, 'case', web))!;
    expect(item.status).toBeUndefined(); // 9: an account's own status, no documented meaning
    expect(item.priority).toBe('normal'); // 2 Medium
    expect(item.description).toBe('Widget feedback: the checkout button does nothing on Safari.');
    expect(item.subject).toBe('Widget feedback: the checkout button does nothing on Safari.');
  });

  it('maps every documented priority and status, and nothing else', () => {
    expect(FRESHDESK_PRIORITY).toEqual({ '1': 'low', '2': 'normal', '3': 'high', '4': 'urgent' });
    expect(FRESHDESK_STATUS).toEqual({ '2': 'open', '3': 'pending', '4': 'solved', '5': 'closed' });
    const odd = { ...emailTicket!, priority: 'constructor', status: null };
    expect(talkdesk(freshdeskTicketToInteraction(odd, 'case', web))).not.toHaveProperty('priority');
  });

  it('drops a ticket without an id or a date (the core counts it)', () => {
    const { id: _id, ...noId } = emailTicket!;
    const { created_at: _created, ...noDate } = emailTicket!;
    expect(talkdesk(freshdeskTicketToInteraction(noId, 'case', web))).toBeUndefined();
    expect(talkdesk(freshdeskTicketToInteraction(noDate, 'case', web))).toBeUndefined();
  });
});

describe('Freshdesk private note → Talkdesk note', () => {
  it('keeps only private conversations', () => {
    expect(conversationsPage.map(isPrivateNote)).toEqual([false, true]);
    expect(isPrivateNote(reply!)).toBe(false);
  });

  it("maps a note with the ticket's subject and page, its HTML body as text", () => {
    expect(talkdesk(freshdeskNoteToInteraction(privateNote!, emailTicket!, web))).toEqual({
      id: 'note:60000000512',
      type: 'note',
      subject: 'Order #88213 arrived damaged',
      description: 'Courier confirmed the damage — claim #C-118 opened. Refund if no stock by Friday.',
      date: '2026-09-14 09:05:00 UTC',
      url: 'https://acme.freshdesk.com/a/tickets/2041',
    });
  });
});
