import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider, type TalkdeskInteraction } from '#interactions';
import type { DynamicsApi } from './dynamics-api.js';
import { dynamicsActivityToInteraction } from './dynamics-activity-mapping.js';
import { DynamicsConnector } from './dynamics.connector.js';

/** `call`: phone calls regarding the contact or with the contact as a party, newest first. */
@Injectable()
@ProvidesInteractions({ connector: DynamicsConnector, type: 'call' })
export class DynamicsCallProvider implements InteractionProvider<DynamicsApi> {
  async fetchInteractions(api: DynamicsApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const rows = await api.records('call', contact.id, limit);
    return rows.map((row) => dynamicsActivityToInteraction(row, 'call', (entity, id) => api.recordUrl(entity, id)));
  }
}
