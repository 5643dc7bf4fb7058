import { Inject } from '@nestjs/common';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { connectorApiUrl, ENVIRONMENT, IsHttpBaseUrl, readValidatedEnv, type Environment } from '#interactions';

/**
 * The HubSpot connector's environment variables, validated at boot. Numbers carry an explicit `: number`: the
 * implicit conversion reads the emitted design type, which is `Object` for an unannotated initialiser.
 */
export class HubspotEnv {
  /**
   * Where the API lives. Unset, the core decides (connectorApiUrl): HubSpot itself, or the sandbox CRM.
   * Only server configuration sets it, never a request.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s{}?#]+$/, {
    message: 'HUBSPOT_BASE_URL must be an http(s) URL, e.g. https://api.hubapi.com',
  })
  @IsHttpBaseUrl('https://api.hubapi.com')
  HUBSPOT_BASE_URL?: string;

  /** How long a token's portal id and UI domain (GET /account-info/v3/details) are reused. They never change. */
  @IsInt() @Min(1) @Max(86_400) HUBSPOT_ACCOUNT_CACHE_TTL_SECONDS: number = 3_600;

  /** How long a token's ticket pipelines are reused. An unknown stage refetches them sooner. */
  @IsInt() @Min(1) @Max(86_400) HUBSPOT_PIPELINES_CACHE_TTL_SECONDS: number = 300;

  /** How many tokens each cache remembers; the least recently used go first. Bounds memory, not correctness. */
  @IsInt() @Min(1) @Max(1_000_000) HUBSPOT_CACHE_MAX_TOKENS: number = 10_000;
}

export interface HubspotConfig {
  /** e.g. `https://api.hubapi.com`, without a trailing slash. */
  baseUrl: string;
  accountCacheTtlMs: number;
  pipelinesCacheTtlMs: number;
  cacheMaxTokens: number;
}

export const HUBSPOT_CONFIG = Symbol('HUBSPOT_CONFIG');
export const InjectHubspotConfig = () => Inject(HUBSPOT_CONFIG);

export const HUBSPOT_API_URL = 'https://api.hubapi.com';

export function hubspotConfigFrom(environment: Environment): HubspotConfig {
  const env = readValidatedEnv(HubspotEnv, environment);
  return {
    baseUrl: connectorApiUrl(environment, {
      connector: 'hubspot',
      configured: env.HUBSPOT_BASE_URL,
      defaultUrl: HUBSPOT_API_URL,
    }),
    accountCacheTtlMs: env.HUBSPOT_ACCOUNT_CACHE_TTL_SECONDS * 1000,
    pipelinesCacheTtlMs: env.HUBSPOT_PIPELINES_CACHE_TTL_SECONDS * 1000,
    cacheMaxTokens: env.HUBSPOT_CACHE_MAX_TOKENS,
  };
}

export const hubspotConfigProvider = {
  provide: HUBSPOT_CONFIG,
  inject: [ENVIRONMENT],
  useFactory: hubspotConfigFrom,
};
