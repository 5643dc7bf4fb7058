import { CredentialsError } from './errors.js';

/**
 * The longest token (API token, OAuth or private-app access token) a connector accepts. No vendor of ours documents a
 * maximum; HubSpot asks integrators to store access tokens of "at least 512 characters" ("Updated recommendations for
 * storing OAuth access tokens", https://developers.hubspot.com/changelog/updated-recommendations-for-storing-oauth-access-tokens),
 * and Salesforce's JWT-based access tokens are longer than its opaque ones ("JWT-Based Access Tokens",
 * https://help.salesforce.com/s/articleView?id=xcloud.jwt_access_tokens.htm). 4,096 is eight times HubSpot's figure
 * and half of the 8 KB a header line commonly may hold at a CRM's front door: a longer value is no token, and a
 * 90 KB one would only cost the CRM a refusal.
 */
export const MAX_TOKEN_LENGTH = 4_096;

/** An email address is at most 254 characters (RFC 5321, section 4.5.3.1: a 256-octet path, less its brackets). */
export const MAX_EMAIL_LENGTH = 254;

/** Visible ASCII: what an OAuth or API token is made of (RFC 6750's b64token and Salesforce's `!` among them). */
const TOKEN = /^[\x21-\x7e]+$/;

/**
 * A value Node and undici accept in an HTTP header (RFC 9110, section 5.5: field-value is visible characters, spaces,
 * tabs and obs-text, 0x80-0xFF). CR, LF and NUL would split or end the header; a character above 0xFF cannot be
 * sent as one byte, and undici refuses both before anything leaves the bridge.
 */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function isHeaderValue(value: string): boolean {
  return HEADER_VALUE.test(value);
}

/**
 * A credential that goes into an Authorization header as it is (a Bearer token): visible ASCII, at most
 * MAX_TOKEN_LENGTH. Anything else is no token of any CRM's, and is refused here, before any call, as malformed
 * credentials (401) naming the field, never its value.
 */
export function checkToken(value: string, field: string): string {
  if (value.length > MAX_TOKEN_LENGTH) {
    throw new CredentialsError(`auth.${field} is longer than any token (${MAX_TOKEN_LENGTH} characters at most)`);
  }
  if (!TOKEN.test(value)) {
    throw new CredentialsError(`auth.${field} is not a token: it holds spaces, control or non-ASCII characters`);
  }
  return value;
}

/**
 * A credential of text that is encoded before it is sent (a Zendesk email, inside Basic authentication's base64):
 * any printable Unicode, well formed (no lone surrogate, which UTF-8 would silently turn into U+FFFD and so send
 * another credential than the one given), without control characters, at most `maxLength`.
 */
export function checkCredentialText(value: string, field: string, maxLength: number): string {
  if (value.length > maxLength) {
    throw new CredentialsError(`auth.${field} is too long (${maxLength} characters at most)`);
  }
  if (LONE_SURROGATE.test(value) || CONTROL.test(value)) {
    throw new CredentialsError(`auth.${field} holds control characters or malformed Unicode`);
  }
  return value;
}
