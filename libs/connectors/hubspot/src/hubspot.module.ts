import { Module } from '@nestjs/common';
import { HubspotCallProvider } from './hubspot-call.provider.js';
import { hubspotConfigProvider } from './hubspot-config.js';
import { HubspotMetadataCache } from './hubspot-metadata-cache.js';
import { HubspotNoteProvider } from './hubspot-note.provider.js';
import { HubspotTaskProvider } from './hubspot-task.provider.js';
import { HubspotTicketProvider } from './hubspot-ticket.provider.js';
import { HubspotConnector } from './hubspot.connector.js';

/** HubSpot CRM: the connector (contacts, credentials), the account metadata cache, one provider per interaction type. */
@Module({
  providers: [
    hubspotConfigProvider,
    HubspotMetadataCache,
    HubspotConnector,
    HubspotTicketProvider,
    HubspotNoteProvider,
    HubspotTaskProvider,
    HubspotCallProvider,
  ],
})
export class HubspotModule {}
