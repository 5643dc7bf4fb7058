import { Module } from '@nestjs/common';
import { InteractionsModule } from '#interactions';
import { CrmHttpClient } from './crm-http.client.js';
import { UndiciTransport } from './undici-transport.js';

/**
 * The shared outbound HTTP client module. Each connector module imports it and injects CrmHttpClient; a static
 * module is one instance however many import it, so every connector shares one client, its keep-alive pools and its
 * breakers. Its settings (CRM_HTTP_SETTINGS) are a value the app provides (apps/bridge/src/settings.module.ts).
 */
@Module({
  imports: [
    InteractionsModule, // BridgeMetrics: the client counts CRM calls
  ],
  providers: [UndiciTransport, CrmHttpClient],
  exports: [CrmHttpClient],
})
export class CrmHttpModule {}
