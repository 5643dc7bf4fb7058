import { describe, expect, it } from 'vitest';
import { CredentialsError } from '#interactions';
import { readSalesforceCredentials } from './salesforce-credentials.js';
import { readInstanceUrl } from './salesforce-instance-url.js';

describe('readInstanceUrl', () => {
  it.each([
    ['https://acme.my.salesforce.com', 'acme.my.salesforce.com'],
    ['https://ACME.my.salesforce.com/', 'acme.my.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'acme--uat.sandbox.my.salesforce.com'],
    ['https://acme-dev-ed.develop.my.salesforce.com', 'acme-dev-ed.develop.my.salesforce.com'],
    ['https://na139.salesforce.com', 'na139.salesforce.com'],
    ['https://acme.lightning.force.com', 'acme.lightning.force.com'],
  ])('accepts %s', (raw, host) => {
    expect(readInstanceUrl(raw)).toEqual({ origin: `https://${host}`, host });
  });

  it.each([
    'http://acme.my.salesforce.com', // not https
    'ftp://acme.my.salesforce.com',
    'https://evil.com',
    'https://acme.my.salesforce.com.evil.com',
    'https://evil.com/acme.my.salesforce.com',
    'https://acme.my.salesforce.com@evil.com', // userinfo
    'https://user:pass@acme.my.salesforce.com',
    'https://acme.my.salesforce.com:8443', // port
    'https://acme.my.salesforce.com:443',
    'https://acme.my.salesforce.com/services/data', // path
    'https://acme.my.salesforce.com?x=1',
    'https://acme.my.salesforce.com#x',
    'https://acme.my.salesforce.com.', // trailing dot
    'https://127.0.0.1',
    'https://[::1]',
    'https://2130706433',
    'https://0x7f.0.0.1',
    'https://xn--acm-bla.my.salesforce.com', // punycode
    'https://acmé.my.salesforce.com', // unicode
    'https://my.salesforce.com.',
    'https://salesforce.com',
    'https://force.com',
    'https://-acme.my.salesforce.com',
    'https://acme..my.salesforce.com',
    'https://acme.my.salesforce.com\\@evil.com',
    ' https://acme.my.salesforce.com/\nx',
    'acme.my.salesforce.com',
    '',
  ])('refuses %j before any request', (raw) => {
    expect(() => readInstanceUrl(raw)).toThrow(CredentialsError);
  });
});

describe('readSalesforceCredentials', () => {
  it('builds a Bearer header and a tenant key that does not contain the token', () => {
    const credentials = readSalesforceCredentials({
      instance_url: 'https://acme.my.salesforce.com',
      access_token: '00Dxx!secret',
    });
    expect(credentials.authorization).toBe('Bearer 00Dxx!secret');
    expect(credentials.origin).toBe('https://acme.my.salesforce.com');
    expect(credentials.tenantKey).toMatch(/^[0-9a-f]{32}$/);
    expect(credentials.tenantKey).not.toContain('secret');
  });

  it.each([
    [{ access_token: 't' }, /auth\.instance_url/],
    [{ instance_url: 'https://acme.my.salesforce.com' }, /auth\.access_token/],
    [{}, /auth\.instance_url and auth\.access_token/],
  ])('names what is missing: %j', (auth, message) => {
    expect(() => readSalesforceCredentials(auth)).toThrow(message);
  });

  it('never puts the token in an error message', () => {
    const attempt = () =>
      readSalesforceCredentials({ instance_url: 'https://evil.com', access_token: 'super-secret-token' });
    expect(attempt).toThrow(CredentialsError);
    expect(attempt).not.toThrow(/super-secret-token/);
  });
});
