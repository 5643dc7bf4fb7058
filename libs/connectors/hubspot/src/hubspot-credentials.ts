import { createHash } from 'node:crypto';
import { checkToken, CredentialsError, type AuthFields } from '#interactions';

export interface HubspotCredentials {
  /** The Authorization header, `Bearer {access_token}`. Sent, never logged. */
  authorization: string;
  /** SHA-256 of the token (hex): what per-token caches are keyed by, so that no cache holds a token. */
  tokenKey: string;
}

export const HUBSPOT_AUTH_FIELDS = ['access_token'];

/**
 * Reads Talkdesk's `auth` hash for HubSpot: `access_token`, from a private app or OAuth, sent as a Bearer token.
 * Makes no request; a missing or malformed token is a CredentialsError naming the field (never its value).
 */
export function readHubspotCredentials(auth: AuthFields): HubspotCredentials {
  const token = typeof auth.access_token === 'string' ? auth.access_token.trim() : '';
  if (!token) throw new CredentialsError('hubspot needs auth.access_token (a private app or OAuth access token)');
  // Visible ASCII, and no longer than any token: anything else is no HubSpot token, and never reaches a header.
  checkToken(token, 'access_token');
  return { authorization: `Bearer ${token}`, tokenKey: hubspotTokenKey(token) };
}

export function hubspotTokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
