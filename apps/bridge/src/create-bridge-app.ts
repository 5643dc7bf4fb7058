import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { BadRequestException, Logger, type DynamicModule, type LoggerService, type LogLevel } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { BridgeMetrics, ConnectorRegistry, type Environment } from '#interactions';
import { AppModule } from './app.module.js';
import type { BridgeConfig } from './bridge-config.js';
import { httpReason, type ErrorBody } from './errors/bridge-exception.filter.js';
import { ShutdownState } from './health/health.controller.js';
import { createRequestValidationPipe } from './interactions/request-validation.js';
import { jsonNestingDepth, MAX_JSON_DEPTH } from './interactions/json-depth.js';
import { setupOpenApi } from './openapi/openapi.js';
import { JsonLogger } from './telemetry/logging.js';
import { crmUsageOf, installRequestTelemetry } from './telemetry/request-telemetry.js';
import { EdgeLimiters } from './protection/edge-limiters.js';
import { installEdgeProtection } from './protection/edge-protection.js';

export interface BridgeAppOptions {
  config: BridgeConfig;
  environment: Environment;
  /**
   * Nest's logger for tests (a capture, levels, or false for none). Undefined: JSON lines through pino, a request's
   * lines with its id (telemetry/logging.ts), written to `logDestination` (default stdout).
   */
  logger?: LoggerService | LogLevel[] | false;
  logDestination?: DestinationStream;
  /** Options for every connector's HTTP client, e.g. `CrmHttpModule.forRoot({ interceptors })` (docs/architecture.md). */
  crmHttp?: DynamicModule;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The whole bridge, ready to listen: used by main.ts and by the end-to-end tests alike. */
export async function createBridgeApp({
  config,
  environment,
  logger,
  logDestination,
  crmHttp,
}: BridgeAppOptions): Promise<NestFastifyApplication> {
  const { env } = config;
  // Node checks requestTimeout and headersTimeout every connectionsCheckingInterval (30 s by default): check often
  // enough that a stalled request is cut close to its timeout.
  const serverOptions = {
    headersTimeout: env.HTTP_HEADERS_TIMEOUT_MS,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(env.HTTP_HEADERS_TIMEOUT_MS / 4))),
  };
  const adapter = new FastifyAdapter({
    ...(env.TLS_CERT_FILE && env.TLS_KEY_FILE
      ? { https: { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE), ...serverOptions } }
      : { http: serverOptions }),
    bodyLimit: env.BODY_LIMIT_BYTES,
    requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
    connectionTimeout: env.HTTP_CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    // Keep the caller's id when it is a sane one, so a Talkdesk-side trace can be followed into our logs.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    // Who the client is (request.ip), for the per-address limit and the lockout: the TCP peer, unless TRUST_PROXY
    // names the load balancer in front, whose X-Forwarded-For is then believed (SECURITY.md, "The client's address").
    trustProxy: config.protection.trustProxy,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, environment, crmHttp),
    adapter,
    {
      logger: logger === undefined ? new JsonLogger(env, logDestination) : logger,
      // The JSON parser is the bridge's own (below): it bounds nesting before anything walks the body.
      bodyParser: false,
      // A failure while building the app is thrown to the caller (main.ts, a test), not turned into process.exit.
      abortOnError: false,
    },
  );
  app.useGlobalPipes(createRequestValidationPipe());
  const fastify = app.getHttpAdapter().getInstance();
  fastify.server.headersTimeout = env.HTTP_HEADERS_TIMEOUT_MS;
  capConnections(fastify, env.HTTP_MAX_CONNECTIONS, app.get(BridgeMetrics));
  // First: a caller without the secret, or over a limit, is turned away before anything else looks at it.
  installEdgeProtection(fastify, app.get(EdgeLimiters), app.get(ConnectorRegistry));
  configureHttpEdge(fastify, app.get(ShutdownState));
  countRequests(fastify, app.get(BridgeMetrics), app.get(ConnectorRegistry));
  countClientAborts(fastify, app.get(BridgeMetrics));
  installRequestTelemetry(fastify, app.get(ConnectorRegistry));

  await app.init();
  // After init: the document lists the connectors, which the registry discovers during init.
  setupOpenApi(app);
  return app;
}

/**
 * Talkdesk sends JSON only: anything else is a 415 before parsing. (Body size and JSON syntax errors reach the
 * exception filter through Nest's Fastify error handler.) Every answer says how long the bridge took over it
 * (`Server-Timing: total;dur=<ms>`), so a slow answer can be told apart from a slow network on the caller's side.
 * Talkdesk's routes also say how many calls the answer cost the customer's CRM account (`crm;desc="calls=<n>"`,
 * retries included), so a caller can see what a screen pop spends of the CRM's API budget, and, when the cache
 * answered part of it, how many lookups and types it answered (`cache;desc="hits=<n>"`).
 */
function configureHttpEdge(fastify: FastifyInstance, shutdown: ShutdownState): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const usage = crmUsageOf(request);
    reply.header(
      'server-timing',
      `total;dur=${reply.elapsedTime.toFixed(1)}` +
        (usage === undefined ? '' : `, crm;desc="calls=${usage.crmCalls}"`) +
        (usage && usage.cacheHits > 0 ? `, cache;desc="hits=${usage.cacheHits}"` : ''),
    );
    // Once shutting down, no connection is kept alive: the client's next request opens one to another replica.
    if (shutdown.shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });
  acceptJson(fastify);
  // The retriever's paths answer POST only; anything else is 405 naming the method that is allowed (HEAD comes
  // with GET).
  for (const url of ['/:connector/interactions', '/:connector/auth/validate']) {
    fastify.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH'],
      url,
      handler: async (request, reply) =>
        reply
          .status(405)
          .header('allow', 'POST')
          .send(errorBody(405, request.id, `${request.method} is not allowed here; use POST`)),
    });
  }
  // Callback style: nothing here waits, and an async hook costs a promise per request. Answering 415 ends the
  // request, so `done` is not called then.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (request.method !== 'POST') return done();
    const mime = String(request.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (mime !== 'application/json') {
      reply
        .status(415)
        .send(errorBody(415, request.id, `Content-Type must be application/json, not ${mime || 'missing'}`));
      return;
    }
    done();
  });
}

/**
 * JSON bodies, parsed by Fastify's own parser (prototype-poisoning checks included) once their nesting is known to
 * be sane. Talkdesk's body is 3 levels deep; a body thousands of levels deep (15 KB is enough) would make the DTO
 * transformation recurse until the stack overflows, a 500. Such a body is a 400, found by a flat scan of the text.
 */
function acceptJson(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonNestingDepth(body as string) > MAX_JSON_DEPTH) {
      done(new BadRequestException(`the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`), undefined);
      return;
    }
    void parse(request, body as string, done);
  });
}

/**
 * One counter and one histogram sample per Talkdesk call, and for interactions requests the CRM calls they cost;
 * unknown connector names share one label. (The access log line is written by telemetry/request-telemetry.ts.)
 */
function countRequests(fastify: FastifyInstance, metrics: BridgeMetrics, registry: ConnectorRegistry): void {
  const count = (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url;
    if (route !== '/:connector/interactions' && route !== '/:connector/auth/validate') return;
    const name = (request.params as { connector?: string }).connector ?? '';
    const connector = registry.get(name) ? name : 'unknown';
    const seconds = reply.elapsedTime / 1000;
    metrics.requests.inc({ connector, route: route.slice('/:connector/'.length), status: String(reply.statusCode) });
    if (route.endsWith('/interactions')) {
      metrics.requestDuration.observe({ connector }, seconds);
      metrics.crmCallsPerRequest.observe({ connector }, crmUsageOf(request)?.crmCalls ?? 0);
    }
  };
  // A callback-style hook: nothing here awaits, and an async hook costs a promise per request.
  fastify.addHook('onResponse', (request, reply, done) => {
    count(request, reply);
    done();
  });
}

/**
 * At most `max` open connections on the public listener (Node's `server.maxConnections`): one more is closed as it
 * arrives, before anything is read or allocated for it, which a load balancer or an HTTP client treats as safe to
 * try elsewhere. Idle keep-alive connections cost memory too (about 6 KB each, measured), and without a cap a client
 * holding tens of thousands open could take a replica past its memory limit. Counted, and logged at most every 10 s.
 */
function capConnections(fastify: FastifyInstance, max: number, metrics: BridgeMetrics): void {
  fastify.server.maxConnections = max;
  const logger = new Logger('Connections');
  let refusedSinceLog = 0;
  let loggedAt = 0;
  fastify.server.on('drop', () => {
    metrics.refusedConnections.inc();
    refusedSinceLog++;
    const now = Date.now();
    if (now - loggedAt < 10_000) return;
    logger.warn(`${refusedSinceLog} connection(s) refused: HTTP_MAX_CONNECTIONS (${max}) are open`);
    loggedAt = now;
    refusedSinceLog = 0;
  });
}

/**
 * A client that closes its connection before it has sent the whole body (Fastify's onRequestAbort) is counted, and
 * logged at debug: it is the client's doing, not an error of the bridge's, and the exception filter says nothing
 * about the failed body read that follows (errors/bridge-exception.filter.ts).
 */
function countClientAborts(fastify: FastifyInstance, metrics: BridgeMetrics): void {
  const logger = new Logger('Access');
  fastify.addHook('onRequestAbort', (request, done) => {
    metrics.clientAborts.inc();
    logger.debug(`[${request.id}] the client closed the connection before sending the whole body`);
    done();
  });
}

function errorBody(status: number, requestId: string, message: string): ErrorBody {
  return { statusCode: status, error: httpReason(status), message, requestId };
}
