import { Module, type DynamicModule } from '@nestjs/common';
import { InteractionsModule, type Environment } from '#interactions';
import type { BridgeConfig } from '../bridge-config.js';
import { CONNECTOR_MODULES } from '../connectors.js';
import { SettingsModule } from '../settings.module.js';

/**
 * The connectors and their registry, without the HTTP edge, Redis or the cache: what printing an integration document
 * needs (print-integration.ts). The registry discovers the same declarations the served document reads.
 */
@Module({})
export class IntegrationCatalogModule {
  static forRoot(config: BridgeConfig, environment: Environment): DynamicModule {
    return {
      module: IntegrationCatalogModule,
      imports: [SettingsModule.forRoot(config, environment), InteractionsModule, ...CONNECTOR_MODULES],
    };
  }
}
