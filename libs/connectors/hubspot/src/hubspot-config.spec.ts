import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError } from '#interactions';
import { hubspotConfigFrom } from './hubspot-config.js';

describe('hubspotConfigFrom', () => {
  it('defaults to the real HubSpot API and documented bounds', () => {
    expect(hubspotConfigFrom({})).toEqual({
      baseUrl: 'https://api.hubapi.com',
      accountCacheTtlMs: 3_600_000,
      pipelinesCacheTtlMs: 300_000,
      cacheMaxTokens: 10_000,
    });
  });

  it('points at the sandbox when CRM_SANDBOX_URL is set, unless HUBSPOT_BASE_URL says otherwise', () => {
    expect(hubspotConfigFrom({ CRM_SANDBOX_URL: 'http://127.0.0.1:4010/' }).baseUrl).toBe(
      'http://127.0.0.1:4010/hubspot',
    );
    expect(
      hubspotConfigFrom({
        CRM_SANDBOX_URL: 'http://127.0.0.1:4010',
        HUBSPOT_BASE_URL: 'https://hubspot-proxy.internal/',
      }).baseUrl,
    ).toBe('https://hubspot-proxy.internal');
  });

  it('reads the bounds and TTLs as numbers', () => {
    const config = hubspotConfigFrom({
      HUBSPOT_ACCOUNT_CACHE_TTL_SECONDS: '60',
      HUBSPOT_PIPELINES_CACHE_TTL_SECONDS: '30',
      HUBSPOT_CACHE_MAX_TOKENS: '100',
    });
    expect(config).toMatchObject({
      accountCacheTtlMs: 60_000,
      pipelinesCacheTtlMs: 30_000,
      cacheMaxTokens: 100,
    });
  });

  it.each([
    [{ HUBSPOT_BASE_URL: 'api.hubapi.com' }, /HUBSPOT_BASE_URL/],
    [{ HUBSPOT_CACHE_MAX_TOKENS: '0' }, /HUBSPOT_CACHE_MAX_TOKENS/],
    [{ HUBSPOT_PIPELINES_CACHE_TTL_SECONDS: 'soon' }, /HUBSPOT_PIPELINES_CACHE_TTL_SECONDS/],
  ])('stops the boot on a bad variable: %j', (env, message) => {
    expect(() => hubspotConfigFrom(env)).toThrow(InvalidConfigurationError);
    expect(() => hubspotConfigFrom(env)).toThrow(message);
  });
});
