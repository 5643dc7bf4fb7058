import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { CrmHttpModule } from '#crm-http';
import { InteractionsModule, SharingModule, type Environment } from '#interactions';
import { SharedStateModule } from '#shared-state';
import type { BridgeConfig } from './bridge-config.js';
import { CONNECTOR_MODULES } from './connectors.js';
import { BridgeExceptionFilter } from './errors/bridge-exception.filter.js';
import { HealthController, ShutdownState } from './health/health.controller.js';
import { IntegrationController } from './integration/integration.controller.js';
import { INTEGRATION_SETTINGS } from './integration/integration-settings.js';
import { InteractionsController } from './interactions/interactions.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { SettingsModule } from './settings.module.js';
import { METRICS_LISTEN, MetricsListener } from './metrics/metrics-listener.js';
import { EdgeLimiters } from './protection/edge-limiters.js';
import { PROTECTION_SETTINGS } from './protection/protection-config.js';
import { TracingShutdown } from './telemetry/tracing.js';

@Module({})
export class AppModule {
  /**
   * `crmHttp`: the app's options for every connector's HTTP client (`CrmHttpModule.forRoot` or `forRootAsync`, e.g.
   * axios interceptors); none by default.
   */
  static forRoot(config: BridgeConfig, environment: Environment, crmHttp = CrmHttpModule.forRoot({})): DynamicModule {
    // METRICS_PORT set: /metrics moves to a listener of its own, and the public one no longer has it.
    const metricsPort = config.env.METRICS_PORT;
    const metrics =
      metricsPort === undefined
        ? { controllers: [MetricsController], providers: [] }
        : {
            controllers: [],
            providers: [
              MetricsListener,
              { provide: METRICS_LISTEN, useValue: { host: config.env.METRICS_HOST, port: metricsPort } },
            ],
          };
    return {
      module: AppModule,
      imports: [
        SettingsModule.forRoot(config, environment),
        crmHttp,
        InteractionsModule, // InteractionsService, ConnectorRegistry, BridgeMetrics for the controllers
        // Process-wide like the settings: the Redis client (null without REDIS_URL), and the cache, coalescing and
        // CRM budget that InteractionsService and CrmHttpClient use when present.
        SharedStateModule.forRoot(config.sharedState),
        SharingModule.forRoot(config.sharing),
        // Readiness goes down only while shutting down (which main.ts logs once): an ERROR line per probe during a
        // planned drain would page someone for nothing.
        TerminusModule.forRoot({ logger: false }),
        ...CONNECTOR_MODULES,
      ],
      controllers: [InteractionsController, IntegrationController, HealthController, ...metrics.controllers],
      providers: [
        ShutdownState,
        TracingShutdown,
        { provide: APP_FILTER, useClass: BridgeExceptionFilter },
        { provide: PROTECTION_SETTINGS, useValue: config.protection },
        { provide: INTEGRATION_SETTINGS, useValue: config.integration },
        EdgeLimiters,
        ...metrics.providers,
      ],
    };
  }
}
