import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider, type TalkdeskInteraction } from '#interactions';
import type { DynamicsApi } from './dynamics-api.js';
import { dynamicsIncidentToInteraction } from './dynamics-incident-mapping.js';
import { DynamicsConnector } from './dynamics.connector.js';

/** `case`: incidents whose customer is the contact, newest first. */
@Injectable()
@ProvidesInteractions({ connector: DynamicsConnector, type: 'case' })
export class DynamicsCaseProvider implements InteractionProvider<DynamicsApi> {
  async fetchInteractions(api: DynamicsApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const rows = await api.records('case', contact.id, limit);
    return rows.map((row) => dynamicsIncidentToInteraction(row, (entity, id) => api.recordUrl(entity, id)));
  }
}
