import { Module } from '@nestjs/common';
import { CrmHttpModule } from '#crm-http';
import type { Environment } from '#interactions';
import { HubspotCallProvider } from './hubspot-call.provider.js';
import { hubspotConfigFrom, hubspotConfigProvider, type HubspotConfig } from './hubspot-config.js';
import { HubspotMetadataCache } from './hubspot-metadata-cache.js';
import { HubspotNoteProvider } from './hubspot-note.provider.js';
import { HubspotTaskProvider } from './hubspot-task.provider.js';
import { HubspotCaseProvider } from './hubspot-case.provider.js';
import { HubspotConnector } from './hubspot.connector.js';

/** HubSpot CRM: the connector (contacts, credentials), the account metadata cache, one provider per interaction type. */
@Module({
  imports: [CrmHttpModule],
  providers: [
    hubspotConfigProvider,
    HubspotMetadataCache,
    HubspotConnector,
    HubspotCaseProvider,
    HubspotNoteProvider,
    HubspotTaskProvider,
    HubspotCallProvider,
  ],
})
export class HubspotModule {
  static configFrom(environment: Environment): HubspotConfig {
    return hubspotConfigFrom(environment);
  }
}
