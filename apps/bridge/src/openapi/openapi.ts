import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authFieldName, ConnectorRegistry, type RegisteredConnector } from '#interactions';
import { CALLER_SECRET_AUTH_FIELD, CALLER_SECRET_HEADER } from '../protection/caller-secret.js';
import { PROTECTION_SETTINGS, type ProtectionSettings } from '../protection/protection-config.js';
import type { OpenApiDocument, ReferenceObject, SchemaObject } from './openapi-types.js';
import { addErrorSchemas, CALLER_SECRET_SCHEME } from './responses.js';

/** Talkdesk's routes, as the document names them: the ones the caller secret guards. */
const TALKDESK_PATHS = ['/{connector}/interactions', '/{connector}/auth/validate'];

/**
 * The OpenAPI document: what the controllers and DTOs declare (responses.ts and health-responses.ts for the
 * answers, their headers and real examples), completed from the connectors registered in this process (their names,
 * their `auth` fields as each @Connector declares them, the interaction types they serve), from their example
 * requests (examples/<connector>-request.json) and from the caller secret's setting. A new connector appears in it
 * without any edit here.
 */
export function createOpenApiDocument(app: INestApplication, examplesDir = findExamplesDir()): OpenApiDocument {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Interaction bridge')
      .setDescription("Talkdesk's Interaction Retriever and authorization validator for CRMs")
      .setVersion('1.0')
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: CALLER_SECRET_HEADER,
          description:
            "The caller secret (BRIDGE_CALLER_SECRET): when it is set, Talkdesk's routes ask for it and list this " +
            `scheme. Talkdesk sends it in the body instead, as \`auth.${CALLER_SECRET_AUTH_FIELD}\`; the header is ` +
            'for callers that can set one (a gateway, an operator, "Authorize" on this page).',
        },
        CALLER_SECRET_SCHEME,
      )
      .build(),
  );
  const registered = app.get(ConnectorRegistry).list();
  const connectors = [...registered].sort((a, b) => a.name.localeCompare(b.name));
  describeConnectors(document, connectors, examplesDir);
  nameConnectorsInProbeExamples(document, registered);
  addErrorSchemas(document);
  if (app.get<ProtectionSettings>(PROTECTION_SETTINGS).callerSecrets.length > 0) {
    for (const path of TALKDESK_PATHS) {
      const operation = document.paths[path]?.post;
      if (operation) operation.security = [{ [CALLER_SECRET_SCHEME]: [] }];
    }
  }
  return document;
}

/**
 * /docs (the UI) and /docs/openapi.json (the document), open without the caller secret (protection/edge-protection.ts):
 * the UI's "Authorize" asks for it and adds the header to the requests it tries.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json', raw: ['json'] });
}

function describeConnectors(document: OpenApiDocument, connectors: RegisteredConnector[], examplesDir?: string): void {
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

/** The readiness examples list the connectors registered here, in the order the real answer has them. */
function nameConnectorsInProbeExamples(document: OpenApiDocument, connectors: RegisteredConnector[]): void {
  type ProbeAnswer = Record<'info' | 'error' | 'details', { connectors?: { names?: string[] } }>;
  const names = connectors.map((connector) => connector.name);
  for (const response of Object.values(document.paths['/health/ready']?.get?.responses ?? {})) {
    const examples = response && 'content' in response ? response.content?.['application/json']?.examples : undefined;
    for (const example of Object.values(examples ?? {})) {
      if (!('value' in example)) continue;
      // A copy: the decorators' example is shared by every document made in this process.
      const answer = structuredClone(example.value) as ProbeAnswer;
      for (const group of [answer.info, answer.error, answer.details]) {
        if (group.connectors?.names) group.connectors.names = names;
      }
      example.value = answer;
    }
  }
}

/** One property per declared field; a declaration such as `subdomain (or account)` names the field first. */
function authSchema(connector: RegisteredConnector): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  for (const declared of connector.authFields) {
    const field = authFieldName(declared);
    if (field) properties[field] = { type: 'string', ...(declared === field ? {} : { description: declared }) };
  }
  for (const { name, help } of connector.derivedAuthFields) {
    properties[name] = {
      type: 'string',
      description: `Optional: what the authorization validator answered, stored by Talkdesk and sent back. ${help}`,
    };
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
