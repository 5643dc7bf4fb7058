import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider } from '#interactions';
import type { ZendeskApi } from './zendesk-api.js';
import { InjectZendeskConfig, type ZendeskConfig } from './zendesk-config.js';
import { requestedTicketsAs } from './zendesk-requested-tickets.js';
import { ZendeskConnector } from './zendesk.connector.js';

/** `case`: the user's requested tickets that are not tasks, newest first. */
@Injectable()
@ProvidesInteractions({ connector: ZendeskConnector, type: 'case' })
export class ZendeskCaseProvider implements InteractionProvider<ZendeskApi> {
  constructor(@InjectZendeskConfig() private readonly config: ZendeskConfig) {}

  fetchInteractions(api: ZendeskApi, contact: Contact, limit: number) {
    return requestedTicketsAs('case', api, contact, limit, this.config.webUrlTemplate);
  }
}
