import { describe, expect, it } from 'vitest';
import { CredentialsError } from '#interactions';
import { readFreshdeskCredentials, readFreshdeskDomain } from './freshdesk-credentials.js';

describe('Freshdesk credentials', () => {
  it('sends the API key as the Basic user name, with the password X', () => {
    const { domain, authorization } = readFreshdeskCredentials({ domain: 'acme', api_key: 'abcDEF123' });
    expect(domain).toBe('acme');
    expect(Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString()).toBe('abcDEF123:X');
  });

  it('takes the domain alone or as the host name, in any case', () => {
    expect(readFreshdeskDomain({ domain: ' Acme ' })).toBe('acme');
    expect(readFreshdeskDomain({ domain: 'acme.freshdesk.com' })).toBe('acme');
    expect(readFreshdeskDomain({ domain: 'ACME.Freshdesk.com' })).toBe('acme');
  });

  it.each([
    ['acme.zendesk.com', 'a host of another vendor'],
    ['evil.example#', 'a fragment'],
    ['acme.freshdesk.com@evil.example', 'user info'],
    ['acme.freshdesk.com/x', 'a path'],
    ['-acme', 'a leading hyphen'],
    ['a'.repeat(64), 'more than 63 characters'],
    ['127.0.0.1', 'an address'],
    ['acme:443', 'a port'],
  ])('refuses the domain %s (%s) before any request', (domain) => {
    expect(() => readFreshdeskDomain({ domain })).toThrow(CredentialsError);
    expect(() => readFreshdeskCredentials({ domain, api_key: 'k' })).toThrow(/auth\.domain/);
  });

  it('names the missing field, never a value', () => {
    expect(() => readFreshdeskCredentials({ api_key: 'secret-key-1' })).toThrow(/auth\.domain/);
    expect(() => readFreshdeskCredentials({ domain: 'acme' })).toThrow(/auth\.api_key/);
    try {
      readFreshdeskCredentials({ domain: 'acme', api_key: 'secret key with spaces' });
    } catch (error) {
      expect((error as Error).message).toMatch(/auth\.api_key/);
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('refuses a key a header or a Basic user name cannot carry', () => {
    for (const apiKey of ['key\r\nX-Injected: 1', 'kéy', 'ab:cd', 'x'.repeat(5000)]) {
      expect(() => readFreshdeskCredentials({ domain: 'acme', api_key: apiKey })).toThrow(/auth\.api_key/);
    }
  });
});
