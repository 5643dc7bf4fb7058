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
import { HUBSPOT_TASKS, hubspotTaskToInteraction } from './hubspot-engagement-mapping.js';

/** `task`: the contact's tasks, most recently created first, each dated by its due date. */
@Injectable()
@ProvidesInteractions({ connector: HubspotConnector, type: 'task' })
export class HubspotTaskProvider implements InteractionProvider<HubspotApi> {
  async fetchInteractions(
    api: HubspotApi,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const [{ records: tasks, failures }, portal] = await Promise.all([
      newestAssociatedObjects(api, contact, HUBSPOT_TASKS, limit),
      api.portal(),
    ]);
    return PartialInteractions.of(
      tasks.map((task) => hubspotTaskToInteraction(task, portal)),
      failures,
    );
  }
}
