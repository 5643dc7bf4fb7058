import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '#interactions';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';
import { OpenApiChecker } from '../support/openapi-checker.js';

/**
 * The OpenAPI document at /docs/openapi.json describes what the bridge really answers: its examples validate
 * against the schemas they illustrate, and real answers from the sandbox, for every connector's example request,
 * validate against the document's own schemas. (openapi-answers.e2e.spec.ts sends a request for every documented
 * status and example.)
 */
let bridge: BridgeHarness;
let document: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the served document, read field by field
let connectors: { name: string; authFields: string[]; types: string[] }[];
let checker: OpenApiChecker;

beforeAll(async () => {
  bridge = await startBridge();
  document = (await bridge.get('/docs/openapi.json')).body;
  connectors = bridge.app
    .get(ConnectorRegistry)
    .list()
    .map(({ name, authFields, providers }) => ({ name, authFields, types: [...providers.keys()] }));
  checker = new OpenApiChecker(document);
});

afterAll(async () => {
  await bridge?.close();
});

const responseValidator = (path: string, status: number) => checker.bodyValidator(path, 'post', status);

describe('the OpenAPI document', () => {
  it('names every registered connector, its auth fields and its interaction types', () => {
    const parameter = document.paths['/{connector}/interactions'].post.parameters.find(
      (p: { name: string }) => p.name === 'connector',
    );
    expect(parameter.schema.enum).toEqual(connectors.map(({ name }) => name).sort());
    const schemas = document.components.schemas;
    for (const { name, authFields } of connectors) {
      const auth = Object.values(schemas).find((schema: any) => schema.title === `${name} auth`) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(auth, name).toBeDefined();
      for (const field of authFields) expect(Object.keys(auth.properties)).toContain(/^[\w-]+/.exec(field)![0]);
      expect(auth.description).toContain(authFields.join(', '));
    }
    expect(schemas.InteractionRequestDto.properties.auth.anyOf).toHaveLength(connectors.length);
    expect(schemas.InteractionItemDto.properties.type.enum).toEqual(
      [...new Set(connectors.flatMap(({ types }) => types))].sort(),
    );
    expect(schemas.InteractionItemDto.properties.priority.enum ?? schemas.TalkdeskPriority.enum).toEqual([
      'none',
      'low',
      'normal',
      'high',
      'urgent',
    ]);
    expect(schemas.InteractionItemDto.required).toEqual(expect.arrayContaining(['id', 'subject', 'date', 'type']));
  });

  it('rejects an item the bridge would never send', () => {
    const validate = responseValidator('/{connector}/interactions', 200);
    const item = { id: '1', subject: 'Hello', date: '2026-10-02 14:05:00 UTC', type: 'case' };
    expect(validate([item])).toBe(true);
    expect(validate([{ ...item, priority: 'medium' }])).toBe(false);
    expect(validate([{ ...item, date: '2026-10-02T14:05:00Z' }])).toBe(false);
    expect(validate([{ ...item, type: 'meeting' }])).toBe(false);
    expect(validate([{ ...item, requester_email: 'jane@example.com' }])).toBe(false);
    expect(validate([{ subject: 'no id', date: item.date, type: 'case' }])).toBe(false);
  });

  it("has each connector's example request, and the sandbox's answer to it matches the 200 schema", async () => {
    const examples = document.paths['/{connector}/interactions'].post.requestBody.content['application/json'].examples;
    expect(Object.keys(examples).sort()).toEqual(connectors.map(({ name }) => name).sort());
    const validate = responseValidator('/{connector}/interactions', 200);
    for (const { name } of connectors) {
      const example = examples[name].value;
      expect(example).toEqual(
        JSON.parse(readFileSync(join(import.meta.dirname, `../../examples/${name}-request.json`), 'utf8')),
      );
      const answer = await bridge.post(`/${name}/interactions`, example);
      expect(answer.status, name).toBe(200);
      expect(answer.body.length, name).toBeGreaterThan(0);
      expect(validate(answer.body), `${name}: ${checker.ajv.errorsText(validate.errors)}`).toBe(true);
      expect(new Set(answer.body.map((item: { type: string }) => item.type)).size, name).toBeGreaterThan(1);
    }
  });

  it('has every example valid against the schema it illustrates', () => {
    const examples = checker.examples();
    // Request bodies, each error status of both routes, the probes, the DTOs' properties: far more than a handful.
    expect(examples.length).toBeGreaterThan(60);
    const invalid = examples.flatMap(({ where, schema, value }) => {
      const validate = checker.compile(schema);
      return validate(value) ? [] : [`${where}: ${checker.ajv.errorsText(validate.errors)}`];
    });
    expect(invalid).toEqual([]);
  });

  it("gives each error status of Talkdesk's routes its own schema, examples and headers", () => {
    const statuses = ['400', '401', '404', '405', '408', '413', '415', '429', '500', '502', '503', '504'];
    for (const path of ['/{connector}/interactions', '/{connector}/auth/validate']) {
      const responses = document.paths[path].post.responses;
      expect(Object.keys(responses).sort()).toEqual(['200', ...statuses]);
      for (const status of statuses) {
        const content = responses[status].content['application/json'];
        expect(content.schema.$ref, `${path} ${status}`).toBe(`#/components/schemas/ErrorBody${status}`);
        const examples = Object.values(content.examples) as { value: { statusCode: number } }[];
        expect(examples.length, `${path} ${status}`).toBeGreaterThan(0);
        for (const { value } of examples) expect(value.statusCode).toBe(Number(status));
      }
      expect(Object.keys(responses['429'].headers)).toEqual(expect.arrayContaining(['Retry-After', 'x-request-id']));
      expect(responses['429'].headers['Retry-After'].required).toBe(true);
      expect(responses['405'].headers.Allow).toMatchObject({ required: true, schema: { enum: ['POST'] } });
      expect(responses['408'].headers ?? {}).not.toHaveProperty('x-request-id');
      expect(responses['200'].headers['Server-Timing'].required).toBe(true);
      // No caller secret is set here: the routes ask for none, but the scheme is described.
      expect(document.paths[path].post.security).toBeUndefined();
    }
    expect(document.components.securitySchemes.callerSecret).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'x-bridge-caller-secret',
    });
  });

  it('narrows the error body for each status: its code, its causes, its fields, nothing else', () => {
    const body = { statusCode: 502, error: 'Bad Gateway', message: 'x', requestId: 'r', cause: 'upstream' };
    const bad502 = responseValidator('/{connector}/interactions', 502);
    expect(bad502(body)).toBe(true);
    expect(bad502({ ...body, cause: 'teapot' })).toBe(false);
    expect(bad502({ ...body, cause: 'deadline' })).toBe(false); // a deadline is a 504
    expect(bad502({ ...body, statusCode: 400 })).toBe(false);
    expect(bad502({ ...body, fields: [] })).toBe(false);
    expect(bad502({ ...body, stack: 'at ...' })).toBe(false);
    const { cause: _cause, ...withoutCause } = body;
    expect(bad502(withoutCause)).toBe(false);
    const notFound = responseValidator('/{connector}/interactions', 404);
    expect(notFound({ statusCode: 404, error: 'Not Found', message: 'x', requestId: 'r' })).toBe(true);
    expect(notFound({ statusCode: 404, error: 'Not Found', message: 'x', requestId: 'r', cause: 'upstream' })).toBe(
      false,
    );
    // 408 comes from the HTTP server: no request id.
    expect(
      responseValidator('/{connector}/interactions', 408)({ statusCode: 408, error: 'Request Timeout', message: 'x' }),
    ).toBe(true);
  });

  it('describes the probes with the checks the bridge has, and no other', () => {
    const live = document.paths['/health/live'].get.responses;
    const ready = document.paths['/health/ready'].get.responses;
    expect(Object.keys(live)).toEqual(['200']);
    expect(Object.keys(ready).sort()).toEqual(['200', '503']);
    const text = JSON.stringify([live, ready]);
    for (const stock of ['database', 'redis', 'responseTime']) expect(text).not.toContain(stock);
    const example = ready['200'].content['application/json'].examples.ready.value;
    expect(example.details.connectors.names).toEqual(connectors.map(({ name }) => name));
    expect(Object.keys(example.details).sort()).toEqual(['connectors', 'lifecycle']);
  });

  it("describes the validator's 200 body, and the integration document's route", async () => {
    const validate = responseValidator('/{connector}/auth/validate', 200);
    for (const { name } of connectors) {
      const example = JSON.parse(
        readFileSync(join(import.meta.dirname, `../../examples/${name}-request.json`), 'utf8'),
      );
      const answer = await bridge.post(`/${name}/auth/validate`, { auth: example.auth });
      expect(answer.status, name).toBe(200);
      expect(validate(answer.body), `${name}: ${checker.ajv.errorsText(validate.errors)}`).toBe(true);
    }
    expect(validate({ hubspot_portal_id: 6106771 })).toBe(false);
    expect(document.paths['/{connector}/integration'].get.responses['200']).toBeDefined();
  });
});
