import { HttpModule, type HttpModuleOptions } from '@nestjs/axios';
import {
  Global,
  Inject,
  Injectable,
  Module,
  Optional,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
} from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import { InteractionsModule } from '#interactions';
import { configureCrmAxios, crmAxiosDefaults, type CrmHttpModuleOptions } from './crm-axios.js';
import { CrmHttpClient } from './crm-http.client.js';
import { CRM_HTTP_SETTINGS } from './crm-http-settings.js';
import { UndiciTransport } from './undici-transport.js';

export const CRM_HTTP_MODULE_OPTIONS = Symbol('CRM_HTTP_MODULE_OPTIONS');

/** @nestjs/axios's tokens (http.constants.ts): the axios instance its HttpService wraps, and the options it was made from. */
const AXIOS_INSTANCE_TOKEN = 'AXIOS_INSTANCE_TOKEN';
const HTTP_MODULE_OPTIONS = 'HTTP_MODULE_OPTIONS';

/** Finishes the instance HttpModule made from crmAxiosDefaults (configureCrmAxios), with the app's interceptors. */
@Injectable()
class CrmAxiosInstance {
  constructor(
    @Inject(AXIOS_INSTANCE_TOKEN) axios: AxiosInstance,
    @Inject(HTTP_MODULE_OPTIONS) defaults: HttpModuleOptions,
    @Optional() @Inject(CRM_HTTP_MODULE_OPTIONS) options?: CrmHttpModuleOptions,
  ) {
    configureCrmAxios(axios, defaults, options);
  }
}

/** Holds the app's CrmHttpModuleOptions for CrmHttpModule, wherever a connector imports it. */
@Global()
@Module({})
class CrmHttpOptionsModule {}

/**
 * The one outbound HTTP client module. Each connector module imports it and injects CrmHttpClient; a static module is
 * one instance however many import it, so every connector shares one client, one axios instance (HttpModule's
 * HttpService) over one undici Agent, and one set of breakers. Its settings (CRM_HTTP_SETTINGS) are a value the app
 * provides (apps/bridge/src/settings.module.ts); the app may add interceptors with `CrmHttpModule.forRoot`.
 */
@Module({
  imports: [
    InteractionsModule, // BridgeMetrics: the client counts CRM calls
    HttpModule.registerAsync({
      extraProviders: [UndiciTransport, CrmAxiosInstance],
      inject: [UndiciTransport, CRM_HTTP_SETTINGS],
      useFactory: crmAxiosDefaults,
    }),
  ],
  providers: [CrmHttpClient],
  exports: [CrmHttpClient],
})
export class CrmHttpModule {
  /** The app's options for the CRM client's axios instance: imported once, by the app module (global). */
  static forRoot(options: CrmHttpModuleOptions): DynamicModule {
    return CrmHttpModule.forRootAsync({ useFactory: () => options });
  }

  /** The same, made by a factory that may inject providers of the given imports (a token service, a signer). */
  static forRootAsync(options: {
    imports?: ModuleMetadata['imports'];
    inject?: FactoryProvider['inject'];
    useFactory: (...args: never[]) => CrmHttpModuleOptions | Promise<CrmHttpModuleOptions>;
  }): DynamicModule {
    return {
      module: CrmHttpOptionsModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: CRM_HTTP_MODULE_OPTIONS,
          useFactory: options.useFactory as (...args: unknown[]) => CrmHttpModuleOptions,
          inject: options.inject ?? [],
        },
      ],
      exports: [CRM_HTTP_MODULE_OPTIONS],
    };
  }
}
