import { httpReason } from '../errors/bridge-exception.filter.js';
import {
  ADDRESS_OVER_LIMIT,
  CALLER_SECRET_MISSING,
  LOCKED_OUT,
  TENANT_OVER_LIMIT,
} from '../protection/edge-protection.js';

/** The statuses an error answer of Talkdesk's routes can have. */
export type ErrorStatus = 400 | 401 | 404 | 405 | 408 | 413 | 415 | 429 | 500 | 502 | 503 | 504;

export interface Example {
  summary: string;
  value: unknown;
}

/** The request id the examples carry (a caller's own x-request-id is kept when it is sane). */
export const EXAMPLE_REQUEST_ID = '8c5e1f0a-3b7d-4c2e-9f61-2a4d6b8e0c17';

/** A body the bridge writes: the fields every error answer has, and this one's own. */
function bridgeBody(statusCode: number, error: string, message: string, more: object = {}): object {
  return { statusCode, error, message, requestId: EXAMPLE_REQUEST_ID, ...more };
}

const ASKED_TYPES = ['case', 'note', 'task'];
const everyType = (cause: string) => ({ failures: ASKED_TYPES.map((type) => ({ type, cause })) });
const ZENDESK_AUTH_FIELDS = ['subdomain (or account)', 'email', 'token', 'access_token'];

/**
 * Real answers, one or more per status: each is what the bridge answers to the request its summary describes,
 * checked word for word against a real bridge (test/deploy/openapi-answers.e2e.spec.ts, which sends each one).
 * The messages of 5xx answers are the exception filter's fixed sentences; only 4xx answers explain the request.
 */
export function errorExamples(route: 'interactions' | 'auth/validate'): Record<ErrorStatus, Record<string, Example>> {
  const interactions = route === 'interactions';
  /**
   * A 5xx caused by the CRM, in the exception filter's words. On the retriever it is an answer only when every asked
   * type failed (here case, note and task): `failures` says which, and why.
   */
  const crmFailed = (status: number, cause: string, sentence: string, { summary }: { summary: string }): Example =>
    interactions
      ? {
          summary: `${summary}, for every asked type`,
          value: bridgeBody(status, httpReason(status), `every asked interaction type failed; ${sentence}`, {
            cause,
            ...everyType(cause),
          }),
        }
      : { summary, value: bridgeBody(status, httpReason(status), sentence, { cause }) };
  return {
    400: {
      wrong_shape: interactions
        ? {
            summary: 'A body of the wrong shape (here meta.interaction_types: []): `fields` names each field',
            value: bridgeBody(
              400,
              'Bad Request',
              'invalid request body: meta.interaction_types: interaction_types should not be empty',
              { fields: [{ field: 'meta.interaction_types', problems: ['interaction_types should not be empty'] }] },
            ),
          }
        : {
            summary: 'A body of the wrong shape (here auth: "acme"): `fields` names each field',
            value: bridgeBody(
              400,
              'Bad Request',
              'invalid request body: auth: auth must be an object whose values are all strings',
              {
                fields: [{ field: 'auth', problems: ['auth must be an object whose values are all strings'] }],
              },
            ),
          },
      malformed_json: {
        summary: 'A body that is not JSON',
        value: bridgeBody(400, 'Bad Request', "Body is not valid JSON but content-type is set to 'application/json'"),
      },
    },
    401: {
      rejected: {
        summary: 'The CRM rejected the credentials (zendesk): `authFields` lists the fields the connector reads',
        value: bridgeBody(401, 'Unauthorized', 'zendesk rejected the credentials (HTTP 401)', {
          authFields: ZENDESK_AUTH_FIELDS,
        }),
      },
      caller_secret: {
        summary: 'BRIDGE_CALLER_SECRET is set and the request carries none of its values',
        value: bridgeBody(401, 'Unauthorized', CALLER_SECRET_MISSING),
      },
      locked_out: {
        summary: 'This tenant and client address are locked out after repeated CRM rejections (with Retry-After)',
        value: bridgeBody(401, 'Unauthorized', LOCKED_OUT),
      },
    },
    404: {
      unknown_connector: {
        summary: 'No connector of that name (here nosuchcrm)',
        value: bridgeBody(404, 'Not Found', 'no connector named "nosuchcrm"'),
      },
    },
    405: {
      wrong_method: {
        summary: 'Another method than POST on this path (here GET), with Allow: POST',
        value: bridgeBody(405, 'Method Not Allowed', 'GET is not allowed here; use POST'),
      },
    },
    408: {
      client_timeout: {
        summary: 'The request was still arriving after HTTP_REQUEST_TIMEOUT_MS (answered by the HTTP server)',
        value: { statusCode: 408, error: 'Request Timeout', message: 'Client Timeout' },
      },
    },
    413: {
      too_large: {
        summary: 'A body over BODY_LIMIT_BYTES',
        value: bridgeBody(413, 'Payload Too Large', 'Request body is too large'),
      },
    },
    415: {
      not_json: {
        summary: 'A Content-Type other than application/json (here text/plain)',
        value: bridgeBody(415, 'Unsupported Media Type', 'Content-Type must be application/json, not text/plain'),
      },
    },
    429: {
      address: {
        summary: 'This client address is over RATE_LIMIT_PER_ADDRESS_PER_MINUTE (with Retry-After)',
        value: bridgeBody(429, 'Too Many Requests', ADDRESS_OVER_LIMIT),
      },
      tenant: {
        summary: 'This tenant is over RATE_LIMIT_PER_TENANT_PER_MINUTE (with Retry-After)',
        value: bridgeBody(429, 'Too Many Requests', TENANT_OVER_LIMIT),
      },
    },
    500: {
      unexpected: {
        summary: 'A bug: the log line with this request id has the details',
        value: bridgeBody(
          500,
          'Internal Server Error',
          `unexpected error; quote request id ${EXAMPLE_REQUEST_ID} when reporting it`,
        ),
      },
    },
    502: {
      upstream: crmFailed(502, 'upstream', 'the CRM failed, or answered with something the bridge cannot read', {
        summary: 'The CRM failed (here HTTP 422)',
      }),
    },
    503: {
      rate_limited: crmFailed(503, 'rate_limited', 'the CRM is rate limiting the bridge; try again after Retry-After', {
        summary: "The CRM is rate limiting the bridge (with the CRM's Retry-After)",
      }),
      circuit_open: {
        summary: 'The CRM kept failing: calls to it are paused (with Retry-After, when the breaker half-opens)',
        value: bridgeBody(
          503,
          'Service Unavailable',
          'the CRM keeps failing; calls to it are paused for a while, see Retry-After',
          { cause: 'circuit_open' },
        ),
      },
      closing: {
        summary: 'The request arrived while the server was closing (answered by the HTTP server)',
        value: { statusCode: 503, error: 'Service Unavailable', message: 'Service Unavailable' },
      },
    },
    504: {
      deadline: crmFailed(504, 'deadline', 'the CRM did not answer within the deadline', {
        summary: 'The deadline passed before the CRM answered',
      }),
    },
  };
}
