import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError } from '#interactions';
import { loadBridgeConfig } from './bridge-config.js';

describe('loadBridgeConfig', () => {
  it('has the documented defaults', () => {
    const { env, interactions, crmHttp } = loadBridgeConfig({});
    expect(env.PORT).toBe(3000);
    expect(env.CRM_SANDBOX).toBe('embedded');
    expect(interactions).toEqual({
      deadlineMs: 5000,
      maxItemsPerType: 50,
      maxContacts: 5,
      descriptionMaxLength: 500,
      maxLookupsPerRequest: 10,
    });
    expect(crmHttp.maxAttempts).toBe(3);
  });

  it('reads numbers from strings', () => {
    const { env, interactions } = loadBridgeConfig({ PORT: '8080', REQUEST_DEADLINE_MS: '1500', MAX_CONTACTS: '2' });
    expect(env.PORT).toBe(8080);
    expect(interactions.deadlineMs).toBe(1500);
    expect(interactions.maxContacts).toBe(2);
  });

  it('stops with one line naming every bad variable and its problem, never its value', () => {
    const load = () => loadBridgeConfig({ PORT: 'eighty', CRM_SANDBOX: 'maybe', REQUEST_DEADLINE_MS: '5' });
    expect(load).toThrow(InvalidConfigurationError);
    expect(load).toThrow(
      /^Invalid configuration: .*PORT must be an integer.*REQUEST_DEADLINE_MS must not be less than 100.*CRM_SANDBOX must be one of/s,
    );
    expect(load).toThrow(/^[^\n]*$/);
    expect(load).not.toThrow(/eighty|maybe|"5"/);
  });

  it('keeps values out of the message even when they look like secrets', () => {
    const load = () => loadBridgeConfig({ CRM_SANDBOX_URL: 'http://user:hunter2@sandbox:bad', LOG_LEVEL: 'hunter2' });
    expect(load).toThrow(/LOG_LEVEL.*CRM_SANDBOX_URL/);
    expect(load).not.toThrow(/hunter2/);
  });

  it('wants timeouts that fit together: headers within the request, silence past the deadline, a drain within the bound', () => {
    expect(() => loadBridgeConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS/,
    );
    expect(() => loadBridgeConfig({ HTTP_CONNECTION_TIMEOUT_MS: '4000' })).toThrow(
      /HTTP_CONNECTION_TIMEOUT_MS must be greater than REQUEST_DEADLINE_MS/,
    );
    expect(() => loadBridgeConfig({ REQUEST_DEADLINE_MS: '60000' })).not.toThrow();
    expect(() => loadBridgeConfig({ SHUTDOWN_DRAIN_DELAY_MS: '20000' })).toThrow(/SHUTDOWN_TIMEOUT_MS must be greater/);
    const { env } = loadBridgeConfig({});
    expect([env.SHUTDOWN_DRAIN_DELAY_MS, env.SHUTDOWN_TIMEOUT_MS]).toEqual([5_000, 20_000]);
  });

  it('wants both TLS files or neither', () => {
    expect(() => loadBridgeConfig({ TLS_CERT_FILE: '/etc/tls/tls.crt' })).toThrow(
      /TLS_CERT_FILE and TLS_KEY_FILE go together/,
    );
    expect(loadBridgeConfig({ TLS_CERT_FILE: '/c', TLS_KEY_FILE: '/k' }).env.TLS_KEY_FILE).toBe('/k');
  });
});
