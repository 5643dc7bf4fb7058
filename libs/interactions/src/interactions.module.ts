import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BridgeMetrics } from './bridge-metrics.js';
import { ConnectorRegistry } from './connector-registry.js';
import { InteractionsService } from './interactions.service.js';

/**
 * The core: the registry that discovers connectors and providers, the service that runs a request, and the metrics
 * they count. Not global: a module that injects one of these imports this module. Its settings (INTERACTION_SETTINGS,
 * ENVIRONMENT) are values the app provides (apps/bridge/src/settings.module.ts).
 */
@Module({
  imports: [DiscoveryModule],
  providers: [ConnectorRegistry, InteractionsService, BridgeMetrics],
  exports: [ConnectorRegistry, InteractionsService, BridgeMetrics],
})
export class InteractionsModule {}
