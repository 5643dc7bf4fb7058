import { Injectable } from '@nestjs/common';
import {
  compareInteractions,
  ProvidesInteractions,
  type InteractionProvider,
  keepWhatArrived,
  PartialInteractions,
  textField,
  type Contact,
  type TalkdeskInteraction,
  type UpstreamRecord,
} from '#interactions';
import type { ZendeskApi } from './zendesk-api.js';
import { ZendeskConnector } from './zendesk.connector.js';
import { InjectZendeskConfig, type ZendeskConfig } from './zendesk-config.js';
import { isTaskTicket, zendeskNoteToInteraction, zendeskTicketToInteraction } from './zendesk-ticket-mapping.js';

/** How far back a provider pages through a user's tickets looking for its kind (pages of up to 100). */
const MAX_TICKET_PAGES = 10;

/**
 * The user's newest `count` requested tickets that `keep` accepts, reading pages only as far as that needs.
 * Pages hold `limit` (MAX_ITEMS_PER_TYPE) tickets whichever provider asks first, since the providers share them.
 * When page n fails after pages 1…n-1 arrived, their tickets are kept and the failure returned beside them.
 */
async function newestTickets(
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

/** `case`: the user's requested tickets that are not tasks, newest first. */
@Injectable()
@ProvidesInteractions({ connector: ZendeskConnector, type: 'case' })
export class ZendeskCaseProvider implements InteractionProvider<ZendeskApi> {
  constructor(@InjectZendeskConfig() private readonly config: ZendeskConfig) {}

  async fetchInteractions(
    api: ZendeskApi,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const web = { webUrlTemplate: this.config.webUrlTemplate, subdomain: api.credentials.subdomain };
    const { tickets, failure } = await newestTickets(api, contact, limit, limit, (ticket) => !isTaskTicket(ticket));
    return PartialInteractions.of(
      tickets.map((ticket) => zendeskTicketToInteraction(ticket, 'case', web)),
      failure ? [failure] : [],
    );
  }
}

/** `task`: the user's requested tickets of type task, dated by their due date. */
@Injectable()
@ProvidesInteractions({ connector: ZendeskConnector, type: 'task' })
export class ZendeskTaskProvider implements InteractionProvider<ZendeskApi> {
  constructor(@InjectZendeskConfig() private readonly config: ZendeskConfig) {}

  async fetchInteractions(
    api: ZendeskApi,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const web = { webUrlTemplate: this.config.webUrlTemplate, subdomain: api.credentials.subdomain };
    const { tickets, failure } = await newestTickets(api, contact, limit, limit, isTaskTicket);
    return PartialInteractions.of(
      tickets.map((ticket) => zendeskTicketToInteraction(ticket, 'task', web)),
      failure ? [failure] : [],
    );
  }
}

/** `note`: internal notes (private comments) on the user's most recent tickets, newest first. */
@Injectable()
@ProvidesInteractions({ connector: ZendeskConnector, type: 'note' })
export class ZendeskNoteProvider implements InteractionProvider<ZendeskApi> {
  constructor(@InjectZendeskConfig() private readonly config: ZendeskConfig) {}

  /** One ticket's comments failing (a 403 on that ticket, a 5xx) loses only that ticket's notes. */
  async fetchInteractions(
    api: ZendeskApi,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const web = { webUrlTemplate: this.config.webUrlTemplate, subdomain: api.credentials.subdomain };
    const { tickets, failure } = await newestTickets(api, contact, limit, this.config.noteTickets, () => true);
    const { arrived, failures } = await keepWhatArrived(
      tickets.map(async (ticket) => {
        const ticketId = textField(ticket, 'id');
        if (!ticketId) return [];
        const comments = await api.comments(ticketId, limit);
        return comments
          .filter((comment) => comment.public === false)
          .map((comment) => zendeskNoteToInteraction(comment, ticket, web));
      }),
    );
    const notes = arrived.flat().sort(compareInteractions).slice(0, limit);
    return PartialInteractions.of(notes, failure ? [failure, ...failures] : failures);
  }
}
