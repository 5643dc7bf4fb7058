import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider } from '#interactions';
import type { ZendeskApi } from './zendesk-api.js';
import { InjectZendeskConfig, type ZendeskConfig } from './zendesk-config.js';
import { requestedTicketsAs } from './zendesk-requested-tickets.js';
import { ZendeskConnector } from './zendesk.connector.js';

/** `task`: the user's requested tickets of type task, dated by their due date. */
@Injectable()
@ProvidesInteractions({ connector: ZendeskConnector, type: 'task' })
export class ZendeskTaskProvider implements InteractionProvider<ZendeskApi> {
  constructor(@InjectZendeskConfig() private readonly config: ZendeskConfig) {}

  fetchInteractions(api: ZendeskApi, contact: Contact, limit: number) {
    return requestedTicketsAs('task', api, contact, limit, this.config.webUrlTemplate);
  }
}
