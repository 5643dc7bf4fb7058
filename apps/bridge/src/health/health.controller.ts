import { Controller, Get, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ConnectorRegistry } from '#interactions';

/**
 * Flips to "shutting down" at the start of the shutdown sequence (main.ts, on SIGTERM), before anything closes:
 * readiness answers 503 so Kubernetes stops routing here, and every answer from then on carries
 * `Connection: close` so kept-alive connections move elsewhere.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  shuttingDown = false;

  begin(): void {
    this.shuttingDown = true;
  }

  beforeApplicationShutdown(): void {
    this.begin();
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
    return this.health.check([
      () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
    ]);
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
