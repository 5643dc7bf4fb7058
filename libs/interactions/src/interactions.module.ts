import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BridgeMetrics } from './bridge-metrics.js';
import { ConnectorRegistry } from './connector-registry.js';
import {
  ENVIRONMENT,
  INTERACTION_SETTINGS,
  type Environment,
  type InteractionSettings,
} from './interaction-settings.js';
import { InteractionsService } from './interactions.service.js';

/** The core: the registry that discovers connectors and providers, and the service that runs a request. */
@Global()
@Module({})
export class InteractionsModule {
  static forRoot(settings: InteractionSettings, environment: Environment = process.env): DynamicModule {
    return {
      module: InteractionsModule,
      imports: [DiscoveryModule],
      providers: [
        ConnectorRegistry,
        InteractionsService,
        BridgeMetrics,
        { provide: INTERACTION_SETTINGS, useValue: settings },
        { provide: ENVIRONMENT, useValue: environment },
      ],
      exports: [ConnectorRegistry, InteractionsService, BridgeMetrics, INTERACTION_SETTINGS, ENVIRONMENT],
    };
  }
}
