import { Injectable } from '@nestjs/common';
import {
  compareInteractions,
  keepWhatArrived,
  PartialInteractions,
  ProvidesInteractions,
  textField,
  type Contact,
  type InteractionProvider,
  type TalkdeskInteraction,
} from '#interactions';
import type { ZendeskApi } from './zendesk-api.js';
import { InjectZendeskConfig, type ZendeskConfig } from './zendesk-config.js';
import { newestTickets } from './zendesk-requested-tickets.js';
import { zendeskNoteToInteraction } from './zendesk-ticket-mapping.js';
import { ZendeskConnector } from './zendesk.connector.js';

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
