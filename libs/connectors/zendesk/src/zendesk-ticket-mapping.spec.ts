import { describe, expect, it } from 'vitest';
import { finaliseInteraction, type MappedInteraction } from '#interactions';
import { requestedTicketsPage, ticketComments } from '../test-fixtures/zendesk-payloads.js';
import { zendeskNoteToInteraction, zendeskTicketToInteraction } from './zendesk-ticket-mapping.js';

const web = { webUrlTemplate: 'https://{subdomain}.zendesk.com', subdomain: 'acme' };
const [incident, taskWithDue, taskWithoutDue, noSubject] = requestedTicketsPage.tickets;

/** What Talkdesk gets for a mapped record: the core's finalisation applied, as the service does. */
function talkdesk(mapped: MappedInteraction) {
  return finaliseInteraction(mapped, mapped.type, 500)?.interaction;
}

describe('Zendesk ticket → Talkdesk case/task', () => {
  it('maps a ticket to a case dated by created_at, with the agent page as url', () => {
    expect(talkdesk(zendeskTicketToInteraction(incident!, 'case', web))).toEqual({
      id: 'case:4521',
      type: 'case',
      subject: 'Order #88213 arrived damaged',
      description: 'Hi, The box was crushed and the lamp inside is broken. Thanks, Jane',
      date: '2026-09-14 08:03:27 UTC',
      url: 'https://acme.zendesk.com/agent/tickets/4521',
      priority: 'high',
      status: 'pending', // hold → pending
    });
  });

  it('dates a task by due_at, and by created_at when it has none (which the core counts)', () => {
    expect(finaliseInteraction(zendeskTicketToInteraction(taskWithDue!, 'task', web), 'task', 500)).toMatchObject({
      interaction: { date: '2026-09-04 17:00:00 UTC' },
      datedByCreation: false,
    });
    expect(finaliseInteraction(zendeskTicketToInteraction(taskWithoutDue!, 'task', web), 'task', 500)).toMatchObject({
      interaction: { date: '2026-07-02 09:00:00 UTC' },
      datedByCreation: true,
    });
  });

  it('never dates a case by anything but created_at', () => {
    const { created_at: _created, ...undated } = incident!;
    expect(
      talkdesk(zendeskTicketToInteraction({ ...undated, due_at: '2026-09-20T00:00:00Z' }, 'case', web)),
    ).toBeUndefined();
  });

  it('maps a null priority to none', () => {
    expect(zendeskTicketToInteraction(taskWithDue!, 'task', web).priority).toBe('none');
  });

  it('uses the first words of the description when the subject is empty, else the type', () => {
    expect(talkdesk(zendeskTicketToInteraction(noSubject!, 'case', web))!.subject).toBe(
      'Where is my invoice for February? I need it for my accountant.',
    );
    expect(
      talkdesk(zendeskTicketToInteraction({ ...noSubject!, subject: ' ', description: '' }, 'case', web))!.subject,
    ).toBe('Case');
  });

  it('shows a subject with entities as the text it stands for', () => {
    // Tickets created from an HTML form or by an integration keep the entities they were sent with.
    const ticket = {
      ...incident!,
      subject: 'Can&#39;t log in to the Acme&nbsp;portal &amp; app',
      raw_subject: 'Can&#39;t log in',
    };
    expect(talkdesk(zendeskTicketToInteraction(ticket, 'case', web))!.subject).toBe(
      "Can't log in to the Acme portal & app",
    );
  });

  it('takes raw_subject when subject is blank', () => {
    expect(talkdesk(zendeskTicketToInteraction({ ...incident!, subject: '' }, 'case', web))!.subject).toBe(
      'Order #88213 arrived damaged',
    );
  });

  it.each([
    ['urgent', 'urgent'],
    ['high', 'high'],
    ['normal', 'normal'],
    ['low', 'low'],
    [null, 'none'],
  ])('priority %s → %s', (priority, expected) => {
    expect(zendeskTicketToInteraction({ ...incident!, priority }, 'case', web).priority).toBe(expected);
  });

  it.each([
    ['new', 'new'],
    ['open', 'open'],
    ['pending', 'pending'],
    ['hold', 'pending'],
    ['solved', 'solved'],
    ['closed', 'closed'],
  ])('status %s → %s', (status, expected) => {
    expect(zendeskTicketToInteraction({ ...incident!, status }, 'case', web).status).toBe(expected);
  });

  it('leaves out a priority or status Zendesk might add later, and never emits one outside the sets', () => {
    const mapped = zendeskTicketToInteraction({ ...incident!, priority: 'critical', status: 'archived' }, 'case', web);
    expect(mapped.priority).toBeUndefined();
    expect(mapped.status).toBeUndefined();
    const inherited = zendeskTicketToInteraction(
      { ...incident!, priority: 'constructor', status: 'toString' },
      'case',
      web,
    );
    expect(inherited.priority).toBeUndefined();
    expect(inherited.status).toBeUndefined();
  });

  it('produces an item the core drops when Zendesk sends a ticket without id or date', () => {
    expect(finaliseInteraction(zendeskTicketToInteraction({ subject: 'x' }, 'case', web), 'case', 500)).toBeUndefined();
    expect(
      finaliseInteraction(zendeskTicketToInteraction({ id: 1, created_at: 'soon' }, 'case', web), 'case', 500),
    ).toBeUndefined();
  });
});

describe('Zendesk private comment → Talkdesk note', () => {
  it('uses the ticket subject and page, the comment text and time', () => {
    expect(talkdesk(zendeskNoteToInteraction(ticketComments.comments[0]!, incident!, web))).toEqual({
      id: 'note:90210003',
      type: 'note',
      subject: 'Order #88213 arrived damaged',
      description: 'Courier confirmed the damage. Refund approved by Sam.',
      date: '2026-09-15 10:22:01 UTC',
      url: 'https://acme.zendesk.com/agent/tickets/4521',
    });
  });

  it('strips HTML when Zendesk sends no plain body', () => {
    const { plain_body: _plain, ...htmlOnly } = ticketComments.comments[0]!;
    expect(talkdesk(zendeskNoteToInteraction(htmlOnly, incident!, web))!.description).toBe(
      'Courier confirmed the damage. Refund approved by Sam.',
    );
  });

  it('has an id of its own beside its ticket, even when the numbers are the same', () => {
    const note = talkdesk(zendeskNoteToInteraction({ ...ticketComments.comments[0]!, id: 4521 }, incident!, web));
    const ticket = talkdesk(zendeskTicketToInteraction(incident!, 'case', web));
    expect(note!.id).not.toBe(ticket!.id);
  });

  it('takes the note’s first line as subject when its ticket has none', () => {
    expect(talkdesk(zendeskNoteToInteraction(ticketComments.comments[0]!, noSubject!, web))!.subject).toBe(
      'Courier confirmed the damage.',
    );
  });
});
