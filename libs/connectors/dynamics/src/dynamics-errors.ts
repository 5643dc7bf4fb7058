import { ForbiddenError, isRecord, type BridgeError } from '#interactions';

/**
 * Dataverse's error body: `{ "error": { "code": "0x80040220", "message": "…" } }`, the code a hexadecimal error value
 * ("Compose HTTP requests and handle errors", Parse errors from the response,
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
 * Undefined when the body is not one.
 */
export function dataverseError(body: unknown): { code?: string; message?: string } | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const error = isRecord(parsed) ? parsed.error : undefined;
  if (!isRecord(error)) return undefined;
  return {
    code: typeof error.code === 'string' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
  };
}

/** The error's hexadecimal code, when it is one: safe to put in a log line (messages can quote request values). */
export function dataverseErrorCode(body: unknown): string | undefined {
  const code = dataverseError(body)?.code;
  return code && /^0x[0-9A-Fa-f]{8}$/.test(code) ? code : undefined;
}

/**
 * A 403 is a missing privilege (`PrivilegeDenied`, `PrincipalPrivilegeDenied`, `AccessDenied`…, "Identify status
 * codes" on the same page), never a credentials problem: a refreshed token has the same roles. Dataverse names the
 * missing privilege in the message (`prvReadIncident`); only that name, a fixed vocabulary, is repeated. Other refusals
 * keep the HTTP client's reading: 401 credentials, 404 no such row, 429 the service protection limits.
 */
export function readDataverseRefusal(status: number, body: string): BridgeError | undefined {
  if (status !== 403) return undefined;
  const error = dataverseError(body);
  const permission = /\bprv[A-Za-z0-9_]{1,100}\b/.exec(error?.message ?? '')?.[0];
  const code = dataverseErrorCode(body);
  return new ForbiddenError(
    `dynamics refused a call (HTTP 403${code ? ` ${code}` : ''}): the user lacks a privilege it needs${
      permission ? ` (${permission})` : ''
    }`,
    { permission },
  );
}
