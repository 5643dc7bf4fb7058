import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type RunningSandbox } from '#sandbox';
import { loadBridgeConfig, SHARING_OFF } from '../../apps/bridge/src/bridge-config.js';
import { createBridgeApp } from '../../apps/bridge/src/create-bridge-app.js';
import { textLoggerFor } from '../../apps/bridge/src/telemetry/logging.js';
import { startTracing, type Tracing } from '../../apps/bridge/src/telemetry/tracing.js';

/**
 * Request-level telemetry as production runs it (LOG_FORMAT=json, pino): one access line per request, the request
 * id on every line logged while it is served, and one span per request and per CRM call, checked with an in-memory
 * exporter, joined to the caller's trace by its W3C traceparent. And the text log's access line, one line.
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

async function post(
  path: string,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
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

  it("join the caller's trace (W3C traceparent and tracestate), and pass nothing on to the CRM", async () => {
    exporter.reset();
    const crmHeaders: Record<string, unknown>[] = [];
    const record = (request: IncomingMessage) => void crmHeaders.push(request.headers);
    sandbox.app.server.on('request', record);
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    try {
      const answer = await post('/zendesk/interactions', zendeskExample, 'req-child', {
        traceparent: `00-${callerTrace}-${callerSpan}-01`,
        tracestate: 'talkdesk=t61rcWkgMzE',
      });
      expect(answer.status).toBe(200);
    } finally {
      sandbox.app.server.off('request', record);
    }
    await settle();

    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.kind === SpanKind.SERVER)!;
    expect(request.spanContext().traceId).toBe(callerTrace);
    expect(request.parentSpanContext?.spanId).toBe(callerSpan);
    expect(request.parentSpanContext?.isRemote).toBe(true);
    expect(request.spanContext().traceState?.get('talkdesk')).toBe('t61rcWkgMzE');
    const calls = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.spanContext().traceId).toBe(callerTrace);

    expect(crmHeaders.length).toBe(calls.length);
    for (const headers of crmHeaders) {
      expect(headers).not.toHaveProperty('traceparent');
      expect(headers).not.toHaveProperty('tracestate');
    }
    expect(JSON.stringify(crmHeaders)).not.toContain(callerTrace);
  });

  it('start a trace of their own when the traceparent is malformed', async () => {
    for (const traceparent of [
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7', // no flags
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01', // the invalid all-zero trace id
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', // version ff is forbidden
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', // upper case
      'garbage',
    ]) {
      exporter.reset();
      expect(
        (await post('/zendesk/auth/validate', { auth: zendeskExample.auth }, 'req-bad-parent', { traceparent })).status,
      ).toBeLessThan(300); // accepted
      await settle();
      const request = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER)!;
      expect(request.parentSpanContext, traceparent).toBeUndefined();
      expect(request.spanContext().traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(request.spanContext().traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    }
  });

  it('are off unless OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
    expect(startTracing({})).toBeUndefined();
  });
});

describe('text logs (LOG_FORMAT=text, for people at a terminal)', () => {
  // Last in this file: Nest's static Logger then writes through this app's console logger.
  it('print one line per request: request id, method, route, connector, status, duration, CRM calls, cache hits', async () => {
    const environment = { CRM_SANDBOX: 'off', CRM_SANDBOX_URL: sandbox.url, LOG_FORMAT: 'text', ...SHARING_OFF };
    const config = loadBridgeConfig(environment);
    const printed: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const textApp = await createBridgeApp({ config, environment, logger: textLoggerFor(config.env) });
    try {
      await textApp.listen(0, '127.0.0.1');
      const textUrl = (await textApp.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
      const answer = await fetch(`${textUrl}/zendesk/interactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-text' },
        body: JSON.stringify(zendeskExample),
      });
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
      await settle();
    } finally {
      stdout.mockRestore();
      await textApp.close();
    }
    const access = printed.map(stripVTControlCharacters).filter((text) => text.includes('[Access]'));
    expect(access).toHaveLength(1);
    expect(access[0]!.endsWith('\n')).toBe(true);
    expect(access[0]!.trimEnd()).not.toContain('\n');
    expect(access[0]).toMatch(
      /LOG \[Access\] \[req-text\] POST \/:connector\/interactions connector=zendesk status=200 durationMs=\d+(\.\d)? crmCalls=\d+ crmRetries=0 cacheHits=0\n$/,
    );
    expect(Number(/crmCalls=(\d+)/.exec(access[0]!)![1])).toBeGreaterThan(1);
  });
});
