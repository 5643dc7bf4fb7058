import { Logger } from '@nestjs/common';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestTelemetry } from '#crm-http';
import type { ConnectorRegistry } from '#interactions';

const telemetryByRequest = new WeakMap<FastifyRequest, RequestTelemetry>();

/**
 * Names the asked types the CRM budget shed from a 200 answer (docs/contract.md), e.g. `note,task`; the access log
 * line repeats it as `shedTypes`.
 */
export const SHED_TYPES_HEADER = 'x-bridge-shed-types';
const tracer = trace.getTracer('interaction-bridge');

/** Talkdesk's routes: traced, and logged at `log` level. Probes, metrics and docs are logged at `debug`. */
const TALKDESK_ROUTES = new Set(['/:connector/interactions', '/:connector/auth/validate']);

/**
 * One access log line per request, with what operators ask of it (method, route, connector, status, duration, CRM
 * calls and retries, cache hits, request id), and one span per Talkdesk request when tracing is on. The URL itself
 * is not logged: it is the route and the connector, and anything else in it is the caller's text.
 */
export function installRequestTelemetry(fastify: FastifyInstance, registry: ConnectorRegistry): void {
  const access = new Logger('Access');
  // Callback-style hooks: nothing here awaits, and an async hook costs a promise per request.
  fastify.addHook('onRequest', (request, _reply, done) => {
    const telemetry: RequestTelemetry = { crmCalls: 0, crmRetries: 0, cacheHits: 0 };
    const route = request.routeOptions.url;
    if (route && TALKDESK_ROUTES.has(route)) {
      telemetry.span = tracer.startSpan(`${request.method} ${route}`, {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': route,
          'bridge.connector': connectorName(request, registry),
          'bridge.request_id': request.id,
        },
      });
    }
    telemetryByRequest.set(request, telemetry);
    done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const telemetry = telemetryByRequest.get(request);
    const route = request.routeOptions.url;
    const talkdesk = route !== undefined && TALKDESK_ROUTES.has(route);
    const line = {
      msg: 'request',
      requestId: request.id,
      method: request.method,
      route: route ?? null,
      connector: talkdesk ? connectorName(request, registry) : null,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      crmCalls: telemetry?.crmCalls ?? 0,
      crmRetries: telemetry?.crmRetries ?? 0,
      cacheHits: telemetry?.cacheHits ?? 0,
      ...shedTypesOf(reply.getHeader(SHED_TYPES_HEADER)),
    };
    if (talkdesk) access.log(line);
    else access.debug(line);

    const span = telemetry?.span;
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      span.setAttribute('bridge.crm_calls', line.crmCalls);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}

/**
 * What one of Talkdesk's requests has cost so far: its CRM calls (retries included: each is charged to the
 * customer's API budget) and its cache hits; undefined for any other route.
 */
export function crmUsageOf(request: FastifyRequest): { crmCalls: number; cacheHits: number } | undefined {
  const route = request.routeOptions.url;
  if (route === undefined || !TALKDESK_ROUTES.has(route)) return undefined;
  const telemetry = telemetryByRequest.get(request);
  return { crmCalls: telemetry?.crmCalls ?? 0, cacheHits: telemetry?.cacheHits ?? 0 };
}

/** The request's telemetry, created when it arrived; the controller binds it to the request's context. */
export function telemetryOf(request: FastifyRequest): RequestTelemetry {
  let telemetry = telemetryByRequest.get(request);
  if (!telemetry) telemetryByRequest.set(request, (telemetry = { crmCalls: 0, crmRetries: 0, cacheHits: 0 }));
  return telemetry;
}

/** `{ shedTypes: ['note', 'task'] }` from the header's value, nothing when it is absent. */
function shedTypesOf(header: unknown): { shedTypes?: string[] } {
  return typeof header === 'string' && header !== '' ? { shedTypes: header.split(',') } : {};
}

/** A registered connector's name, or `unknown`: a caller's arbitrary path segment never reaches a log or a label. */
function connectorName(request: FastifyRequest, registry: ConnectorRegistry): string {
  const name = (request.params as { connector?: string } | undefined)?.connector ?? '';
  return registry.get(name) ? name : 'unknown';
}
