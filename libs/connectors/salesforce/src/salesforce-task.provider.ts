import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider, type TalkdeskInteraction } from '#interactions';
import type { SalesforceApi } from './salesforce-api.js';
import { salesforceTaskToInteraction } from './salesforce-mapping.js';
import { isCallTask } from './salesforce-queries.js';
import { SalesforceConnector } from './salesforce.connector.js';

/** `task`: open and completed Tasks on the contact (WhoId) that are not calls; read with `call` in one Task query. */
@Injectable()
@ProvidesInteractions({ connector: SalesforceConnector, type: 'task' })
export class SalesforceTaskProvider implements InteractionProvider<SalesforceApi> {
  async fetchInteractions(api: SalesforceApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const records = (await api.records('Task', contact, limit)).filter((record) => !isCallTask(record));
    return records
      .slice(0, limit)
      .map((record) => salesforceTaskToInteraction(record, 'task', (object, id) => api.recordUrl(object, id)));
  }
}
