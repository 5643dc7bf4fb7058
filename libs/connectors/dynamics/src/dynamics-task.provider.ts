import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider, type TalkdeskInteraction } from '#interactions';
import type { DynamicsApi } from './dynamics-api.js';
import { dynamicsActivityToInteraction } from './dynamics-activity-mapping.js';
import { DynamicsConnector } from './dynamics.connector.js';

/** `task`: tasks regarding the contact, newest first. */
@Injectable()
@ProvidesInteractions({ connector: DynamicsConnector, type: 'task' })
export class DynamicsTaskProvider implements InteractionProvider<DynamicsApi> {
  async fetchInteractions(api: DynamicsApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const rows = await api.records('task', contact.id, limit);
    return rows.map((row) => dynamicsActivityToInteraction(row, 'task', (entity, id) => api.recordUrl(entity, id)));
  }
}
