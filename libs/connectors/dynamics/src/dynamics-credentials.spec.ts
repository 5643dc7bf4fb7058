import { describe, expect, it } from 'vitest';
import { CredentialsError } from '#interactions';
import { readDynamicsCredentials } from './dynamics-credentials.js';
import { readOrgUrl } from './dynamics-org-url.js';

describe('readOrgUrl', () => {
  it.each([
    ['https://contoso.crm.dynamics.com', 'contoso.crm.dynamics.com'],
    ['https://CONTOSO.crm.dynamics.com/', 'contoso.crm.dynamics.com'],
    ['HTTPS://contoso.CRM4.dynamics.com', 'contoso.crm4.dynamics.com'],
    ['https://contoso-uat.crm11.dynamics.com', 'contoso-uat.crm11.dynamics.com'],
    ['https://contoso.crm21.dynamics.com', 'contoso.crm21.dynamics.com'],
    ['https://agency.crm9.dynamics.com', 'agency.crm9.dynamics.com'],
    ['https://agency.crm.microsoftdynamics.us', 'agency.crm.microsoftdynamics.us'],
    ['https://contoso.crm.dynamics.cn', 'contoso.crm.dynamics.cn'],
    ['  https://contoso.crm.dynamics.com  ', 'contoso.crm.dynamics.com'],
  ])('accepts %s', (raw, host) => {
    expect(readOrgUrl(raw)).toEqual({ origin: `https://${host}`, host, account: host });
  });

  it('accepts the Web API host, and keeps the instance as the account and the web client', () => {
    expect(readOrgUrl('https://contoso.api.crm4.dynamics.com/')).toEqual({
      host: 'contoso.api.crm4.dynamics.com',
      account: 'contoso.crm4.dynamics.com',
      origin: 'https://contoso.crm4.dynamics.com',
    });
  });

  it.each([
    'http://contoso.crm.dynamics.com', // not https
    'ftp://contoso.crm.dynamics.com',
    'contoso.crm.dynamics.com',
    'https://evil.com',
    'https://contoso.crm.dynamics.com.evil.com', // look-alike
    'https://contoso-crm.dynamics.com',
    'https://contoso.crm.dynamics.co',
    'https://contoso.crmx.dynamics.com',
    'https://contoso.crm1.dynamics.com',
    'https://contoso.crm100.dynamics.com',
    'https://contoso.crm01.dynamics.com',
    'https://crm.dynamics.com', // no org label
    'https://dynamics.com',
    'https://a.b.crm.dynamics.com', // more than one label of the customer's own
    'https://contoso.api.api.crm.dynamics.com',
    'https://api.crm.dynamics.com',
    'https://evil.com/contoso.crm.dynamics.com', // path
    'https://evil.com?contoso.crm.dynamics.com',
    'https://contoso.crm.dynamics.com@evil.com', // userinfo
    'https://user:pass@contoso.crm.dynamics.com',
    'https://evil.com#@contoso.crm.dynamics.com',
    'https://contoso.crm.dynamics.com:8443', // port
    'https://contoso.crm.dynamics.com:443',
    'https://contoso.crm.dynamics.com/api/data/v9.2', // path
    'https://contoso.crm.dynamics.com?x=1',
    'https://contoso.crm.dynamics.com#x',
    'https://contoso.crm.dynamics.com.', // trailing dot
    'https://contoso.crm.dynamics.com./',
    'https://127.0.0.1',
    'https://[::1]',
    'https://2130706433',
    'https://0x7f.0.0.1',
    'https://169.254.169.254/latest/meta-data',
    'https://xn--contso-bva.crm.dynamics.com', // punycode
    'https://contöso.crm.dynamics.com', // unicode
    'https://contoso.crm.dynamics.com\\@evil.com',
    'https://-contoso.crm.dynamics.com',
    'https://contoso-.crm.dynamics.com',
    'https://con toso.crm.dynamics.com',
    ' https://contoso.crm.dynamics.com/\nx',
    'https://contoso.crm.dynamics.com/\r\nX-Injected: 1',
    `https://${'a'.repeat(64)}.crm.dynamics.com`, // a DNS label is at most 63 characters
    '',
  ])('refuses %j before any request', (raw) => {
    expect(() => readOrgUrl(raw)).toThrow(CredentialsError);
  });
});

describe('readDynamicsCredentials', () => {
  it('builds a Bearer header for the validated org', () => {
    const credentials = readDynamicsCredentials({
      org_url: 'https://contoso.crm.dynamics.com',
      access_token: 'eyJ0eXAi.eyJhdWQi.c2ln',
    });
    expect(credentials).toEqual({
      origin: 'https://contoso.crm.dynamics.com',
      host: 'contoso.crm.dynamics.com',
      account: 'contoso.crm.dynamics.com',
      authorization: 'Bearer eyJ0eXAi.eyJhdWQi.c2ln',
    });
  });

  it.each([
    [{ access_token: 't' }, /auth\.org_url/],
    [{ org_url: 'https://contoso.crm.dynamics.com' }, /auth\.access_token/],
    [{}, /auth\.org_url and auth\.access_token/],
    [{ org_url: 'https://contoso.crm.dynamics.com', access_token: 'a b' }, /auth\.access_token is not a token/],
    [
      { org_url: 'https://contoso.crm.dynamics.com', access_token: 'a\r\nX-Injected: 1' },
      /auth\.access_token is not a token/,
    ],
    [{ org_url: 'https://contoso.crm.dynamics.com', access_token: 'x'.repeat(5_000) }, /longer than any token/],
  ])('names what is missing or malformed: %j', (auth, message) => {
    expect(() => readDynamicsCredentials(auth)).toThrow(message);
  });

  it('never puts the token in an error message', () => {
    const attempt = () => readDynamicsCredentials({ org_url: 'https://evil.com', access_token: 'super-secret-token' });
    expect(attempt).toThrow(CredentialsError);
    expect(attempt).not.toThrow(/super-secret-token/);
  });
});
