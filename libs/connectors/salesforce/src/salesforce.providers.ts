import { Injectable } from '@nestjs/common';
import {
  ProvidesInteractions,
  type InteractionProvider,
  keepWhatArrived,
  PartialInteractions,
  type Contact,
  type TalkdeskInteraction,
} from '#interactions';
import type { SalesforceApi } from './salesforce-api.js';
import { SalesforceConnector } from './salesforce.connector.js';
import {
  salesforceCaseToInteraction,
  salesforceClassicNoteToInteraction,
  salesforceNoteToInteraction,
  salesforceTaskToInteraction,
} from './salesforce-mapping.js';
import { isCallTask } from './salesforce-queries.js';

/** `case`: Cases of the contact (ContactId), newest first. */
@Injectable()
@ProvidesInteractions({ connector: SalesforceConnector, type: 'case' })
export class SalesforceCaseProvider implements InteractionProvider<SalesforceApi> {
  async fetchInteractions(api: SalesforceApi, contact: Contact, limit: number): Promise<TalkdeskInteraction[]> {
    const records = await api.records('Case', contact, limit);
    return records.map((record) => salesforceCaseToInteraction(record, (object, id) => api.recordUrl(object, id)));
  }
}

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

/**
 * `note`: ContentNotes linked to the contact (ContentDocumentLink) and classic Notes on it (ParentId), newest first.
 * Either query may fail alone (an org without ContentNotes, or without classic Notes): the other's notes still
 * answer, and the failure is counted as a partial answer.
 */
@Injectable()
@ProvidesInteractions({ connector: SalesforceConnector, type: 'note' })
export class SalesforceNoteProvider implements InteractionProvider<SalesforceApi> {
  async fetchInteractions(
    api: SalesforceApi,
    contact: Contact,
    limit: number,
  ): Promise<TalkdeskInteraction[] | PartialInteractions> {
    const url = (object: string, id: string) => api.recordUrl(object, id);
    const { arrived, failures } = await keepWhatArrived([
      api
        .records('ContentNote', contact, limit)
        .then((records) => records.map((r) => salesforceNoteToInteraction(r, url))),
      api
        .records('Note', contact, limit)
        .then((records) => records.map((r) => salesforceClassicNoteToInteraction(r, url))),
    ]);
    const newestFirst = arrived
      .flat()
      .sort((a, b) => (a.date === b.date ? (a.id < b.id ? 1 : -1) : a.date < b.date ? 1 : -1));
    return PartialInteractions.of(newestFirst.slice(0, limit), failures);
  }
}
