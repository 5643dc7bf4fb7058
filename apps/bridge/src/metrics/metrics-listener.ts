import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { BridgeMetrics } from '#interactions';

export const METRICS_LISTEN = Symbol('METRICS_LISTEN');

/**
 * GET /metrics on a listener of its own (METRICS_PORT, METRICS_HOST), off the public one: the Service or ingress
 * that Talkdesk reaches exposes PORT only, and Prometheus scrapes this port on the pod. Nothing else is served here.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MetricsListener');
  private readonly server: FastifyInstance = Fastify({ logger: false });
  /** e.g. http://127.0.0.1:9464, once listening. */
  url?: string;

  constructor(
    private readonly metrics: BridgeMetrics,
    @Inject(METRICS_LISTEN) private readonly listen: { host: string; port: number },
  ) {
    this.server.get('/metrics', async (_request, reply) =>
      reply.type('text/plain; version=0.0.4; charset=utf-8').send(await this.metrics.registry.metrics()),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.server.listen(this.listen);
    const address = this.server.server.address();
    const port = typeof address === 'object' && address ? address.port : this.listen.port;
    const host = this.listen.host.includes(':') ? `[${this.listen.host}]` : this.listen.host;
    this.url = `http://${host}:${port}`;
    this.logger.log(`metrics on ${this.url}/metrics (METRICS_PORT)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}
