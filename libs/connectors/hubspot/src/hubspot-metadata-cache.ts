import { Injectable } from '@nestjs/common';
import { InjectHubspotConfig, type HubspotConfig } from './hubspot-config.js';
import type { TicketPipelines } from './hubspot-pipelines.js';
import type { HubspotPortal } from './hubspot-portal.js';
import { PerTokenCache } from './hubspot-token-cache.js';

/**
 * What the bridge remembers about a HubSpot account between requests, keyed by a hash of its token: the portal
 * (for record urls) and the ticket pipelines (for statuses). One instance for the whole process.
 */
@Injectable()
export class HubspotMetadataCache {
  readonly portals: PerTokenCache<HubspotPortal>;
  readonly ticketPipelines: PerTokenCache<TicketPipelines>;

  constructor(@InjectHubspotConfig() config: HubspotConfig) {
    this.portals = new PerTokenCache({ ttlMs: config.accountCacheTtlMs, maxEntries: config.cacheMaxTokens });
    this.ticketPipelines = new PerTokenCache({ ttlMs: config.pipelinesCacheTtlMs, maxEntries: config.cacheMaxTokens });
  }
}
