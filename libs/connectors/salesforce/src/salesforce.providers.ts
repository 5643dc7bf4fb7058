import { Injectable } from '@nestjs/common';
import { InteractionProvider, type Contact, type TalkdeskInteraction } from '#interactions';
import type { SalesforceApi } from './salesforce-api.js';
import {
  salesforceCaseToInteraction,
  salesforceNoteToInteraction,
  salesforceTaskToInteraction,
} from './salesforce-mapping.js';

/** `case`: Cases of the contact (ContactId), newest first. */
@Injectable()
@InteractionProvider({ connector: 'salesforce', type: 'case' })
export class SalesforceCaseProvider implements InteractionProvider<SalesforceApi> {
  async fetchInteractions(api: SalesforceApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const records = await api.interactions('case', contact, limit);
    return records.map((record) => salesforceCaseToInteraction(record, (object, id) => api.recordUrl(object, id)));
  }
}

/** `task`: open and completed Tasks on the contact (WhoId) that are not calls. */
@Injectable()
@InteractionProvider({ connector: 'salesforce', type: 'task' })
export class SalesforceTaskProvider implements InteractionProvider<SalesforceApi> {
  async fetchInteractions(api: SalesforceApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const records = await api.interactions('task', contact, limit);
    return records.map((record) =>
      salesforceTaskToInteraction(record, 'task', (object, id) => api.recordUrl(object, id)),
    );
  }
}

/** `call`: Tasks with TaskSubtype `Call` on the contact. */
@Injectable()
@InteractionProvider({ connector: 'salesforce', type: 'call' })
export class SalesforceCallProvider implements InteractionProvider<SalesforceApi> {
  async fetchInteractions(api: SalesforceApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const records = await api.interactions('call', contact, limit);
    return records.map((record) =>
      salesforceTaskToInteraction(record, 'call', (object, id) => api.recordUrl(object, id)),
    );
  }
}

/** `note`: ContentNotes linked to the contact (ContentDocumentLink). */
@Injectable()
@InteractionProvider({ connector: 'salesforce', type: 'note' })
export class SalesforceNoteProvider implements InteractionProvider<SalesforceApi> {
  async fetchInteractions(api: SalesforceApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const records = await api.interactions('note', contact, limit);
    return records.map((record) => salesforceNoteToInteraction(record, (object, id) => api.recordUrl(object, id)));
  }
}
