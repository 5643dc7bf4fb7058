import { timingSafeEqual } from 'node:crypto';
import type { ZendeskTenantData, ZendeskUser } from './model.js';

/**
 * Who is calling, from the Authorization header, as Zendesk decides it:
 * - `Basic base64({email}/token:{api_token})`: an API token of that agent, on this account;
 * - `Bearer {access_token}`: an OAuth access token issued by this account;
 * - no header at all: anonymous (Zendesk lets anonymous callers read `users/me`, and nothing else here).
 * Passwords (`Basic base64({email}:{password})`) are not accepted: the sandbox has none.
 */
export type Caller =
  { kind: 'agent'; user: ZendeskUser } | { kind: 'anonymous' } | { kind: 'rejected'; scheme: 'basic' | 'bearer' };

export function identifyCaller(authorization: string | undefined, tenant: ZendeskTenantData): Caller {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'anonymous' };
  const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
  const credential = rest.join(' ');
  const owner = tenant.users[0]!;
  const { email, token, accessToken } = tenant.credentials;

  if (scheme.toLowerCase() === 'bearer') {
    return credential && sameSecret(credential, accessToken)
      ? { kind: 'agent', user: owner }
      : { kind: 'rejected', scheme: 'bearer' };
  }
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const login = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    const tokenLogin = /^(.+)\/token$/i.exec(login);
    if (tokenLogin && tokenLogin[1]!.toLowerCase() === email.toLowerCase() && sameSecret(secret, token)) {
      return { kind: 'agent', user: owner };
    }
  }
  return { kind: 'rejected', scheme: 'basic' };
}

/**
 * Zendesk's 401 answers: the Basic one for API tokens, the OAuth one for Bearer tokens. Zendesk documents the
 * credential formats ("Security and authentication") but not these 401 bodies:
 * https://developer.zendesk.com/api-reference/introduction/security-and-auth/
 */
export function unauthorized(scheme: 'basic' | 'bearer'): {
  headers: Record<string, string>;
  body: Record<string, string>;
} {
  if (scheme === 'bearer') {
    const description = 'The access token provided is expired, revoked, malformed or invalid for other reasons.';
    return {
      headers: {
        'www-authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"`,
      },
      body: { error: 'invalid_token', error_description: description },
    };
  }
  return {
    headers: { 'www-authenticate': 'Basic realm="Web Password"' },
    body: { error: "Couldn't authenticate you" },
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
