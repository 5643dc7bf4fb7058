import { Controller, Get, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ConnectorRegistry } from '#interactions';

/** Flips to "shutting down" on SIGTERM, so Kubernetes stops routing before in-flight requests are cut. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  shuttingDown = false;

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}

/**
 * Kubernetes probes. Readiness depends only on this process (connectors registered, not shutting down), never on a
 * CRM: one CRM's outage must not take every pod out of service.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: ConnectorRegistry,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.connectors(), () => this.accepting()]);
  }

  private connectors(): HealthIndicatorResult {
    const names = this.registry.list().map((connector) => connector.name);
    const indicator = this.indicators.check('connectors');
    return names.length > 0 ? indicator.up({ names }) : indicator.down({ reason: 'no connector registered' });
  }

  private accepting(): HealthIndicatorResult {
    const indicator = this.indicators.check('lifecycle');
    return this.shutdown.shuttingDown ? indicator.down({ reason: 'shutting down' }) : indicator.up();
  }
}
