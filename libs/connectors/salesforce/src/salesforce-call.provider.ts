import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider, type TalkdeskInteraction } from '#interactions';
import type { SalesforceApi } from './salesforce-api.js';
import { salesforceTaskToInteraction } from './salesforce-mapping.js';
import { isCallTask } from './salesforce-queries.js';
import { SalesforceConnector } from './salesforce.connector.js';

/** `call`: Tasks with TaskSubtype `Call` on the contact. */
@Injectable()
@ProvidesInteractions({ connector: SalesforceConnector, type: 'call' })
export class SalesforceCallProvider implements InteractionProvider<SalesforceApi> {
  async fetchInteractions(api: SalesforceApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const records = (await api.records('Task', contact, limit)).filter(isCallTask);
    return records
      .slice(0, limit)
      .map((record) => salesforceTaskToInteraction(record, 'call', (object, id) => api.recordUrl(object, id)));
  }
}
