import { describe, expect, it } from 'vitest';
import { CredentialsError } from '#interactions';
import { readZendeskCredentials } from './zendesk-credentials.js';

describe('readZendeskCredentials', () => {
  it('builds Basic {email}/token:{token} from an API token', () => {
    const { subdomain, authorization } = readZendeskCredentials({ subdomain: 'acme', email: 'a@b.c', token: 't0k' });
    expect(subdomain).toBe('acme');
    expect(authorization).toBe(`Basic ${Buffer.from('a@b.c/token:t0k').toString('base64')}`);
  });

  it('uses Bearer for an OAuth access_token, and accepts `account` as the subdomain', () => {
    expect(readZendeskCredentials({ account: 'Acme', access_token: 'oauth' })).toEqual({
      subdomain: 'acme',
      authorization: 'Bearer oauth',
    });
  });

  it.each([
    [{ email: 'a@b.c', token: 't' }, /subdomain/],
    [{ subdomain: 'acme', email: 'a@b.c' }, /auth\.token/],
    [{ subdomain: 'acme', token: 't' }, /auth\.email/],
    [{ subdomain: 'acme' }, /auth\.email and auth\.token.*access_token/],
  ])('names what is missing: %j', (auth, message) => {
    expect(() => readZendeskCredentials(auth)).toThrow(CredentialsError);
    expect(() => readZendeskCredentials(auth)).toThrow(message);
  });

  it.each(['acme.zendesk.com', 'evil.com/x?', '-acme', 'a'.repeat(64), 'ac me', '127.0.0.1:80@evil', '../etc'])(
    'refuses the subdomain %j before any request',
    (subdomain) => {
      expect(() => readZendeskCredentials({ subdomain, email: 'a@b.c', token: 't' })).toThrow(
        /not a Zendesk subdomain/,
      );
    },
  );

  it('never puts the token in an error message, even when the token is what it read last', () => {
    // A valid subdomain and a token without its email: the token is read, and the message is about the email.
    const attempt = () => readZendeskCredentials({ subdomain: 'acme', token: 'super-secret-token' });
    expect(attempt).toThrow(/auth\.email/);
    expect(attempt).not.toThrow(/super-secret-token/);
  });
});
