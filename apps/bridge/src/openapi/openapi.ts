import { applyDecorators } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { ApiResponse, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConnectorRegistry, type RegisteredConnector } from '#interactions';
import { ErrorBodyDto } from './response.dto.js';

// @nestjs/swagger does not export its schema types; these are the ones its document uses.
type SchemaOrReference = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];
type SchemaObject = Exclude<SchemaOrReference, { $ref: string }>;
type ReferenceObject = Extract<SchemaOrReference, { $ref: string }>;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The body is not of the documented shape; `fields` names each offending field.',
  401: 'Credentials missing, malformed or rejected by the CRM (`authFields` lists the `auth` fields the connector needs); the caller secret missing (BRIDGE_CALLER_SECRET); or this tenant and address locked out after repeated CRM rejections (see Retry-After).',
  404: 'Unknown connector.',
  413: 'The body is larger than BODY_LIMIT_BYTES.',
  415: 'The body is not application/json.',
  429: 'This client address or tenant is over its rate limit; no CRM call was made. See Retry-After.',
  500: 'A bug: the answer carries only the request id that finds the log line.',
  502: 'Every asked type failed at the CRM (`cause`, `failures`).',
  503: 'Nothing could be looked up: the CRM is rate limiting the bridge, the CRM budget left nothing for this pop (the account is spent, but for what the bridge leaves its other integrations), or the circuit breaker is open; `cause` says which. See Retry-After.',
  504: 'The deadline passed before the CRM answered.',
};

/** The error body, documented for each of these statuses. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorBodyDto })),
  );
}

/**
 * The OpenAPI document: what the controllers and DTOs declare, completed from the connectors registered in this
 * process (their names, their `auth` fields as each @Connector declares them, the interaction types they
 * serve) and from their example requests (examples/<connector>-request.json). A new connector appears in it
 * without any edit here.
 */
export function createOpenApiDocument(app: INestApplication, examplesDir = findExamplesDir()): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Interaction bridge')
      .setDescription("Talkdesk's Interaction Retriever and authorization validator for CRMs")
      .setVersion('1.0')
      .build(),
  );
  const connectors = app
    .get(ConnectorRegistry)
    .list()
    .sort((a, b) => a.name.localeCompare(b.name));
  describeConnectors(document, connectors, examplesDir);
  return document;
}

export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
}

function describeConnectors(document: OpenAPIObject, connectors: RegisteredConnector[], examplesDir?: string): void {
  const schemas = ((document.components ??= {}).schemas ??= {});
  const types = [...new Set(connectors.flatMap((connector) => [...connector.providers.keys()]))].sort();
  (schemas.InteractionItemDto as SchemaObject).properties!.type = {
    ...((schemas.InteractionItemDto as SchemaObject).properties!.type as SchemaObject),
    enum: types,
  };
  // An item carries these fields and no other: a field leaking into an answer fails the document's own schema.
  (schemas.InteractionItemDto as SchemaObject).additionalProperties = false;

  const authRefs: ReferenceObject[] = connectors.map((connector) => {
    const name = `${pascal(connector.name)}Auth`;
    schemas[name] = authSchema(connector);
    return { $ref: `#/components/schemas/${name}` };
  });
  for (const dto of ['AuthValidationRequestDto', 'InteractionRequestDto']) {
    const properties = (schemas[dto] as SchemaObject | undefined)?.properties;
    if (properties?.auth) {
      properties.auth = {
        description: "The CRM credentials, as configured in Talkdesk: the fields of the path's connector.",
        anyOf: authRefs,
      };
    }
  }

  const examples = Object.fromEntries(
    connectors.flatMap((connector) => {
      const example = readExample(examplesDir, connector.name);
      return example ? [[connector.name, example] as const] : [];
    }),
  );
  for (const [path, item] of Object.entries(document.paths)) {
    const operation = item.post;
    if (!operation) continue;
    for (const parameter of operation.parameters ?? []) {
      if ('name' in parameter && parameter.name === 'connector') {
        parameter.schema = { type: 'string', enum: connectors.map((connector) => connector.name) };
      }
    }
    const content =
      operation.requestBody && 'content' in operation.requestBody
        ? operation.requestBody.content['application/json']
        : undefined;
    if (!content) continue;
    const authOnly = path.endsWith('/auth/validate');
    content.examples = Object.fromEntries(
      Object.entries(examples).map(([name, value]) => [
        name,
        {
          summary: `${name} (examples/${name}-request.json, the sandbox's demo account)`,
          value: authOnly ? { auth: (value as { auth?: unknown }).auth } : value,
        },
      ]),
    );
  }
}

/** One property per declared field; a declaration such as `subdomain (or account)` names the field first. */
function authSchema(connector: RegisteredConnector): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  for (const declared of connector.authFields) {
    const field = /^[A-Za-z_][\w-]*/.exec(declared)?.[0];
    if (field) properties[field] = { type: 'string', ...(declared === field ? {} : { description: declared }) };
  }
  return {
    type: 'object',
    title: `${connector.name} auth`,
    description:
      `The \`auth\` fields of the ${connector.name} connector: ${connector.authFields.join(', ')}. ` +
      'Missing or malformed fields are answered 401 before any CRM call, and a 401 lists these fields in `authFields`.',
    properties,
    additionalProperties: { type: 'string' },
  };
}

function readExample(dir: string | undefined, connector: string): unknown {
  const file = dir && join(dir, `${connector}-request.json`);
  return file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** The repository's (or the image's) examples/ folder: beside the package.json above this file. */
function findExamplesDir(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')))
      return existsSync(join(dir, 'examples')) ? join(dir, 'examples') : undefined;
  }
  return undefined;
}

function pascal(name: string): string {
  return name.replace(/(^|[-_\s]+)(\w)/g, (_, _separator: string, letter: string) => letter.toUpperCase());
}
