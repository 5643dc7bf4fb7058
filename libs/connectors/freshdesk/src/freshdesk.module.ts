import { Module } from '@nestjs/common';
import { CrmHttpModule } from '#crm-http';
import type { Environment } from '#interactions';
import { freshdeskConfigFrom, freshdeskConfigProvider, type FreshdeskConfig } from './freshdesk-config.js';
import { FreshdeskCallProvider } from './freshdesk-call.provider.js';
import { FreshdeskCaseProvider } from './freshdesk-case.provider.js';
import { FreshdeskListCooldowns } from './freshdesk-list-cooldowns.js';
import { FreshdeskNoteProvider } from './freshdesk-note.provider.js';
import { FreshdeskConnector } from './freshdesk.connector.js';

/** Freshdesk: the connector (contacts, credentials) and one provider per interaction type. */
@Module({
  imports: [CrmHttpModule],
  providers: [
    freshdeskConfigProvider,
    FreshdeskListCooldowns,
    FreshdeskConnector,
    FreshdeskCaseProvider,
    FreshdeskCallProvider,
    FreshdeskNoteProvider,
  ],
})
export class FreshdeskModule {
  static configFrom(environment: Environment): FreshdeskConfig {
    return freshdeskConfigFrom(environment);
  }
}
