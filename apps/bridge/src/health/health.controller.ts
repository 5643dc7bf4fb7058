import {
  Catch,
  Controller,
  Get,
  Injectable,
  ServiceUnavailableException,
  UseFilters,
  type ArgumentsHost,
  type BeforeApplicationShutdown,
  type ExceptionFilter,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ConnectorRegistry } from '#interactions';
import { ApiLivenessResponses, ApiReadinessResponses } from '../openapi/health-responses.js';

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
 * A failed check is answered 503 with Terminus' own body, which says which check is down and why (the bridge's
 * exception filter would turn it into a generic error body).
 */
@Catch(ServiceUnavailableException)
class HealthCheckFailedFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(503).send(exception.getResponse());
  }
}

/**
 * Kubernetes probes. Readiness depends only on this process (connectors registered, not shutting down), never on a
 * CRM: one CRM's outage must not take every pod out of service.
 */
@ApiTags('operations')
@Controller('health')
@UseFilters(HealthCheckFailedFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: ConnectorRegistry,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiLivenessResponses()
  live() {
    return this.health.check([
      () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiReadinessResponses()
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
