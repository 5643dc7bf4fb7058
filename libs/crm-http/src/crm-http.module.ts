import { HttpModule } from '@nestjs/axios';
import { Module, type DynamicModule } from '@nestjs/common';
import { CrmHttpClient } from './crm-http.client.js';
import { CRM_HTTP_SETTINGS, type CrmHttpSettings } from './crm-http-settings.js';
import { UndiciTransport } from './undici-adapter.js';

/** The shared outbound HTTP client module. Connectors import it and inject CrmHttpClient. */
@Module({})
export class CrmHttpModule {
  static forRoot(settings: CrmHttpSettings): DynamicModule {
    return {
      module: CrmHttpModule,
      global: true,
      imports: [
        HttpModule.registerAsync({
          // HttpService stays the injection point; undici does the sending (keep-alive pools, see UndiciTransport).
          extraProviders: [UndiciTransport],
          inject: [UndiciTransport],
          useFactory: (transport: UndiciTransport) => ({ adapter: transport.adapter }),
        }),
      ],
      providers: [CrmHttpClient, { provide: CRM_HTTP_SETTINGS, useValue: settings }],
      exports: [CrmHttpClient],
    };
  }
}
