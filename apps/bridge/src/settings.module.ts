import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CRM_HTTP_SETTINGS } from '#crm-http';
import { ENVIRONMENT, INTERACTION_SETTINGS, type Environment } from '#interactions';
import type { BridgeConfig } from './bridge-config.js';

/**
 * The configuration read and validated at boot (bridge-config.ts), as values: the core's INTERACTION_SETTINGS, the
 * HTTP client's CRM_HTTP_SETTINGS, and the ENVIRONMENT each connector reads its own variables from.
 *
 * One of the app's global modules, and it holds values only, as @nestjs/config's ConfigModule does with `isGlobal`: every
 * service comes from a module that its user imports (a connector module imports CrmHttpModule for CrmHttpClient).
 */
@Global()
@Module({})
export class SettingsModule {
  static forRoot(config: BridgeConfig, environment: Environment): DynamicModule {
    return {
      module: SettingsModule,
      providers: [
        { provide: INTERACTION_SETTINGS, useValue: config.interactions },
        { provide: CRM_HTTP_SETTINGS, useValue: config.crmHttp },
        { provide: ENVIRONMENT, useValue: environment },
      ],
      exports: [INTERACTION_SETTINGS, CRM_HTTP_SETTINGS, ENVIRONMENT],
    };
  }
}
