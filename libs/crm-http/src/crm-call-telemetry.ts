import { context as otelContext, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { BridgeError, type RequestContext } from '#interactions';

/**
 * What one Talkdesk request did at the CRMs, for its access log line and its trace: filled in by the HTTP client
 * (and by caches, when there are any), read when the answer goes out.
 */
export interface RequestTelemetry {
  /** HTTP exchanges sent to CRMs, retries included. */
  crmCalls: number;
  crmRetries: number;
  /** CRM answers served from a cache instead of a call. */
  cacheHits: number;
  /** The request's span, parent of its CRM calls' spans; undefined when tracing is off. */
  span?: Span;
}

const byContext = new WeakMap<RequestContext, RequestTelemetry>();

/** Ties a request's context to its telemetry, so that every layer holding the context reaches it. */
export function bindRequestTelemetry(context: RequestContext, telemetry: RequestTelemetry): void {
  byContext.set(context, telemetry);
}

export function requestTelemetry(context: RequestContext): RequestTelemetry | undefined {
  return byContext.get(context);
}

/** The OpenTelemetry API: a no-op until a tracer provider is registered (OTEL_EXPORTER_OTLP_ENDPOINT). */
const tracer = trace.getTracer('interaction-bridge/crm-http');

export interface CrmCallTelemetry {
  /** One HTTP exchange is about to be sent. */
  sent(): void;
  retried(): void;
  /** The call is over: answered, or failed with this error. */
  end(error?: unknown): void;
}

/**
 * One span per CRM call (its retries included), child of the request's span. Its attributes say which CRM, how,
 * with what outcome and after how many retries; never the URL's path or query (ids, emails, phones) nor a header.
 *
 * The span stays on our side: no `traceparent` or `tracestate` goes to the CRM. None of the CRMs documents accepting
 * W3C trace context on its API. Their request-header references list no such header: Zendesk's "Requests"
 * (https://developer.zendesk.com/api-reference/introduction/requests/) and the Ticketing API introduction
 * (https://developer.zendesk.com/api-reference/ticketing/introduction/: Content-Type, Accept, Idempotency-Key);
 * Salesforce's REST API "Headers" (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers.htm:
 * Sforce-Call-Options, Sforce-Query-Options and the like); HubSpot's "Using OAuth 2.0 access tokens"
 * (https://legacydocs.hubspot.com/docs/methods/oauth2/using-access-tokens: Authorization). Searches for "traceparent"
 * with each vendor's name, in their documentation and issue trackers, found nothing. A CRM that documents it can
 * have its connector add the header; unasked, it would only pass the caller's trace ids on to a third party.
 */
export function startCrmCall(
  call: { method: string; url: string; read: boolean },
  context: RequestContext,
): CrmCallTelemetry {
  const telemetry = byContext.get(context);
  let retries = 0;
  // The request's span does not record (tracing is off, or the request was sampled out): neither would its children
  // (OpenTelemetry's default parent-based sampling), so none is made: a no-op span, its context and attributes per
  // call were about 1% of the bridge's CPU per pop (measured with `npm run bench`).
  if (telemetry?.span && !telemetry.span.isRecording()) {
    return {
      sent: () => {
        telemetry.crmCalls += 1;
      },
      retried: () => {
        telemetry.crmRetries += 1;
      },
      end: () => {},
    };
  }
  const parent = telemetry?.span ? trace.setSpan(otelContext.active(), telemetry.span) : otelContext.active();
  const span = tracer.startSpan(
    `${context.connector} ${call.method.toUpperCase()}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'bridge.connector': context.connector,
        'bridge.crm_call.type': call.read ? 'read' : 'write',
        'http.request.method': call.method.toUpperCase(),
        'server.address': URL.parse(call.url)?.hostname ?? 'unparseable',
      },
    },
    parent,
  );
  return {
    sent: () => {
      if (telemetry) telemetry.crmCalls += 1;
    },
    retried: () => {
      retries += 1;
      if (telemetry) telemetry.crmRetries += 1;
    },
    end: (error) => {
      const outcome = error === undefined ? 'ok' : error instanceof BridgeError ? error.kind : 'internal';
      span.setAttribute('bridge.crm_call.outcome', outcome);
      span.setAttribute('bridge.crm_call.retries', retries);
      if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      span.end();
    },
  };
}
