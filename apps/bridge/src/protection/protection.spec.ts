import { describe, expect, it } from 'vitest';
import { BridgeMetrics, InvalidConfigurationError, type RegisteredConnector } from '#interactions';
import { CallerSecret } from './caller-secret.js';
import { EdgeLimiters } from './edge-limiters.js';
import { loadProtectionSettings } from './protection-config.js';
import { tenantKey } from './tenant-key.js';
import { ZENDESK_AUTH_FIELDS, ZendeskConnector } from '#connectors/zendesk';

describe('protection settings', () => {
  it('defaults: no secret, generous limits, no proxy trusted, memory counters', () => {
    const settings = loadProtectionSettings({});
    expect(settings).toMatchObject({
      callerSecrets: [],
      perAddressPerMinute: 6_000,
      perTenantPerMinute: 1_200,
      lockout: { maxFailures: 10, windowSeconds: 300, lockSeconds: 900 },
      trustProxy: false,
    });
  });

  it('takes one or two caller secrets, never more, never short, and never prints them', () => {
    expect(
      loadProtectionSettings({ BRIDGE_CALLER_SECRET: ' aaaaaaaaaaaaaaaa , bbbbbbbbbbbbbbbb ' }).callerSecrets,
    ).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
    const three = 'aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb,cccccccccccccccc';
    expect(() => loadProtectionSettings({ BRIDGE_CALLER_SECRET: three })).toThrow(/one value, or two/);
    const short = () => loadProtectionSettings({ BRIDGE_CALLER_SECRET: 'short-one' });
    expect(short).toThrow(InvalidConfigurationError);
    expect(short).toThrow(/at least 16/);
    expect(short).not.toThrow(/short-one/);
  });

  it('trusts only named proxies: addresses and CIDR ranges, not "true" or a hop count', () => {
    expect(loadProtectionSettings({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.4,::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.4',
      '::1',
    ]);
    for (const bad of ['true', '2', '10.0.0.0/33', 'lb.internal']) {
      expect(() => loadProtectionSettings({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('CallerSecret', () => {
  it('accepts each configured value and nothing else', () => {
    const secret = new CallerSecret(['first-secret-value', 'second-secret-value']);
    expect(secret.required).toBe(true);
    expect(secret.accepts('first-secret-value')).toBe(true);
    expect(secret.accepts('second-secret-value')).toBe(true);
    for (const wrong of [
      '',
      'first-secret-valu',
      'first-secret-value ',
      'FIRST-SECRET-VALUE',
      undefined,
      ['first-secret-value'],
    ]) {
      expect(secret.accepts(wrong)).toBe(false);
    }
    expect(new CallerSecret([]).required).toBe(false);
  });
});

describe('tenantKey', () => {
  // The real connectors' own accountOf (Zendesk: the subdomain, as its credentials reader reads it); HubSpot has none.
  const zendeskConnector = new ZendeskConnector(undefined as never, undefined as never);
  const zendesk = { name: 'zendesk', authFields: ZENDESK_AUTH_FIELDS, connector: zendeskConnector };
  const hubspot = { name: 'hubspot', authFields: ['access_token'], connector: {} };
  const key = (connector: object, auth: unknown) => tenantKey(connector as RegisteredConnector, auth);

  it('is the account name however it is spelt, whatever the other fields', () => {
    const acme = key(zendesk, { subdomain: 'acme', email: 'a@acme.example', token: 'a' });
    expect(acme).toMatch(/^zendesk:[\w-]{22}$/);
    expect(key(zendesk, { subdomain: ' ACME ', email: 'b@acme.example', token: 'b' })).toBe(acme);
    expect(key(zendesk, { account: 'acme', email: 'c@acme.example', token: 'c' })).toBe(acme);
    expect(key(zendesk, { subdomain: 'globex', email: 'a@acme.example', token: 'a' })).not.toBe(acme);
  });

  it('is the credential, hashed, for a CRM without an account field', () => {
    const one = key(hubspot, { access_token: 'pat-secret-1' });
    expect(one).not.toContain('pat-secret-1');
    expect(key(hubspot, { access_token: 'pat-secret-2' })).not.toBe(one);
    expect(key(hubspot, { access_token: 'pat-secret-1', other: 'x' })).toBe(one);
  });

  it('is undefined without an auth object', () => {
    for (const auth of [undefined, null, 'acme', ['acme'], 3]) expect(key(zendesk, auth)).toBeUndefined();
  });
});

describe('EdgeLimiters defaults', () => {
  it("let a large call centre's traffic through: 1,000 pops a minute for one tenant, 5,000 from one address", async () => {
    const limiters = new EdgeLimiters(loadProtectionSettings({}), new BridgeMetrics());
    for (let i = 0; i < 1_000; i++) expect(await limiters.admitTenant('zendesk:acme', true)).toBeUndefined();
    for (let i = 0; i < 5_000; i++) expect(await limiters.takeAddress('192.0.2.1')).toBeUndefined();
  });

  it('lock a tenant and address out at the configured count, and only that pair', async () => {
    const settings = loadProtectionSettings({ LOCKOUT_MAX_FAILURES: '2', LOCKOUT_SECONDS: '60' });
    const limiters = new EdgeLimiters(settings, new BridgeMetrics());
    await limiters.credentialsRejected('t', '192.0.2.1');
    expect(await limiters.lockedOut('t', '192.0.2.1')).toBeUndefined();
    await limiters.credentialsRejected('t', '192.0.2.1');
    const locked = await limiters.lockedOut('t', '192.0.2.1');
    expect(locked?.retryAfterSeconds).toBeGreaterThan(55);
    expect(locked?.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await limiters.lockedOut('t', '192.0.2.2')).toBeUndefined();
    expect(await limiters.lockedOut('u', '192.0.2.1')).toBeUndefined();
  });
});
