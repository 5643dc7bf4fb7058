import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { bridgeHeaders } from './responses.js';
import type { SchemaObject } from './openapi-types.js';

/**
 * The probes' answers as @nestjs/terminus writes them, for the checks the bridge has (health.controller.ts):
 * `process` on /health/live, `connectors` and `lifecycle` on /health/ready. Each check is listed under `info` when
 * up, under `error` when down, and under `details` either way.
 */
function check(statuses: string[], properties: Record<string, SchemaObject>, required: string[] = []): SchemaObject {
  return {
    type: 'object',
    properties: { status: { type: 'string', enum: statuses }, ...properties },
    required: ['status', ...required],
    additionalProperties: false,
  };
}

const PROCESS = check(
  ['up'],
  { uptimeSeconds: { type: 'integer', minimum: 0, description: 'Seconds since the process started.' } },
  ['uptimeSeconds'],
);
const CONNECTORS = check(['up', 'down'], {
  names: { type: 'array', items: { type: 'string' }, description: 'The registered connectors (when up).' },
  reason: { type: 'string', description: 'Why it is down: no connector registered.' },
});
const LIFECYCLE = check(['up', 'down'], {
  reason: { type: 'string', description: 'Why it is down: shutting down (SIGTERM received).' },
});

function healthResult(statuses: string[], checks: Record<string, SchemaObject>): SchemaObject {
  const group: SchemaObject = { type: 'object', properties: checks, additionalProperties: false };
  return {
    type: 'object',
    properties: { status: { type: 'string', enum: statuses }, info: group, error: group, details: group },
    required: ['status', 'info', 'error', 'details'],
    additionalProperties: false,
  };
}

const uptime = { status: 'up', uptimeSeconds: 3600 };
/** The names are the registered connectors', filled in when the document is made (openapi.ts). */
const connectorsUp = { status: 'up', names: ['zendesk'] };

export function ApiLivenessResponses(): MethodDecorator {
  return applyDecorators(
    ApiResponse({
      status: 200,
      description: 'The process serves requests. It has no other check: a CRM being down never fails it.',
      headers: bridgeHeaders(false),
      content: {
        'application/json': {
          schema: healthResult(['ok'], { process: PROCESS }),
          examples: {
            up: {
              summary: 'Alive',
              value: { status: 'ok', info: { process: uptime }, error: {}, details: { process: uptime } },
            },
          },
        },
      },
    }),
  );
}

export function ApiReadinessResponses(): MethodDecorator {
  const ready = { connectors: CONNECTORS, lifecycle: LIFECYCLE };
  const down = { status: 'down', reason: 'shutting down' };
  return applyDecorators(
    ApiResponse({
      status: 200,
      description: 'Connectors are registered and the process is not shutting down. No CRM is asked.',
      headers: bridgeHeaders(false),
      content: {
        'application/json': {
          schema: healthResult(['ok'], ready),
          examples: {
            ready: {
              summary: 'Ready',
              value: {
                status: 'ok',
                info: { connectors: connectorsUp, lifecycle: { status: 'up' } },
                error: {},
                details: { connectors: connectorsUp, lifecycle: { status: 'up' } },
              },
            },
          },
        },
      },
    }),
    ApiResponse({
      status: 503,
      description: 'Not ready: shutting down (SIGTERM received, the drain has begun), or no connector registered.',
      headers: bridgeHeaders(false),
      content: {
        'application/json': {
          schema: healthResult(['error'], ready),
          examples: {
            shutting_down: {
              summary: 'Shutting down',
              value: {
                status: 'error',
                info: { connectors: connectorsUp },
                error: { lifecycle: down },
                details: { connectors: connectorsUp, lifecycle: down },
              },
            },
          },
        },
      },
    }),
  );
}
