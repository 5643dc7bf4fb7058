import { Injectable } from '@nestjs/common';
import {
  keepWhatArrived,
  PartialInteractions,
  ProvidesInteractions,
  type Contact,
  type InteractionProvider,
  type TalkdeskInteraction,
} from '#interactions';
import type { SalesforceApi } from './salesforce-api.js';
import { salesforceClassicNoteToInteraction, salesforceNoteToInteraction } from './salesforce-mapping.js';
import { SalesforceConnector } from './salesforce.connector.js';

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
