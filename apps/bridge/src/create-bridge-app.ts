import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { BridgeMetrics, ConnectorRegistry, type Environment } from '#interactions';
import { AppModule } from './app.module.js';
import type { BridgeConfig } from './bridge-config.js';
import { httpReason, type ErrorBody } from './errors/bridge-exception.filter.js';
import { createRequestValidationPipe } from './interactions/request-validation.js';
import { setupOpenApi } from './openapi/openapi.js';
import { installRequestTelemetry } from './telemetry/request-telemetry.js';

export interface BridgeAppOptions {
  config: BridgeConfig;
  environment: Environment;
  /**
   * Nest's logger for tests (a capture, levels, or false for none). Undefined: JSON lines through pino, each with
   * its request's id (telemetry/logging.ts), written to `logDestination` (default stdout).
   */
  logger?: LoggerService | LogLevel[] | false;
  logDestination?: DestinationStream;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The whole bridge, ready to listen: used by main.ts and by the end-to-end tests alike. */
export async function createBridgeApp({ config, environment, logger, logDestination }: BridgeAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    ...(config.env.TLS_CERT_FILE && config.env.TLS_KEY_FILE
      ? { https: { cert: readFileSync(config.env.TLS_CERT_FILE), key: readFileSync(config.env.TLS_KEY_FILE) } }
      : {}),
    bodyLimit: config.env.BODY_LIMIT_BYTES,
    // Keep the caller's id when it is a sane one, so a Talkdesk-side trace can be followed into our logs.
    // The id is also left on the raw request, where the request's pino logger (pino-http) takes it from.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      request.id = id;
      return id;
    },
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, environment, logDestination),
    adapter,
    logger === undefined ? { bufferLogs: true } : { logger },
  );
  if (logger === undefined) app.useLogger(app.get(PinoLogger));
  app.useGlobalPipes(createRequestValidationPipe());
  configureHttpEdge(app.getHttpAdapter().getInstance());
  countRequests(app.getHttpAdapter().getInstance(), app.get(BridgeMetrics), app.get(ConnectorRegistry));
  installRequestTelemetry(app.getHttpAdapter().getInstance(), app.get(ConnectorRegistry));

  await app.init();
  // After init: the document lists the connectors, which the registry discovers during init.
  setupOpenApi(app);
  return app;
}

/**
 * Talkdesk sends JSON only: anything else is a 415 before parsing. (Body size and JSON syntax errors reach the
 * exception filter through Nest's Fastify error handler.) Every answer says how long the bridge took over it
 * (`Server-Timing: total;dur=<ms>`), so a slow answer can be told apart from a slow network on the caller's side.
 */
function configureHttpEdge(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('server-timing', `total;dur=${reply.elapsedTime.toFixed(1)}`);
    done(null, payload);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.method !== 'POST') return;
    const mime = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (mime !== 'application/json') {
      return reply
        .status(415)
        .send(errorBody(415, request.id, `Content-Type must be application/json, not ${mime || 'missing'}`));
    }
  });
}

/**
 * One counter and one histogram sample per Talkdesk call; unknown connector names share one label. (The access log
 * line is written by telemetry/request-telemetry.ts.)
 */
function countRequests(fastify: FastifyInstance, metrics: BridgeMetrics, registry: ConnectorRegistry): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route !== '/:connector/interactions' && route !== '/:connector/auth/validate') return;
    const name = (request.params as { connector?: string }).connector ?? '';
    const connector = registry.get(name) ? name : 'unknown';
    const seconds = reply.elapsedTime / 1000;
    metrics.requests.inc({ connector, route: route.slice('/:connector/'.length), status: String(reply.statusCode) });
    if (route.endsWith('/interactions')) metrics.requestDuration.observe({ connector }, seconds);
  });
}

function errorBody(status: number, requestId: string, message: string): ErrorBody {
  return { statusCode: status, error: httpReason(status), message, requestId };
}
