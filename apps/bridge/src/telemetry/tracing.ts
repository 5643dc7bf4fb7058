import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Environment } from '#interactions';

export interface Tracing {
  /** Flushes the spans still buffered and stops exporting; call it on shutdown. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then spans (one per Talkdesk request, one
 * per CRM call) go to that OTLP/HTTP endpoint, batched. The exporter reads the standard OTEL_EXPORTER_OTLP_* variables
 * (headers, timeout, compression) itself; OTEL_SERVICE_NAME names the service (default interaction-bridge).
 * A request's span joins the caller's trace when it sends a W3C `traceparent` (request-telemetry.ts); W3C trace
 * context is the one propagator registered (no baggage: the bridge has no use for it, and passes nothing on).
 * Tests pass their own exporter (in memory), which is exported span by span.
 */
export function startTracing(environment: Environment, exporter?: SpanExporter): Tracing | undefined {
  if (!exporter && !environment.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: environment.OTEL_SERVICE_NAME || 'interaction-bridge',
    }),
    spanProcessors: [exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  active = { shutdown: () => provider.shutdown() };
  return active;
}

let active: Tracing | undefined;

/** Exports the spans still buffered when the application shuts down. */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await active?.shutdown();
    active = undefined;
  }
}
