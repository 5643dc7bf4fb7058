import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric the bridge exports, in one place, on a registry of its own (one per application instance, so tests
 * can run several apps in one process). Served by GET /metrics. Label values come from fixed sets only (connector
 * names, known types, error kinds, routes, status codes), never from a request's strings: nobody can grow /metrics.
 */
@Injectable()
export class BridgeMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'bridge_requests_total',
    help: 'Interaction and auth-validation requests answered, by connector, route and HTTP status.',
    labelNames: ['connector', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'bridge_request_duration_seconds',
    help: 'Time to answer an interactions request, by connector.',
    labelNames: ['connector'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8],
    registers: [this.registry],
  });

  readonly unsupportedTypes = new Counter({
    name: 'bridge_unsupported_interaction_types_total',
    help: 'Asked interaction types the connector does not support, dropped from the request; type is "other" unless another connector supports it.',
    labelNames: ['connector', 'type'] as const,
    registers: [this.registry],
  });

  readonly typeFailures = new Counter({
    name: 'bridge_interaction_type_failures_total',
    help: 'Interaction types that failed for a request, by connector, type and cause.',
    labelNames: ['connector', 'type', 'cause'] as const,
    registers: [this.registry],
  });

  readonly partialResults = new Counter({
    name: 'bridge_partial_results_total',
    help: "Reads that failed while others of the same type arrived (a page, one ticket's comments): the type was answered with what arrived. By connector, type and cause.",
    labelNames: ['connector', 'type', 'cause'] as const,
    registers: [this.registry],
  });

  readonly droppedItems = new Counter({
    name: 'bridge_dropped_items_total',
    help: 'CRM items dropped because they could not be read or mapped to a valid Talkdesk interaction.',
    labelNames: ['connector', 'type'] as const,
    registers: [this.registry],
  });

  readonly itemsDatedByCreation = new Counter({
    name: 'bridge_items_dated_by_creation_total',
    help: 'CRM items without the date their type is dated by (a task without a due date), dated by their creation time.',
    labelNames: ['connector', 'type'] as const,
    registers: [this.registry],
  });

  readonly crmCalls = new Counter({
    name: 'bridge_crm_calls_total',
    help: 'HTTP calls to CRMs, by connector and outcome (ok, or the failure kind).',
    labelNames: ['connector', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly crmRetries = new Counter({
    name: 'bridge_crm_retries_total',
    help: 'CRM calls retried after a network error, 5xx or 429.',
    labelNames: ['connector'] as const,
    registers: [this.registry],
  });

  readonly crmCallDuration = new Histogram({
    name: 'bridge_crm_call_duration_seconds',
    help: 'Duration of single CRM HTTP calls, by connector.',
    labelNames: ['connector'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });

  /**
   * What one Talkdesk request cost the customer's CRM account: its HTTP calls to the CRM, retries included (each is
   * charged to the account's API budget). Sampled once per answered interactions request, also when it failed.
   */
  readonly crmCallsPerRequest = new Histogram({
    name: 'bridge_crm_calls_per_request',
    help: "CRM HTTP calls (retries included) made for one interactions request, by connector: what a screen pop costs the customer's CRM API budget.",
    labelNames: ['connector'] as const,
    buckets: [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50],
    registers: [this.registry],
  });

  /**
   * Requests whose client closed the connection before it had sent the whole body. A few are normal (a caller's own
   * timeout); a steady stream is a client cut off mid-request, or someone opening requests and walking away.
   */
  readonly clientAborts = new Counter({
    name: 'bridge_client_aborts_total',
    help: 'Requests whose client closed the connection before it had sent the whole body.',
    registers: [this.registry],
  });

  /** Connections closed at once because the listener already held HTTP_MAX_CONNECTIONS. */
  readonly refusedConnections = new Counter({
    name: 'bridge_refused_connections_total',
    help: 'Connections closed on arrival, before any byte was read, because the public listener already held HTTP_MAX_CONNECTIONS open connections.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
