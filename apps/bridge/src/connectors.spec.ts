import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError } from '#interactions';
import { checkConnectorEnvironments } from './connectors.js';

describe('checkConnectorEnvironments', () => {
  it('accepts the defaults and a sandbox URL', () => {
    expect(() => checkConnectorEnvironments({})).not.toThrow();
    expect(() => checkConnectorEnvironments({ CRM_SANDBOX_URL: 'http://127.0.0.1:4010' })).not.toThrow();
  });

  it.each([
    ['ZENDESK_BASE_URL', 'http://user:s3cr3t-pw@host:bad', /ZENDESK_BASE_URL does not parse as a URL/],
    [
      'ZENDESK_BASE_URL',
      'https://user:s3cr3t-pw@{subdomain}.zendesk.com',
      /ZENDESK_BASE_URL must not carry a user name or password/,
    ],
    ['ZENDESK_WEB_URL', 'https://{subdomain}.zendesk.com?s3cr3t-pw', /ZENDESK_WEB_URL must not have a query string/],
    [
      'HUBSPOT_BASE_URL',
      'https://token:s3cr3t-pw@api.hubapi.com',
      /HUBSPOT_BASE_URL must not carry a user name or password/,
    ],
    ['CRM_SANDBOX_URL', 'http://sandbox:s3cr3t-pw', /CRM_SANDBOX_URL does not parse as a URL/],
  ])('%s=%s: one line naming the variable and the problem, never the value', (name, value, problem) => {
    const check = () => checkConnectorEnvironments({ [name]: value });
    expect(check).toThrow(InvalidConfigurationError);
    expect(check).toThrow(problem);
    expect(check).toThrow(/^Invalid configuration: [^\n]*$/);
    expect(check).not.toThrow(/s3cr3t-pw/);
  });

  it('names every bad variable of every connector at once', () => {
    const check = () => checkConnectorEnvironments({ ZENDESK_NOTE_TICKETS: 'many', HUBSPOT_CACHE_MAX_TOKENS: '0' });
    expect(check).toThrow(/ZENDESK_NOTE_TICKETS.*; HUBSPOT_CACHE_MAX_TOKENS/);
  });
});
