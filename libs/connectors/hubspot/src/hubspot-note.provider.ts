import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider } from '#interactions';
import type { HubspotApi } from './hubspot-api.js';
import { newestEngagements } from './hubspot-associated-objects.js';
import { HUBSPOT_NOTES } from './hubspot-engagement-mapping.js';
import { HubspotConnector } from './hubspot.connector.js';

/** `note`: the contact's notes, newest first. */
@Injectable()
@ProvidesInteractions({ connector: HubspotConnector, type: 'note' })
export class HubspotNoteProvider implements InteractionProvider<HubspotApi> {
  fetchInteractions(api: HubspotApi, contact: Contact, limit: number) {
    return newestEngagements(api, contact, HUBSPOT_NOTES, limit);
  }
}
