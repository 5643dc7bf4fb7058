import { Injectable, Optional } from '@nestjs/common';
import { Counter } from 'prom-client';
import { InjectSharedRedis, type SharedRedis } from '#shared-state';
import { BridgeMetrics } from '../bridge-metrics.js';

/** Why the CRM budget shed a call (the `reason` label of bridge_crm_budget_shed_total). */
export type ShedReason = 'headroom' | 'share' | 'unverified';

/** The cache's, coalescing's and budget's metrics, on the bridge's registry (GET /metrics). Fixed label sets only. */
@Injectable()
export class SharingMetrics {
  readonly cacheLookups: Counter<'tier' | 'result'>;
  readonly coalesced: Counter<'scope'>;
  readonly sharedStateFallbacks: Counter<'operation'>;
  readonly shedCalls: Counter<'connector' | 'type' | 'reason'>;

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
      help: "CRM calls not made to spare the tenant's CRM account, by connector, interaction type (lookup for contact lookups) and reason: headroom (the account's headroom above the reserve ran low), share (CRM_BUDGET_SHARE's cap), unverified (credentials the CRM has not accepted yet spent their allowance).",
      labelNames: ['connector', 'type', 'reason'] as const,
      registers,
    });
    redis?.onDegraded((operation) => this.sharedStateFallbacks.inc({ operation }));
  }
}
