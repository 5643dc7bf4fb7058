import {
  CredentialsError,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  isRecord,
  type BridgeError,
} from '#interactions';

/**
 * Salesforce's error bodies are arrays of `{ message, errorCode }` ("Status Codes and Error Responses", REST API
 * Developer Guide, https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm): 401
 * is an expired or invalid session (`INVALID_SESSION_ID`), 403 with `REQUEST_LIMIT_EXCEEDED` means the org's API
 * request limit is exceeded, other 403s are missing permissions, 404 a record that does not exist.
 */
export function salesforceErrorCodes(body: unknown): string[] {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry) => (isRecord(entry) && typeof entry.errorCode === 'string' ? [entry.errorCode] : []));
}

/** Error codes are Salesforce's upper-case constants; anything else is not repeated in a message. */
function codesText(codes: string[]): string {
  const safe = codes.filter((code) => /^[A-Z_]{1,64}$/.test(code));
  return safe.length > 0 ? ` ${safe.join(', ')}` : '';
}

export function requestLimitExceeded(retryAfterSeconds: number): RateLimitedError {
  return new RateLimitedError("salesforce: the org's daily API request limit is spent (REQUEST_LIMIT_EXCEEDED)", {
    retryAfterSeconds,
  });
}

/**
 * A refused call (the whole composite, a query, a search) whose meaning differs from the HTTP defaults: only
 * REQUEST_LIMIT_EXCEEDED, which is a rate limit, not a credentials problem (docs/contract.md, "Salesforce"). The rest
 * keeps the HTTP client's classification.
 */
export function classifySalesforceRefusal(retryAfterSeconds: number) {
  return (status: number, body: string): BridgeError | undefined =>
    status === 403 && salesforceErrorCodes(body).includes('REQUEST_LIMIT_EXCEEDED')
      ? requestLimitExceeded(retryAfterSeconds)
      : undefined;
}

/**
 * A failed composite subrequest: the composite answered 200 and this one part failed, with its own status and
 * error body ("Composite Subrequest Result": "If the subrequest returns an error, the body includes the error code
 * and message"). Only the type it served fails.
 */
export function subrequestError(status: number, body: unknown, what: string, retryAfterSeconds: number): BridgeError {
  const codes = salesforceErrorCodes(body);
  const detail = `salesforce ${what} failed with HTTP ${status}${codesText(codes)}`;
  if (status === 401) return new CredentialsError(detail);
  if (status === 403 && codes.includes('REQUEST_LIMIT_EXCEEDED')) return requestLimitExceeded(retryAfterSeconds);
  if (status === 404) return new NotFoundError(detail);
  return new UpstreamError(detail);
}

/**
 * Salesforce gives each org a host name of its own (My Domain) and answers only on the names it has handed out: the
 * name of an org that does not exist (never created, deleted, renamed away from) does not resolve. Salesforce's own
 * CLI library reads it so: it looks an org's My Domain up in DNS before using it, because "after a ScratchOrg is
 * created its host name may not be propagated to the Salesforce DNS service" (MyDomainResolver,
 * https://github.com/forcedotcom/sfdx-core/blob/main/src/status/myDomainResolver.ts), and reports a host that does
 * not resolve as "The org cannot be found" (DomainNotFound, messages/connection.md of the same library). So a host
 * name that does not exist (ENOTFOUND) is an instance_url that names no org: the credentials' fault, 401, as
 * Zendesk's "No help desk" for a subdomain without an account. A temporary DNS failure (EAI_AGAIN) is not that.
 */
export function readSalesforceNetworkFailure(code: string | undefined): BridgeError | undefined {
  return code === 'ENOTFOUND'
    ? new CredentialsError('salesforce has no org at this instance_url (its host name does not exist)')
    : undefined;
}
