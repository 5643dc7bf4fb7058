import { describe, expect, it } from 'vitest';
import { connectorApiUrl } from './connector-api-url.js';
import { InvalidConfigurationError } from './validated-env.js';

describe('connectorApiUrl', () => {
  const zendesk = { connector: 'zendesk', defaultUrl: 'https://{subdomain}.zendesk.com' };

  it("is the connector's default without a sandbox or a variable of its own", () => {
    expect(connectorApiUrl({}, zendesk)).toBe('https://{subdomain}.zendesk.com');
  });

  it('puts each per-customer placeholder of the default after the connector in the sandbox path', () => {
    const environment = { CRM_SANDBOX_URL: 'http://127.0.0.1:4010/' };
    expect(connectorApiUrl(environment, zendesk)).toBe('http://127.0.0.1:4010/zendesk/{subdomain}');
    expect(connectorApiUrl(environment, { connector: 'salesforce', defaultUrl: 'https://{host}' })).toBe(
      'http://127.0.0.1:4010/salesforce/{host}',
    );
    expect(connectorApiUrl(environment, { connector: 'hubspot', defaultUrl: 'https://api.hubapi.com' })).toBe(
      'http://127.0.0.1:4010/hubspot',
    );
  });

  it("lets the connector's own variable win over the sandbox, without its trailing slash", () => {
    const url = connectorApiUrl(
      { CRM_SANDBOX_URL: 'http://127.0.0.1:4010' },
      { ...zendesk, configured: 'https://proxy.internal/{subdomain}/' },
    );
    expect(url).toBe('https://proxy.internal/{subdomain}');
  });

  it('stops the boot on a CRM_SANDBOX_URL that is not a usable URL, without echoing it', () => {
    const read = () => connectorApiUrl({ CRM_SANDBOX_URL: 'http://user:s3cr3t@sandbox' }, zendesk);
    expect(read).toThrow(InvalidConfigurationError);
    expect(read).toThrow(/CRM_SANDBOX_URL must not carry a user name or password/);
    expect(read).not.toThrow(/s3cr3t/);
  });
});
