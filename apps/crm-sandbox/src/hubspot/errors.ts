/**
 * HubSpot's error bodies: `{ status: 'error', message, correlationId, category, … }`, and the correlation ids
 * HubSpot puts in them and in the `X-HubSpot-Correlation-Id` header.
 * Body shape (every field optional): https://developers.hubspot.com/docs/faq/api-error-responses; see also "Error
 * handling", https://developers.hubspot.com/docs/api-reference/error-handling
 */

export type ErrorCategory =
  'VALIDATION_ERROR' | 'OBJECT_NOT_FOUND' | 'INVALID_AUTHENTICATION' | 'RATE_LIMITS' | 'INTERNAL_ERROR';

export interface HubspotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: ErrorCategory;
  context?: Record<string, string[]>;
  errors?: { message: string; in?: string; code?: string }[];
}

/** An error answer: the status code and HubSpot's body. */
export interface HubspotErrorAnswer {
  status: number;
  body: Record<string, unknown>;
}

export function errorAnswer(
  status: number,
  category: ErrorCategory,
  message: string,
  correlationId: string,
  extra: Pick<HubspotErrorBody, 'context' | 'errors'> = {},
): HubspotErrorAnswer {
  const body: HubspotErrorBody = { status: 'error', message, correlationId, category, ...extra };
  return { status, body: { ...body } };
}

export const validationError = (
  message: string,
  correlationId: string,
  extra: Pick<HubspotErrorBody, 'context' | 'errors'> = {},
) => errorAnswer(400, 'VALIDATION_ERROR', message, correlationId, extra);

/** HubSpot's answer to a path naming an object type it does not know. */
export const unknownObjectType = (raw: string, correlationId: string) =>
  validationError(`Unable to infer object type from: ${raw}`, correlationId);

/** 404 for one record (`GET /crm/v3/objects/{type}/{id}`). */
export const objectNotFound = (id: string, correlationId: string) =>
  errorAnswer(404, 'OBJECT_NOT_FOUND', 'Object not found. objectId are usually numeric.', correlationId, {
    context: { id: [id] },
  });

export const MISSING_CREDENTIALS =
  'Authentication credentials not found. This API expects an OAuth access token or a private app access token, sent as "Authorization: Bearer <token>".';
export const INVALID_CREDENTIALS = 'The access token in the Authorization header is invalid, expired or revoked.';

/**
 * Deterministic correlation ids (uuid-shaped, version 4 layout) from a counter: every sandbox run numbers its
 * requests the same way, and nothing random goes into an answer.
 */
export class CorrelationIds {
  private count = 0;

  next(): string {
    this.count += 1;
    const word = (salt: number) =>
      hash32(this.count * 4 + salt)
        .toString(16)
        .padStart(8, '0');
    const [a, b, c, d] = [word(0), word(1), word(2), word(3)];
    const variant = ((parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

/** A 32-bit integer mix (MurmurHash3's finalizer). */
function hash32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
