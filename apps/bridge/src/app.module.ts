import { Module, type DynamicModule } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { InteractionsModule, SharingModule, type Environment } from '#interactions';
import { SharedStateModule } from '#shared-state';
import type { BridgeConfig } from './bridge-config.js';
import { CONNECTOR_MODULES } from './connectors.js';
import { BridgeExceptionFilter } from './errors/bridge-exception.filter.js';
import { HealthController, ShutdownState } from './health/health.controller.js';
import { InteractionsController } from './interactions/interactions.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { SettingsModule } from './settings.module.js';
import { pinoLoggerModule, RequestLogContextInterceptor } from './telemetry/logging.js';
import { TracingShutdown } from './telemetry/tracing.js';

@Module({})
export class AppModule {
  /** `logDestination`: where JSON log lines go (default stdout); tests read them. */
  static forRoot(config: BridgeConfig, environment: Environment, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        pinoLoggerModule(config.env, logDestination),
        SettingsModule.forRoot(config, environment),
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
      controllers: [InteractionsController, HealthController, MetricsController],
      providers: [
        ShutdownState,
        TracingShutdown,
        { provide: APP_FILTER, useClass: BridgeExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestLogContextInterceptor },
      ],
    };
  }
}
