import { Injectable, Optional } from '@nestjs/common';
import { Counter } from 'prom-client';
import { InjectSharedRedis, type SharedRedis } from '#shared-state';
import { BridgeMetrics } from '../bridge-metrics.js';

/** The cache's, coalescing's and budget's metrics, on the bridge's registry (GET /metrics). Fixed label sets only. */
@Injectable()
export class SharingMetrics {
  readonly cacheLookups: Counter<'tier' | 'result'>;
  readonly coalesced: Counter<'scope'>;
  readonly sharedStateFallbacks: Counter<'operation'>;
  readonly shedCalls: Counter<'connector' | 'type'>;

  constructor(metrics: BridgeMetrics, @Optional() @InjectSharedRedis() redis: SharedRedis | null) {
    const registers = [metrics.registry];
    this.cacheLookups = new Counter({
      name: 'bridge_cache_lookups_total',
      help: 'Cache lookups by tier (contacts, interactions, metadata) and result (hit, miss).',
      labelNames: ['tier', 'result'] as const,
      registers,
    });
    this.coalesced = new Counter({
      name: 'bridge_coalesced_requests_total',
      help: 'Screen pops that did not redo identical work in flight: shared within this process, or waited for another replica.',
      labelNames: ['scope'] as const,
      registers,
    });
    this.sharedStateFallbacks = new Counter({
      name: 'bridge_shared_state_fallbacks_total',
      help: 'Times Redis was down, slow or refusing and this process used its own memory instead, by operation.',
      labelNames: ['operation'] as const,
      registers,
    });
    this.shedCalls = new Counter({
      name: 'bridge_crm_budget_shed_total',
      help: "CRM calls not made because the tenant's share of its CRM allowance ran low, by connector and interaction type (lookup for contact lookups).",
      labelNames: ['connector', 'type'] as const,
      registers,
    });
    redis?.onDegraded((operation) => this.sharedStateFallbacks.inc({ operation }));
  }
}
