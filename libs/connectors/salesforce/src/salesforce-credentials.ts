import { createHash } from 'node:crypto';
import { checkToken, CredentialsError, type AuthFields } from '#interactions';
import { readInstanceUrl, type SalesforceInstance } from './salesforce-instance-url.js';

export const SALESFORCE_AUTH_FIELDS = ['instance_url', 'access_token'];

export interface SalesforceCredentials extends SalesforceInstance {
  /** `Bearer {access_token}`. Sent, hashed into the breaker key by the HTTP client, never logged. */
  authorization: string;
  /** A hash naming the org and token, for anything keyed per tenant (the CRM budget's seam); never the token. */
  tenantKey: string;
}

/**
 * Reads Talkdesk's `auth` hash for Salesforce: `instance_url` (the org's My Domain, validated against Salesforce's
 * domains) and an OAuth `access_token`. Makes no request; a missing or malformed field is a CredentialsError naming it.
 */
export function readSalesforceCredentials(auth: AuthFields): SalesforceCredentials {
  const field = (name: string) => (typeof auth[name] === 'string' ? auth[name].trim() : '');
  const instanceUrl = field('instance_url');
  const accessToken = field('access_token');
  const missing = [!instanceUrl && 'auth.instance_url', !accessToken && 'auth.access_token'].filter(Boolean);
  if (missing.length > 0) throw new CredentialsError(`salesforce needs ${missing.join(' and ')} (OAuth)`);
  checkToken(accessToken, 'access_token');
  const instance = readInstanceUrl(instanceUrl);
  const tenantKey = createHash('sha256').update(`${instance.host}\n${accessToken}`).digest('hex').slice(0, 32);
  return { ...instance, authorization: `Bearer ${accessToken}`, tenantKey };
}
