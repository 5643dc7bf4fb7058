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
import type { FreshdeskApi } from './freshdesk-api.js';
import { InjectFreshdeskConfig, type FreshdeskConfig } from './freshdesk-config.js';
import { newestTickets } from './freshdesk-requested-tickets.js';
import { freshdeskNoteToInteraction, isPrivateNote, type FreshdeskWeb } from './freshdesk-ticket-mapping.js';
import { FreshdeskConnector } from './freshdesk.connector.js';

/** `note`: the private notes on the contact's most recent tickets (one conversations call each), newest first. */
@Injectable()
@ProvidesInteractions({ connector: FreshdeskConnector, type: 'note' })
export class FreshdeskNoteProvider implements InteractionProvider<FreshdeskApi> {
  constructor(@InjectFreshdeskConfig() private readonly config: FreshdeskConfig) {}

  /** One ticket's conversations failing (a 403 on that ticket, a 5xx) loses only that ticket's notes. */
  async fetchInteractions(
    api: FreshdeskApi,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const web: FreshdeskWeb = { webUrlTemplate: this.config.webUrlTemplate, domain: api.credentials.domain };
    const { tickets, failure } = await newestTickets(api, contact, limit, this.config.noteTickets, () => true);
    const { arrived, failures } = await keepWhatArrived(
      tickets.map(async (ticket) => {
        const ticketId = textField(ticket, 'id');
        if (!ticketId) return [];
        const conversations = await api.conversations(ticketId);
        return conversations
          .filter(isPrivateNote)
          .map((conversation) => freshdeskNoteToInteraction(conversation, ticket, web));
      }),
    );
    const notes = arrived.flat().sort(compareInteractions).slice(0, limit);
    return PartialInteractions.of(notes, failure ? [failure, ...failures] : failures);
  }
}
