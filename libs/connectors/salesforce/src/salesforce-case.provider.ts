import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider, type TalkdeskInteraction } from '#interactions';
import type { SalesforceApi } from './salesforce-api.js';
import { salesforceCaseToInteraction } from './salesforce-mapping.js';
import { SalesforceConnector } from './salesforce.connector.js';

/** `case`: Cases of the contact (ContactId), newest first. */
@Injectable()
@ProvidesInteractions({ connector: SalesforceConnector, type: 'case' })
export class SalesforceCaseProvider implements InteractionProvider<SalesforceApi> {
  async fetchInteractions(api: SalesforceApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const records = await api.records('Case', contact, limit);
    return records.map((record) => salesforceCaseToInteraction(record, (object, id) => api.recordUrl(object, id)));
  }
}
