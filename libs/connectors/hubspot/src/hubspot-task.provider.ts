import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider } from '#interactions';
import type { HubspotApi } from './hubspot-api.js';
import { newestEngagements } from './hubspot-associated-objects.js';
import { HUBSPOT_TASKS } from './hubspot-engagement-mapping.js';
import { HubspotConnector } from './hubspot.connector.js';

/** `task`: the contact's tasks, most recently created first, each dated by its due date. */
@Injectable()
@ProvidesInteractions({ connector: HubspotConnector, type: 'task' })
export class HubspotTaskProvider implements InteractionProvider<HubspotApi> {
  fetchInteractions(api: HubspotApi, contact: Contact, limit: number) {
    return newestEngagements(api, contact, HUBSPOT_TASKS, limit);
  }
}
