import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '#interactions';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * The OpenAPI document at /docs/openapi.json describes what the bridge really answers: real answers from the
 * sandbox, for every connector's example request, validate against the document's own schemas.
 */
let bridge: BridgeHarness;
let document: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the served document, read field by field
let connectors: { name: string; authFields: string[]; types: string[] }[];
let ajv: Ajv;

beforeAll(async () => {
  bridge = await startBridge();
  document = (await bridge.get('/docs/openapi.json')).body;
  connectors = bridge.app
    .get(ConnectorRegistry)
    .list()
    .map(({ name, authFields, providers }) => ({ name, authFields, types: [...providers.keys()] }));
  // OpenAPI 3.0 schemas are JSON Schema with a few keywords of their own; $refs resolve against the document itself.
  ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ components: document.components }, 'openapi.json');
});

afterAll(async () => {
  await bridge?.close();
});

function responseValidator(path: string, status: number): ValidateFunction {
  const response = document.paths[path].post.responses[String(status)];
  const schema = response.content['application/json'].schema;
  return ajv.compile(rewriteRefs(schema) as object);
}

/** `#/components/...` refers to the document, which ajv knows as `openapi.json`. */
function rewriteRefs(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/'));
}

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
      expect(validate(answer.body), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect(new Set(answer.body.map((item: { type: string }) => item.type)).size, name).toBeGreaterThan(1);
    }
  });

  it('describes the error body of real 400, 401, 404 and 502 answers', async () => {
    const zendesk = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/zendesk-request.json'), 'utf8'));
    const answers = [
      [400, await bridge.post('/zendesk/interactions', { ...zendesk, meta: { interaction_types: 'case' } })],
      [401, await bridge.post('/zendesk/interactions', { ...zendesk, auth: { subdomain: 'acme' } })],
      [404, await bridge.post('/nosuchcrm/interactions', zendesk)],
    ] as const;
    bridge.sandbox.faults.add({ path: '/zendesk/acme/api/v2/', fault: 'status; code=422' });
    const failed = await bridge.post('/zendesk/interactions', zendesk);
    bridge.sandbox.faults.clear();
    for (const [status, answer] of [...answers, [502, failed] as const]) {
      expect(answer.status).toBe(status);
      const validate = responseValidator('/{connector}/interactions', status);
      expect(validate(answer.body), `${status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    expect(failed.body.cause).toBe('upstream');
    expect(
      responseValidator(
        '/{connector}/interactions',
        502,
      )({ statusCode: 502, error: 'Bad Gateway', message: 'x', requestId: 'r', cause: 'teapot' }),
    ).toBe(false);
  });
});
