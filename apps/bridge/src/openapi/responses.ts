import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse } from '@nestjs/swagger';
import type { BridgeErrorKind } from '#interactions';
import { httpReason, STATUS_BY_KIND } from '../errors/bridge-exception.filter.js';
import { errorExamples, type ErrorStatus, type Example } from './error-examples.js';
import { ErrorBodyDto, HttpServerErrorBodyDto } from './response.dto.js';
import type { OpenApiDocument, SchemaObject } from './openapi-types.js';

/** The caller secret's security scheme (BRIDGE_CALLER_SECRET); Swagger UI's "Authorize" fills its header. */
export const CALLER_SECRET_SCHEME = 'callerSecret';

type ErrorExtra = 'fields' | 'authFields' | 'cause' | 'failures';

interface ErrorStatusDoc {
  description: string;
  /** The optional fields this status's body can carry, besides statusCode, error, message and requestId. */
  extras: ErrorExtra[];
  retryAfter?: 'always' | 'sometimes';
  allow?: true;
  /**
   * Who writes the body: the bridge (ErrorBodyDto), the HTTP server before any of the bridge's code ran
   * (HttpServerErrorBodyDto: 408), or either (503: the bridge, or the server while closing).
   */
  writer: 'bridge' | 'server' | 'either';
}

const ERROR_STATUSES: Record<ErrorStatus, ErrorStatusDoc> = {
  400: {
    description:
      'The body is not JSON, or not of the documented shape (`fields` names each offending field), or nested more ' +
      'than 32 levels deep.',
    extras: ['fields'],
    writer: 'bridge',
  },
  401: {
    description:
      'Credentials missing, malformed or rejected by the CRM (`authFields` lists the `auth` fields the connector ' +
      'reads; Talkdesk refreshes its token and calls again); the caller secret missing or wrong (BRIDGE_CALLER_SECRET); ' +
      'or this tenant and client address locked out after repeated CRM rejections (then with Retry-After).',
    extras: ['authFields', 'failures'],
    retryAfter: 'sometimes',
    writer: 'bridge',
  },
  404: { description: 'No connector of that name.', extras: [], writer: 'bridge' },
  405: {
    description:
      'Not an answer to POST: any other method on this path (GET, PUT, DELETE, PATCH; HEAD, without a body) is ' +
      'answered 405 with `Allow: POST`.',
    extras: [],
    allow: true,
    writer: 'bridge',
  },
  408: {
    description:
      'The request was still arriving after HTTP_REQUEST_TIMEOUT_MS (or its headers after HTTP_HEADERS_TIMEOUT_MS). ' +
      "The HTTP server answers before any of the bridge's code runs, so the body has no request id and the answer " +
      'no x-request-id or Server-Timing; the connection is closed.',
    extras: [],
    writer: 'server',
  },
  413: { description: 'The body is larger than BODY_LIMIT_BYTES.', extras: [], writer: 'bridge' },
  415: { description: 'The Content-Type is not application/json.', extras: [], writer: 'bridge' },
  429: {
    description: 'This client address or tenant is over its rate limit; no CRM call was made. See Retry-After.',
    extras: [],
    retryAfter: 'always',
    writer: 'bridge',
  },
  500: {
    description: 'A bug: the answer carries only the request id that finds the log line.',
    extras: ['failures'],
    writer: 'bridge',
  },
  502: {
    description:
      'The CRM failed, has no such record, or refused a permission (`cause`); with `failures` when every asked ' +
      'type failed.',
    extras: ['cause', 'failures'],
    writer: 'bridge',
  },
  503: {
    description:
      'Nothing could be looked up: the CRM is rate limiting the bridge, the CRM budget left nothing for this pop (the ' +
      "account's allowance is spent but for what the bridge leaves its other integrations), or the circuit breaker " +
      'is open (`cause`; see Retry-After). Also the HTTP ' +
      "server's own answer, without a request id or Retry-After, to a request that arrives while it is closing.",
    extras: ['cause', 'failures'],
    retryAfter: 'sometimes',
    writer: 'either',
  },
  504: {
    description: 'The deadline (REQUEST_DEADLINE_MS) passed before the CRM answered.',
    extras: ['cause', 'failures'],
    writer: 'bridge',
  },
};

const ERROR_STATUS_LIST = Object.keys(ERROR_STATUSES).map(Number) as ErrorStatus[];

/** Every answer's headers, and the ones some statuses add. Described once here, repeated in each response. */
function responseHeaders(options: {
  talkdesk: boolean;
  fromServer?: 'only' | 'sometimes';
  retryAfter?: 'always' | 'sometimes';
  allow?: boolean;
}): Record<string, object> {
  const fromBridge = options.fromServer !== 'only';
  const headers: Record<string, object> = {};
  if (fromBridge) {
    headers['x-request-id'] = {
      description:
        "The request's id: the caller's own x-request-id when it is 1 to 64 of A-Z a-z 0-9 . _ : -, else a UUID. " +
        'Also in error bodies and in every log line about the request.',
      required: options.fromServer === undefined,
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' },
    };
    headers['Server-Timing'] = options.talkdesk
      ? {
          description:
            'How long the bridge took over the request (`total;dur=<ms>`), how many calls it made to the CRM, retries ' +
            'included (`crm;desc="calls=<n>"`), and, when the cache answered some lookups or types, how many ' +
            '(`cache;desc="hits=<n>"`).',
          required: options.fromServer === undefined,
          schema: {
            type: 'string',
            pattern: '^total;dur=[0-9]+(\\.[0-9]+)?, crm;desc="calls=[0-9]+"(, cache;desc="hits=[0-9]+")?$',
          },
        }
      : {
          description: 'How long the bridge took over the request (`total;dur=<ms>`).',
          required: true,
          schema: { type: 'string', pattern: '^total;dur=[0-9]+(\\.[0-9]+)?$' },
        };
  }
  if (options.retryAfter) {
    headers['Retry-After'] = {
      description: 'Seconds to wait before trying again (at least 1).',
      required: options.retryAfter === 'always',
      schema: { type: 'integer', minimum: 1 },
    };
  }
  if (options.allow) {
    headers.Allow = {
      description: 'The one method this path answers.',
      required: true,
      schema: { type: 'string', enum: ['POST'] },
    };
  }
  return headers;
}

/** The headers of every answer the bridge writes: on Talkdesk's routes, or on the probes. */
export function bridgeHeaders(talkdesk: boolean): Record<string, object> {
  return responseHeaders({ talkdesk });
}

/**
 * Each error status of one of Talkdesk's routes: its description, its headers, the schema of its body (narrowed
 * for the status by `addErrorSchemas`) and real examples of it (error-examples.ts).
 */
export function ApiErrorResponses(route: 'interactions' | 'auth/validate'): MethodDecorator & ClassDecorator {
  const examples = errorExamples(route);
  return applyDecorators(
    ApiExtraModels(ErrorBodyDto, HttpServerErrorBodyDto),
    ...ERROR_STATUS_LIST.map((status) => {
      const doc = ERROR_STATUSES[status];
      return ApiResponse({
        status,
        description: doc.description,
        headers: responseHeaders({
          talkdesk: true,
          fromServer: doc.writer === 'server' ? 'only' : doc.writer === 'either' ? 'sometimes' : undefined,
          retryAfter: doc.retryAfter,
          allow: doc.allow,
        }),
        content: {
          'application/json': {
            schema: { $ref: `#/components/schemas/${errorSchemaName(status)}` },
            examples: examples[status] satisfies Record<string, Example>,
          },
        },
      });
    }),
  );
}

function errorSchemaName(status: ErrorStatus): string {
  return `ErrorBody${status}`;
}

/**
 * One schema per error status, from ErrorBodyDto's properties: its status code and reason phrase, the optional
 * fields that status can carry, and for a 5xx caused by the CRM its `cause` (required), one of the kinds that are
 * answered with that status. No other field: a field leaking into an error answer fails the document's schema.
 */
export function addErrorSchemas(document: OpenApiDocument): void {
  const schemas = document.components!.schemas!;
  const base = schemas[ErrorBodyDto.name] as SchemaObject;
  const server = schemas[HttpServerErrorBodyDto.name] as SchemaObject;
  base.additionalProperties = false;
  server.additionalProperties = false;
  for (const status of ERROR_STATUS_LIST) {
    const doc = ERROR_STATUSES[status];
    const fixed = {
      statusCode: { ...(base.properties!.statusCode as SchemaObject), enum: [status], example: status },
      error: { ...(base.properties!.error as SchemaObject), enum: [httpReason(status)], example: httpReason(status) },
    };
    const causes = (Object.entries(STATUS_BY_KIND) as [BridgeErrorKind, number][])
      .filter(([, answered]) => answered === status)
      .map(([kind]) => kind);
    const bridge: SchemaObject = {
      type: 'object',
      properties: {
        ...base.properties,
        ...fixed,
        ...(doc.extras.includes('cause') ? { cause: { type: 'string', enum: causes } } : {}),
      },
      required: [...base.required!, ...(doc.extras.includes('cause') ? ['cause'] : [])],
      additionalProperties: false,
    };
    for (const extra of ['fields', 'authFields', 'cause', 'failures'] as const) {
      if (!doc.extras.includes(extra)) delete bridge.properties![extra];
    }
    const fromServer: SchemaObject = {
      type: 'object',
      properties: { ...server.properties, ...fixed },
      required: server.required,
      additionalProperties: false,
    };
    schemas[errorSchemaName(status)] =
      doc.writer === 'bridge'
        ? { ...bridge, title: `${status} ${httpReason(status)}` }
        : doc.writer === 'server'
          ? { ...fromServer, title: `${status} ${httpReason(status)}` }
          : { title: `${status} ${httpReason(status)}`, anyOf: [bridge, fromServer] };
  }
}
