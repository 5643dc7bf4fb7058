import { Injectable } from '@nestjs/common';
import { ProvidesInteractions, type Contact, type InteractionProvider } from '#interactions';
import type { FreshdeskApi } from './freshdesk-api.js';
import { InjectFreshdeskConfig, type FreshdeskConfig } from './freshdesk-config.js';
import { requestedTicketsAs } from './freshdesk-requested-tickets.js';
import { FreshdeskConnector } from './freshdesk.connector.js';

/** `call`: the contact's requested tickets of source Phone (the record of a call), newest first. */
@Injectable()
@ProvidesInteractions({ connector: FreshdeskConnector, type: 'call' })
export class FreshdeskCallProvider implements InteractionProvider<FreshdeskApi> {
  constructor(@InjectFreshdeskConfig() private readonly config: FreshdeskConfig) {}

  fetchInteractions(api: FreshdeskApi, contact: Contact, limit: number) {
    return requestedTicketsAs('call', api, contact, limit, this.config.webUrlTemplate);
  }
}
