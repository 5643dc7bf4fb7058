import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider } from '#interactions';
import type { FreshdeskApi } from './freshdesk-api.js';
import { InjectFreshdeskConfig, type FreshdeskConfig } from './freshdesk-config.js';
import { requestedTicketsAs } from './freshdesk-requested-tickets.js';
import { FreshdeskConnector } from './freshdesk.connector.js';

/** `case`: the contact's requested tickets that did not come by phone, newest first. */
@Injectable()
@ProvidesInteractions({ connector: FreshdeskConnector, type: 'case' })
export class FreshdeskCaseProvider implements InteractionProvider<FreshdeskApi> {
  constructor(@InjectFreshdeskConfig() private readonly config: FreshdeskConfig) {}

  fetchInteractions(api: FreshdeskApi, contact: Contact, limit: number) {
    return requestedTicketsAs('case', api, contact, limit, this.config.webUrlTemplate);
  }
}
