import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider } from '#interactions';
import type { HubspotApi } from './hubspot-api.js';
import { newestEngagements } from './hubspot-associated-objects.js';
import { HUBSPOT_CALLS } from './hubspot-call-mapping.js';
import { HubspotConnector } from './hubspot.connector.js';

/** `call`: the contact's logged calls, newest first. */
@Injectable()
@ProvidesInteractions({ connector: HubspotConnector, type: 'call' })
export class HubspotCallProvider implements InteractionProvider<HubspotApi> {
  fetchInteractions(api: HubspotApi, contact: Contact, limit: number) {
    return newestEngagements(api, contact, HUBSPOT_CALLS, limit);
  }
}
