import { Module } from '@nestjs/common';
import { CrmHttpModule } from '#crm-http';
import type { Environment } from '#interactions';
import { zendeskConfigFrom, zendeskConfigProvider, type ZendeskConfig } from './zendesk-config.js';
import { ZendeskConnector } from './zendesk.connector.js';
import { ZendeskCaseProvider } from './zendesk-case.provider.js';
import { ZendeskNoteProvider } from './zendesk-note.provider.js';
import { ZendeskTaskProvider } from './zendesk-task.provider.js';

/** Zendesk Support: the connector (contacts, credentials) and one provider per interaction type. */
@Module({
  imports: [CrmHttpModule],
  providers: [zendeskConfigProvider, ZendeskConnector, ZendeskCaseProvider, ZendeskTaskProvider, ZendeskNoteProvider],
})
export class ZendeskModule {
  static configFrom(environment: Environment): ZendeskConfig {
    return zendeskConfigFrom(environment);
  }
}
