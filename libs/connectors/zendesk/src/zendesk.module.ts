import { Module } from '@nestjs/common';
import { zendeskConfigProvider } from './zendesk-config.js';
import { ZendeskConnector } from './zendesk.connector.js';
import { ZendeskCaseProvider, ZendeskNoteProvider, ZendeskTaskProvider } from './zendesk-ticket.providers.js';

/** Zendesk Support: the connector (contacts, credentials) and one provider per interaction type. */
@Module({
  providers: [zendeskConfigProvider, ZendeskConnector, ZendeskCaseProvider, ZendeskTaskProvider, ZendeskNoteProvider],
})
export class ZendeskModule {}
