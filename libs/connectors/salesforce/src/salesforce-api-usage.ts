import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { BridgeMetrics } from '#interactions';

/** The org's daily API usage as Salesforce reports it on every answer. */
export interface ApiUsage {
  used: number;
  limit: number;
}

/**
 * Reads `Sforce-Limit-Info: api-usage=18/5000` ("Limit Info Header", REST API Developer Guide,
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm): calls used, then
 * the org's daily limit. Other fields may follow (`per-app-api-usage=17/250(appName=…)`, `api-bursts=1/750`), and
 * usage can exceed the limit. Undefined when the header is absent or says something else.
 */
export function parseLimitInfo(header: unknown): ApiUsage | undefined {
  const text = Array.isArray(header) ? header.join(';') : typeof header === 'string' ? header : undefined;
  const match = text === undefined ? null : /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(text);
  if (!match) return undefined;
  const used = Number(match[1]);
  const limit = Number(match[2]);
  return Number.isSafeInteger(used) && Number.isSafeInteger(limit) && limit > 0 ? { used, limit } : undefined;
}

/**
 * Where the connector reports each org's API usage.
 *
 * Today it is a metric: `bridge_crm_api_remaining_ratio{connector="salesforce"}`, the share of the daily allowance
 * left in the last answer (labels from a fixed set only; orgs are not labels).
 *
 * The CRM budget reads the same header from every answer itself (readRateLimitHeaders in
 * libs/interactions/src/sharing/crm-budget.ts; docs/contract.md, "The CRM's API budget"), so `record` only sets the
 * metric. tenantKey is a hash of the org's host and token, never the token.
 */
@Injectable()
export class SalesforceApiUsage {
  private readonly remaining: Gauge<'connector'>;

  constructor(metrics: BridgeMetrics) {
    this.remaining = new Gauge({
      name: 'bridge_crm_api_remaining_ratio',
      help: "Share of the CRM account's API allowance left, as the CRM last reported it (Salesforce: Sforce-Limit-Info).",
      labelNames: ['connector'] as const,
      registers: [metrics.registry],
    });
  }

  record(_tenantKey: string, usage: ApiUsage): void {
    this.remaining.set({ connector: 'salesforce' }, Math.max(0, usage.limit - usage.used) / usage.limit);
  }
}
