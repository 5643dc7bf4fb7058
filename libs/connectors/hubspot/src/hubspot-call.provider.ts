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
import { HUBSPOT_CALLS, hubspotCallToInteraction } from './hubspot-call-mapping.js';

/** `call`: the contact's logged calls, newest first. */
@Injectable()
@ProvidesInteractions({ connector: HubspotConnector, type: 'call' })
export class HubspotCallProvider implements InteractionProvider<HubspotApi> {
  async fetchInteractions(
    api: HubspotApi,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const [{ records: calls, failures }, portal] = await Promise.all([
      newestAssociatedObjects(api, contact, HUBSPOT_CALLS, limit),
      api.portal(),
    ]);
    return PartialInteractions.of(
      calls.map((call) => hubspotCallToInteraction(call, portal)),
      failures,
    );
  }
}
