import { Injectable } from '@nestjs/common';
import {
  ProvidesInteractions,
  type InteractionProvider,
  PartialInteractions,
  type Contact,
  type TalkdeskInteraction,
} from '#interactions';
import type { HubspotApi } from './hubspot-api.js';
import { HubspotConnector } from './hubspot.connector.js';
import { newestAssociatedObjects } from './hubspot-associated-objects.js';
import { pipelinesKnowing } from './hubspot-pipelines.js';
import { HUBSPOT_TICKETS, hubspotTicketStageRef, hubspotTicketToInteraction } from './hubspot-ticket-mapping.js';

/** `case`: the contact's tickets, newest first, with a status read from their pipeline stage. */
@Injectable()
@ProvidesInteractions({ connector: HubspotConnector, type: 'case' })
export class HubspotCaseProvider implements InteractionProvider<HubspotApi> {
  async fetchInteractions(
    api: HubspotApi,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const [{ records: tickets, failures }, portal, cachedPipelines] = await Promise.all([
      newestAssociatedObjects(api, contact, HUBSPOT_TICKETS, limit),
      api.portal(),
      api.ticketPipelines(),
    ]);
    const pipelines = await pipelinesKnowing(api, cachedPipelines, tickets.map(hubspotTicketStageRef));
    return PartialInteractions.of(
      tickets.map((ticket) => hubspotTicketToInteraction(ticket, { portal, pipelines })),
      failures,
    );
  }
}
