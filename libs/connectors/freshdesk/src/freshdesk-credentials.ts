import { checkToken, CredentialsError, type AuthFields } from '#interactions';

/**
 * An account's domain: the `acme` of acme.freshdesk.com, a DNS label (letters, digits, hyphens, at most 63), as for
 * Zendesk's subdomain; anything else never reaches a URL.
 */
const DOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const FRESHDESK_HOST_SUFFIX = '.freshdesk.com';

export interface FreshdeskCredentials {
  domain: string;
  /** The Authorization header: Basic `{api_key}:X`. */
  authorization: string;
}

export const FRESHDESK_AUTH_FIELDS = ['domain (the "acme" of acme.freshdesk.com)', 'api_key'];

/**
 * Reads Talkdesk's `auth` hash for Freshdesk: `domain` and `api_key`. Makes no request; a missing or malformed field
 * is a CredentialsError naming it.
 *
 * Freshdesk authenticates an API key with HTTP Basic, the key as the user name and any password ("X" in its
 * examples): Freshdesk API reference, "Authentication", https://developers.freshdesk.com/api/#authentication, and
 * "API key based authentication", https://support.freshdesk.com/en/support/solutions/articles/50000003346. The key is
 * a token (visible ASCII, checkToken) and, as Basic's user-id, holds no colon (RFC 7617, section 2): a key with one
 * would send another user name than the one given.
 */
export function readFreshdeskCredentials(auth: AuthFields): FreshdeskCredentials {
  const domain = readFreshdeskDomain(auth);
  const apiKey = typeof auth.api_key === 'string' ? auth.api_key.trim() : '';
  if (!apiKey) throw new CredentialsError("freshdesk needs auth.api_key (the API key of an agent's profile)");
  checkToken(apiKey, 'api_key');
  if (apiKey.includes(':')) throw new CredentialsError('auth.api_key is not a Freshdesk API key: it holds a colon');
  return { domain, authorization: `Basic ${Buffer.from(`${apiKey}:X`).toString('base64')}` };
}

/**
 * The account `auth` names: its domain, lower case (`acme`, or `acme.freshdesk.com` as it appears in the browser);
 * a CredentialsError when missing or malformed.
 */
export function readFreshdeskDomain(auth: AuthFields): string {
  const raw = typeof auth.domain === 'string' ? auth.domain.trim().toLowerCase() : '';
  if (!raw) throw new CredentialsError('freshdesk needs auth.domain (the "acme" of acme.freshdesk.com)');
  const domain = raw.endsWith(FRESHDESK_HOST_SUFFIX) ? raw.slice(0, -FRESHDESK_HOST_SUFFIX.length) : raw;
  if (!DOMAIN.test(domain)) {
    throw new CredentialsError(
      'auth.domain is not a Freshdesk domain: give only the "acme" of acme.freshdesk.com (letters, digits, hyphens)',
    );
  }
  return domain;
}
