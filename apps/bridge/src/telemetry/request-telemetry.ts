import { Logger } from '@nestjs/common';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inspect } from 'node:util';
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
      // The caller's W3C `traceparent` (and `tracestate`), read by the registered propagator (tracing.ts): the
      // request's span is a child of the caller's (Talkdesk's, or the ingress's). A malformed header is ignored and
      // the span starts a trace of its own. Without tracing the API's propagator is a no-op.
      const callers = propagation.extract(ROOT_CONTEXT, request.headers);
      telemetry.span = tracer.startSpan(
        `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': request.method,
            'http.route': route,
            'bridge.connector': connectorName(request, registry),
            'bridge.request_id': request.id,
          },
        },
        callers,
      );
    }
    telemetryByRequest.set(request, telemetry);
    done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const telemetry = telemetryByRequest.get(request);
    const route = request.routeOptions.url;
    const talkdesk = route !== undefined && TALKDESK_ROUTES.has(route);
    const line = new AccessLine(
      request.id,
      request.method,
      route ?? null,
      talkdesk ? connectorName(request, registry) : null,
      reply.statusCode,
      Math.round(reply.elapsedTime * 10) / 10,
      telemetry?.crmCalls ?? 0,
      telemetry?.crmRetries ?? 0,
      telemetry?.cacheHits ?? 0,
      shedTypesOf(reply.getHeader(SHED_TYPES_HEADER)),
    );
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
 * The access line. Its fields are what the JSON logger (pino) writes; Nest's console logger (LOG_FORMAT=text) prints
 * an object through util.inspect, which asks it for one readable line instead of a multi-line object:
 * `[<request id>] POST /:connector/interactions connector=zendesk status=200 durationMs=386.3 crmCalls=10 …`.
 */
export class AccessLine {
  readonly msg = 'request';

  constructor(
    readonly requestId: string,
    readonly method: string,
    /** The route pattern, never the URL; null when no route matched. */
    readonly route: string | null,
    /** On Talkdesk's routes: the registered connector, else `unknown`. */
    readonly connector: string | null,
    readonly status: number,
    readonly durationMs: number,
    /** HTTP exchanges with the CRM, retries included. */
    readonly crmCalls: number,
    readonly crmRetries: number,
    readonly cacheHits: number,
    /** The asked types the CRM budget shed from a 200 answer (`x-bridge-shed-types`), when it shed any. */
    readonly shedTypes?: string[],
  ) {}

  [inspect.custom](): string {
    return (
      `[${this.requestId}] ${this.method} ${this.route ?? '(no route)'}` +
      (this.connector === null ? '' : ` connector=${this.connector}`) +
      ` status=${this.status} durationMs=${this.durationMs} crmCalls=${this.crmCalls}` +
      ` crmRetries=${this.crmRetries} cacheHits=${this.cacheHits}` +
      (this.shedTypes === undefined ? '' : ` shedTypes=${this.shedTypes.join(',')}`)
    );
  }
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

/** `['note', 'task']` from the header's value, undefined when it is absent. */
function shedTypesOf(header: unknown): string[] | undefined {
  return typeof header === 'string' && header !== '' ? header.split(',') : undefined;
}

/** A registered connector's name, or `unknown`: a caller's arbitrary path segment never reaches a log or a label. */
function connectorName(request: FastifyRequest, registry: ConnectorRegistry): string {
  const name = (request.params as { connector?: string } | undefined)?.connector ?? '';
  return registry.get(name) ? name : 'unknown';
}
