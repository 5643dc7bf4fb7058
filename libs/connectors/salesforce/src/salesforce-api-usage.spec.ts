import { describe, expect, it } from 'vitest';
import { BridgeMetrics, CredentialsError, RateLimitedError, UpstreamError } from '#interactions';
import { SalesforceApiUsage, parseLimitInfo } from './salesforce-api-usage.js';
import { classifySalesforceRefusal, subrequestError } from './salesforce-errors.js';

describe('Sforce-Limit-Info', () => {
  it.each([
    ['api-usage=18/5000', { used: 18, limit: 5000 }],
    ['api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)', { used: 25, limit: 5000 }],
    ['api-usage=110018/100000; api-bursts=1/750', { used: 110018, limit: 100000 }],
    ['per-app-api-usage=17/250(appName=x)', undefined],
    ['api-usage=1/0', undefined],
    [undefined, undefined],
    ['garbage', undefined],
  ])('%j → %j', (header, usage) => {
    expect(parseLimitInfo(header)).toEqual(usage);
  });

  it('sets the remaining share, never below 0', async () => {
    const metrics = new BridgeMetrics();
    const usage = new SalesforceApiUsage(metrics);
    usage.record('tenant', { used: 110018, limit: 100000 });
    expect(await metrics.registry.getSingleMetricAsString('bridge_crm_api_remaining_ratio')).toMatch(
      /\{connector="salesforce"\} 0$/m,
    );
    usage.record('tenant', { used: 250, limit: 1000 });
    expect(await metrics.registry.getSingleMetricAsString('bridge_crm_api_remaining_ratio')).toMatch(
      /\{connector="salesforce"\} 0\.75$/m,
    );
  });
});

describe('Salesforce error bodies', () => {
  it('reads 403 REQUEST_LIMIT_EXCEEDED as a rate limit with the configured Retry-After, and leaves other refusals alone', () => {
    const classify = classifySalesforceRefusal(60);
    const limited = classify(403, '[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]');
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited?.retryAfterSeconds).toBe(60);
    expect(classify(403, '[{"message":"no","errorCode":"INSUFFICIENT_ACCESS"}]')).toBeUndefined();
    expect(
      classify(401, '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]'),
    ).toBeUndefined();
    expect(classify(403, '<html>')).toBeUndefined();
  });

  it('turns a failed subrequest into a typed error naming only its error code', () => {
    expect(subrequestError(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'x' }], 'case query', 60)).toBeInstanceOf(
      CredentialsError,
    );
    expect(
      subrequestError(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'x' }], 'case query', 60),
    ).toBeInstanceOf(RateLimitedError);
    const malformed = subrequestError(
      400,
      [{ errorCode: 'MALFORMED_QUERY', message: "unexpected token: '003Ac…'" }],
      'case query',
      60,
    );
    expect(malformed).toBeInstanceOf(UpstreamError);
    expect(malformed.message).toBe('salesforce case query failed with HTTP 400 MALFORMED_QUERY');
  });
});
