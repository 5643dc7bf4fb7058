import { Global, Module, type DynamicModule } from '@nestjs/common';
import { InteractionsModule } from '../interactions.module.js';
import { CrmBudget } from './crm-budget.js';
import { InteractionsCache } from './interactions-cache.js';
import { PopSharing } from './pop-sharing.js';
import { SharingMetrics } from './sharing-metrics.js';
import { SHARING_SETTINGS, type SharingSettings } from './sharing-settings.js';

/**
 * Cache, coalescing and per-tenant CRM budget (PopSharing), in memory or, when the SharedStateModule has a Redis,
 * shared by every replica. InteractionsService uses it when it is there; without this module it calls the CRM for
 * every request, as its unit tests do.
 */
@Global()
@Module({})
export class SharingModule {
  static forRoot(settings: SharingSettings): DynamicModule {
    return {
      module: SharingModule,
      imports: [InteractionsModule], // BridgeMetrics: the sharing counters live on the bridge's registry
      providers: [
        { provide: SHARING_SETTINGS, useValue: settings },
        SharingMetrics,
        InteractionsCache,
        CrmBudget,
        PopSharing,
      ],
      exports: [PopSharing, SharingMetrics],
    };
  }
}
