import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialsError } from '#interactions';
import { readHubspotCredentials } from './hubspot-credentials.js';

describe('readHubspotCredentials', () => {
  it('sends the access token as a Bearer token, and keys caches by its SHA-256', () => {
    const credentials = readHubspotCredentials({ access_token: ' pat-na1-11111111-2222-3333-4444-555555555555 ' });
    expect(credentials.authorization).toBe('Bearer pat-na1-11111111-2222-3333-4444-555555555555');
    expect(credentials.tokenKey).toBe(
      createHash('sha256').update('pat-na1-11111111-2222-3333-4444-555555555555').digest('hex'),
    );
    expect(credentials.tokenKey).not.toContain('pat-na1');
  });

  it.each([[{}], [{ access_token: '' }], [{ access_token: '   ' }], [{ token: 'pat-na1-x' }]])(
    'a missing or blank access_token is a CredentialsError naming the field: %j',
    (auth) => {
      expect(() => readHubspotCredentials(auth)).toThrow(CredentialsError);
      expect(() => readHubspotCredentials(auth)).toThrow(/auth\.access_token/);
    },
  );

  it('refuses a token with spaces or control characters, without echoing it', () => {
    const attempt = () => readHubspotCredentials({ access_token: 'super secret\r\nX-Evil: 1' });
    expect(attempt).toThrow(CredentialsError);
    expect(attempt).not.toThrow(/super secret/);
  });
});
