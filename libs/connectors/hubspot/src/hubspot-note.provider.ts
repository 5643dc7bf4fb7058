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
import { HUBSPOT_NOTES, hubspotNoteToInteraction } from './hubspot-engagement-mapping.js';

/** `note`: the contact's notes, newest first. */
@Injectable()
@ProvidesInteractions({ connector: HubspotConnector, type: 'note' })
export class HubspotNoteProvider implements InteractionProvider<HubspotApi> {
  async fetchInteractions(
    api: HubspotApi,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const [{ records: notes, failures }, portal] = await Promise.all([
      newestAssociatedObjects(api, contact, HUBSPOT_NOTES, limit),
      api.portal(),
    ]);
    return PartialInteractions.of(
      notes.map((note) => hubspotNoteToInteraction(note, portal)),
      failures,
    );
  }
}
