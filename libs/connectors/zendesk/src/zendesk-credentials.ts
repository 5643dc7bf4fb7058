import { checkCredentialText, checkToken, CredentialsError, MAX_EMAIL_LENGTH, type AuthFields } from '#interactions';

/** Zendesk's rule for a subdomain; anything else never reaches a URL. */
const SUBDOMAIN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface ZendeskCredentials {
  subdomain: string;
  /** The Authorization header: Basic `{email}/token:{token}` or Bearer `{access_token}`. */
  authorization: string;
}

export const ZENDESK_AUTH_FIELDS = ['subdomain (or account)', 'email', 'token', 'access_token'];

/**
 * Reads Talkdesk's `auth` hash for Zendesk: `subdomain` (alias `account`), with `email` and `token` (an API token),
 * or an OAuth `access_token`. Makes no request; a missing or malformed field is a CredentialsError naming it. Each
 * value is checked for what it can become: the subdomain a host name, the tokens header text (a Bearer token goes
 * into the header as it is), the email text that Basic authentication's base64 carries.
 */
export function readZendeskCredentials(auth: AuthFields): ZendeskCredentials {
  const field = (name: string) => (typeof auth[name] === 'string' ? auth[name].trim() : '');
  const subdomain = readZendeskSubdomain(auth);
  const email = field('email');
  const token = field('token');
  if (email && token) {
    checkCredentialText(email, 'email', MAX_EMAIL_LENGTH);
    checkToken(token, 'token');
    return { subdomain, authorization: `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}` };
  }
  const accessToken = field('access_token');
  if (accessToken) return { subdomain, authorization: `Bearer ${checkToken(accessToken, 'access_token')}` };
  const missing = email ? 'auth.token' : token ? 'auth.email' : 'auth.email and auth.token';
  throw new CredentialsError(`zendesk needs ${missing} (an API token), or auth.access_token (OAuth)`);
}

/** The account `auth` names: its subdomain (alias `account`), lower case; a CredentialsError when missing or malformed. */
export function readZendeskSubdomain(auth: AuthFields): string {
  const field = (name: string) => (typeof auth[name] === 'string' ? auth[name].trim() : '');
  const rawSubdomain = field('subdomain') || field('account');
  if (!rawSubdomain) throw new CredentialsError('zendesk needs auth.subdomain (the "acme" of acme.zendesk.com)');
  const subdomain = rawSubdomain.toLowerCase();
  if (!SUBDOMAIN.test(subdomain)) {
    throw new CredentialsError(
      'auth.subdomain is not a Zendesk subdomain: give only the "acme" of acme.zendesk.com (letters, digits, hyphens)',
    );
  }
  return subdomain;
}
