import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError } from '#interactions';
import { loadBridgeConfig } from './bridge-config.js';

describe('loadBridgeConfig', () => {
  it('has the documented defaults', () => {
    const { env, interactions, crmHttp } = loadBridgeConfig({});
    expect(env.PORT).toBe(3000);
    expect(env.CRM_SANDBOX).toBe('embedded');
    expect(interactions).toEqual({ deadlineMs: 5000, maxItemsPerType: 50, maxContacts: 5, descriptionMaxLength: 500, maxLookupsPerRequest: 10 });
    expect(crmHttp.maxAttempts).toBe(3);
  });

  it('reads numbers from strings', () => {
    const { env, interactions } = loadBridgeConfig({ PORT: '8080', REQUEST_DEADLINE_MS: '1500', MAX_CONTACTS: '2' });
    expect(env.PORT).toBe(8080);
    expect(interactions.deadlineMs).toBe(1500);
    expect(interactions.maxContacts).toBe(2);
  });

  it('stops with one line naming every bad variable', () => {
    const load = () => loadBridgeConfig({ PORT: 'eighty', CRM_SANDBOX: 'maybe', REQUEST_DEADLINE_MS: '5' });
    expect(load).toThrow(InvalidConfigurationError);
    expect(load).toThrow(/^Invalid configuration: .*PORT \("eighty"\).*REQUEST_DEADLINE_MS \("5"\).*CRM_SANDBOX \("maybe"\)/s);
    expect(load).toThrow(/^[^\n]*$/);
  });

  it('wants both TLS files or neither', () => {
    expect(() => loadBridgeConfig({ TLS_CERT_FILE: '/etc/tls/tls.crt' })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE go together/);
    expect(loadBridgeConfig({ TLS_CERT_FILE: '/c', TLS_KEY_FILE: '/k' }).env.TLS_KEY_FILE).toBe('/k');
  });
});
