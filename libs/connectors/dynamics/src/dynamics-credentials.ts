import { checkToken, CredentialsError, type AuthFields } from '#interactions';
import { readOrgUrl, type DynamicsOrg } from './dynamics-org-url.js';

/**
 * Talkdesk's `oauth2` flow gives an Entra ID access token for the customer's environment; `auth` carries it with the
 * environment's URL, which is also the token's audience (the resource it was issued for).
 */
export const DYNAMICS_AUTH_FIELDS = ['org_url (https://<org>.crm<N>.dynamics.com)', 'access_token'];

export interface DynamicsCredentials extends DynamicsOrg {
  /** `Bearer {access_token}`. Sent, hashed into the breaker key by the HTTP client, never logged. */
  authorization: string;
}

/**
 * Reads Talkdesk's `auth` hash for Dynamics 365: `org_url` (validated against Dynamics' own host names) and an
 * OAuth `access_token`. Makes no request; a missing or malformed field is a CredentialsError naming it, never its value.
 */
export function readDynamicsCredentials(auth: AuthFields): DynamicsCredentials {
  const field = (name: string) => (typeof auth[name] === 'string' ? auth[name].trim() : '');
  const orgUrl = field('org_url');
  const accessToken = field('access_token');
  const missing = [!orgUrl && 'auth.org_url', !accessToken && 'auth.access_token'].filter(Boolean);
  if (missing.length > 0) throw new CredentialsError(`dynamics needs ${missing.join(' and ')} (OAuth)`);
  const org = readOrgUrl(orgUrl);
  return { ...org, authorization: `Bearer ${checkToken(accessToken, 'access_token')}` };
}
