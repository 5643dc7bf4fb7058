import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '#sandbox';
import { loadBridgeConfig, SHARING_OFF } from '../../apps/bridge/src/bridge-config.js';
import { createBridgeApp } from '../../apps/bridge/src/create-bridge-app.js';
import { startTracing, type Tracing } from '../../apps/bridge/src/telemetry/tracing.js';

/**
 * Request-level telemetry as production runs it (LOG_FORMAT=json, pino): one access line per request, the request
 * id on every line logged while it is served, and one span per request and per CRM call, checked with an in-memory
 * exporter.
 */
/** Whichever ticket's comments are read first: the seeded ticket ids are not the test's business. */
const TICKET_COMMENTS = /^\/zendesk\/acme\/api\/v2\/tickets\/\d+\/comments/;
const zendeskExample = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../examples/zendesk-request.json'), 'utf8'),
);
const lines: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed log lines
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let sandbox: RunningSandbox;
let app: NestFastifyApplication;
let url: string;

beforeAll(async () => {
  tracing = startTracing({}, exporter)!;
  sandbox = await startSandbox({ port: 0 });
  const environment = {
    CRM_SANDBOX: 'off',
    CRM_SANDBOX_URL: sandbox.url,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
    CRM_BACKOFF_BASE_MS: '1',
    ...SHARING_OFF,
  };
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  app = await createBridgeApp({ config: loadBridgeConfig(environment), environment, logDestination: destination });
  await app.listen(0, '127.0.0.1');
  url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
  await sandbox?.close();
  await tracing?.shutdown();
});

async function post(path: string, body: unknown, requestId: string): Promise<Response> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('logs', () => {
  it('write one access line per request, and the request id on every line of the request', async () => {
    // One ticket's comments fail once and are retried: a warn-free retry logged at debug level, inside the request.
    sandbox.faults.add({ path: TICKET_COMMENTS, fault: 'status; code=503', times: 1 });
    const [first, second] = await Promise.all([
      post('/zendesk/interactions', zendeskExample, 'req-one'),
      post('/zendesk/interactions', zendeskExample, 'req-two'),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await settle();

    // Every line that names a request in its text (as the code always did by hand) carries that request's id.
    const named = lines.filter((line) => /\[req-(one|two)\]/.test(line.msg));
    expect(named.length).toBeGreaterThan(10);
    for (const line of named) expect(line.requestId, line.msg).toBe(/\[(req-(?:one|two))\]/.exec(line.msg)![1]);
    expect(named.some((line) => line.msg.includes('retrying'))).toBe(true);

    const access = lines.filter((line) => line.context === 'Access' && /^req-/.test(line.requestId));
    expect(access).toHaveLength(2);
    const exchanges = (id: string) => named.filter((line) => line.msg.startsWith(`[${id}] GET`)).length;
    for (const line of access) {
      expect(line).toMatchObject({
        level: 'info',
        msg: 'request',
        method: 'POST',
        route: '/:connector/interactions',
        connector: 'zendesk',
        status: 200,
        cacheHits: 0,
      });
      expect(line.durationMs).toBeGreaterThan(0);
      expect(line.crmCalls).toBe(exchanges(line.requestId));
    }
    expect(access.map((line) => line.crmRetries).sort()).toEqual([0, 1]);
    const basic = Buffer.from(`${zendeskExample.auth.email}/token:${zendeskExample.auth.token}`).toString('base64');
    for (const secret of [zendeskExample.auth.token, basic]) expect(JSON.stringify(lines)).not.toContain(secret);
  });

  it('log an unknown connector as "unknown", never the caller\'s path segment', async () => {
    await post('/%3Cscript%3E/interactions', zendeskExample, 'req-unknown');
    await settle();
    const line = lines.find((entry) => entry.context === 'Access' && entry.requestId === 'req-unknown');
    expect(line).toMatchObject({ status: 404, connector: 'unknown', route: '/:connector/interactions', crmCalls: 0 });
    expect(JSON.stringify(lines)).not.toContain('script');
  });
});

describe('traces', () => {
  it('have a span per Talkdesk request and one per CRM call under it, without contact data or credentials', async () => {
    exporter.reset();
    sandbox.faults.add({ path: TICKET_COMMENTS, fault: 'status; code=500', times: 1 });
    expect((await post('/zendesk/interactions', zendeskExample, 'req-traced')).status).toBe(200);
    await settle();

    const spans = exporter.getFinishedSpans();
    const requests = spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.name).toBe('POST /:connector/interactions');
    expect(request.attributes).toMatchObject({
      'http.route': '/:connector/interactions',
      'bridge.connector': 'zendesk',
      'bridge.request_id': 'req-traced',
      'http.response.status_code': 200,
    });

    const calls = spans.filter((span) => span.kind === SpanKind.CLIENT);
    const access = lines.find((line) => line.context === 'Access' && line.requestId === 'req-traced')!;
    expect(calls.length + access.crmRetries).toBe(access.crmCalls);
    expect(request.attributes['bridge.crm_calls']).toBe(access.crmCalls);
    for (const call of calls) {
      expect(call.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(call.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(call.attributes).toMatchObject({
        'bridge.connector': 'zendesk',
        'bridge.crm_call.type': 'read',
        'bridge.crm_call.outcome': 'ok',
        'http.request.method': 'GET',
      });
    }
    expect(calls.map((call) => call.attributes['bridge.crm_call.retries']).sort()).toEqual([
      ...Array(calls.length - 1).fill(0),
      1,
    ]);

    const everything = JSON.stringify(spans.map((span: ReadableSpan) => [span.name, span.attributes, span.events]));
    const { auth, data } = zendeskExample;
    for (const secret of [auth.token, auth.email, ...data.contact_emails, ...data.contact_phones, data.contact_name]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('mark a failed CRM call and its request', async () => {
    exporter.reset();
    sandbox.faults.add({ path: '/zendesk/acme/api/v2/', fault: 'status; code=422' });
    expect((await post('/zendesk/interactions', zendeskExample, 'req-failing')).status).toBe(502);
    sandbox.faults.clear();
    await settle();
    const spans = exporter.getFinishedSpans();
    const failed = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(failed.length).toBeGreaterThan(0);
    for (const span of failed) {
      expect(span.attributes['bridge.crm_call.outcome']).toBe('upstream');
      expect(span.status.code).toBe(2); // SpanStatusCode.ERROR
    }
    expect(spans.find((span) => span.kind === SpanKind.SERVER)!.status.code).toBe(2);
  });

  it('are off unless OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
    expect(startTracing({})).toBeUndefined();
  });
});
