import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider, type TalkdeskInteraction } from '#interactions';
import type { DynamicsApi } from './dynamics-api.js';
import { dynamicsAnnotationToInteraction } from './dynamics-annotation-mapping.js';
import { DynamicsConnector } from './dynamics.connector.js';

/** `note`: notes on the contact and on the contact's cases, newest first. */
@Injectable()
@ProvidesInteractions({ connector: DynamicsConnector, type: 'note' })
export class DynamicsNoteProvider implements InteractionProvider<DynamicsApi> {
  async fetchInteractions(api: DynamicsApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const rows = await api.records('note', contact.id, limit);
    return rows.map((row) => dynamicsAnnotationToInteraction(row, (entity, id) => api.recordUrl(entity, id)));
  }
}
