import { HttpModule } from '@nestjs/axios';
import { Injectable, Module, type DynamicModule, type OnModuleDestroy } from '@nestjs/common';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CrmHttpClient } from './crm-http.client.js';
import { CRM_HTTP_SETTINGS, type CrmHttpSettings } from './crm-http-settings.js';

/** Keep-alive sockets shared by every CRM call; closed when the application shuts down. */
@Injectable()
export class KeepAliveAgents implements OnModuleDestroy {
  readonly http = new HttpAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 60_000 });
  readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 60_000 });

  onModuleDestroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** The shared outbound HTTP client module. Connectors import it and inject CrmHttpClient. */
@Module({})
export class CrmHttpModule {
  static forRoot(settings: CrmHttpSettings): DynamicModule {
    return {
      module: CrmHttpModule,
      global: true,
      imports: [
        HttpModule.registerAsync({
          extraProviders: [KeepAliveAgents],
          inject: [KeepAliveAgents],
          useFactory: (agents: KeepAliveAgents) => ({ httpAgent: agents.http, httpsAgent: agents.https }),
        }),
      ],
      providers: [CrmHttpClient, { provide: CRM_HTTP_SETTINGS, useValue: settings }],
      exports: [CrmHttpClient],
    };
  }
}
