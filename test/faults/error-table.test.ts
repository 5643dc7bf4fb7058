import { ArgumentsHost, Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InteractionsService } from '#interactions';
import { BridgeExceptionFilter } from '../../apps/bridge/src/errors/bridge-exception.filter.js';
import type { BridgeHarness } from '../support/bridge-harness.js';
import {
  ACME_AUTH,
  ALL_TYPES,
  AT_ONCE_MS,
  DEADLINE_MS,
  DEADLINE_SLACK_MS,
  ROUTES,
  acme,
  captureLogs,
  janeRequest,
  startDrillBridge,
} from './drill-support.js';

/**
 * docs/contract.md, "When things go wrong": every row, end to end over real HTTP against the sandbox CRM, with the
 * exact status and body Talkdesk gets.
 */
const BODY_LIMIT_BYTES = 4_096;

let bridge: BridgeHarness;

beforeAll(async () => {
  bridge = await startDrillBridge({ BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) });
});

afterEach(() => bridge.sandbox.faults.clear());

afterAll(async () => {
  await bridge.close();
});

const retrieve = (body: unknown, headers?: Record<string, string>) =>
  bridge.post('/zendesk/interactions', body, headers);

/** Every error body has this shape, and its request id is the x-request-id header's. */
function expectErrorBody(response: Awaited<ReturnType<typeof retrieve>>, statusCode: number, error: string) {
  expect(response.status).toBe(statusCode);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.body).toMatchObject({
    statusCode,
    error,
    message: expect.any(String),
    requestId: expect.any(String),
  });
  expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
}

describe("the contract's error table, end to end", () => {
  it('malformed JSON: 400 with a JSON error body, no CRM call', async () => {
    const response = await retrieve('{"auth": {"subdomain": "acme",', { 'content-type': 'application/json' });
    expectErrorBody(response, 400, 'Bad Request');
    expect(response.body.message).toMatch(/JSON/i);
    expect(bridge.sandbox.faults.requests).toBe(0);
  });

  it('wrong shape: 400 naming each offending field', async () => {
    const response = await retrieve({
      auth: ACME_AUTH,
      meta: { interaction_types: [] },
      data: { contact_emails: 'jane.doe@example.com' },
    });
    expectErrorBody(response, 400, 'Bad Request');
    const fields = response.body.fields.map((field: { field: string }) => field.field);
    expect(fields).toEqual(expect.arrayContaining(['meta.interaction_types', 'data.contact_emails']));
    for (const field of response.body.fields) expect(field.problems.length).toBeGreaterThan(0);
    expect(response.body.message).toContain('meta.interaction_types');

    const missing = await retrieve({ auth: ACME_AUTH, data: {} });
    expectErrorBody(missing, 400, 'Bad Request');
    expect(missing.body.fields.map((field: { field: string }) => field.field)).toEqual(
      expect.arrayContaining(['meta', 'data']),
    );
    expect(bridge.sandbox.faults.requests).toBe(0);
  });

  it('body over BODY_LIMIT_BYTES: 413', async () => {
    const body = { ...janeRequest(), padding: 'x'.repeat(BODY_LIMIT_BYTES) };
    const response = await retrieve(body);
    expectErrorBody(response, 413, 'Payload Too Large');
    expect(bridge.sandbox.faults.requests).toBe(0);
  });

  it('not application/json: 415', async () => {
    const response = await retrieve(JSON.stringify(janeRequest()), { 'content-type': 'text/plain' });
    expectErrorBody(response, 415, 'Unsupported Media Type');
    expect(response.body.message).toContain('text/plain');
  });

  it('unknown connector: 404', async () => {
    const response = await bridge.post('/no-such-crm/interactions', janeRequest());
    expectErrorBody(response, 404, 'Not Found');
    expect(response.body.message).toContain('no-such-crm');
  });

  it('credentials missing: 401 naming them, no CRM call', async () => {
    const response = await retrieve(janeRequest(ALL_TYPES, { subdomain: acme.subdomain }));
    expectErrorBody(response, 401, 'Unauthorized');
    expect(response.body.message).toMatch(/auth\.email and auth\.token/);
    expect(bridge.sandbox.faults.requests).toBe(0);
  });

  it('credentials rejected by the CRM: 401, the credential never echoed', async () => {
    const response = await retrieve(janeRequest(ALL_TYPES, { ...ACME_AUTH, token: 'revoked-token-0123' }));
    expectErrorBody(response, 401, 'Unauthorized');
    expect(response.body.message).toMatch(/rejected the credentials \(HTTP 401\)/);
    expect(response.text).not.toContain('revoked-token-0123');
  });

  it('contact not found: 200 []', async () => {
    const response = await retrieve({ ...janeRequest(), data: { contact_emails: ['nobody@nowhere.example'] } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });

  it('some types fail (timeout, 5xx, 429 after retries), others succeed: 200 with what succeeded', async () => {
    const healthy = (await retrieve(janeRequest())).body as { type: string }[];
    for (const fault of ['500', 'hang', 'rate-limit']) {
      bridge.sandbox.faults.clear();
      bridge.sandbox.faults.add({ path: ROUTES.comments, fault });
      const response = await retrieve(janeRequest());
      expect(response.status, fault).toBe(200);
      expect(response.body).toEqual(healthy.filter((item) => item.type !== 'note'));
      expect(response.servedMs).toBeLessThan(DEADLINE_MS + DEADLINE_SLACK_MS);
    }
  });

  it('every type fails upstream: 502, the body saying which', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: '500' });
    const response = await retrieve(janeRequest());
    expectErrorBody(response, 502, 'Bad Gateway');
    expect(response.body).toMatchObject({
      cause: 'upstream',
      failures: ALL_TYPES.map((type) => ({ type, cause: 'upstream' })),
    });
  });

  it('every type fails on the deadline: 504, within deadline + 100 ms', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'hang' });
    const response = await retrieve(janeRequest());
    expectErrorBody(response, 504, 'Gateway Timeout');
    expect(response.body).toMatchObject({
      cause: 'deadline',
      failures: ALL_TYPES.map((type) => ({ type, cause: 'deadline' })),
    });
    expect(response.servedMs).toBeLessThan(DEADLINE_MS + DEADLINE_SLACK_MS);
  });

  it('every type rate limited: 503 with Retry-After', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'rate-limit; retry-after=20' });
    const response = await retrieve(janeRequest());
    expectErrorBody(response, 503, 'Service Unavailable');
    expect(response.headers.get('retry-after')).toBe('20');
    expect(response.body).toMatchObject({
      cause: 'rate_limited',
      failures: ALL_TYPES.map((type) => ({ type, cause: 'rate_limited' })),
    });
    expect(response.servedMs).toBeLessThan(AT_ONCE_MS);
  });

  it('anything unexpected: 500 with a request id and no internals; the log line carries the same id', async () => {
    const logs = captureLogs();
    const service = bridge.app.get(InteractionsService);
    const crash = vi
      .spyOn(service, 'retrieve')
      .mockRejectedValueOnce(new TypeError("Cannot read properties of undefined (reading 'secretInternalField')"));
    try {
      const response = await retrieve(janeRequest(), { 'x-request-id': 'talkdesk-trace-42' });
      expectErrorBody(response, 500, 'Internal Server Error');
      expect(response.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'unexpected error; quote request id talkdesk-trace-42 when reporting it',
        requestId: 'talkdesk-trace-42',
      });
      expect(response.text).not.toMatch(/TypeError|secretInternalField|\.ts:|at /);
      const line = logs.lines().find((text) => text.includes('secretInternalField'));
      expect(line).toMatch(/^\[talkdesk-trace-42\] unexpected error: TypeError: Cannot read properties/);
    } finally {
      crash.mockRestore();
      logs.restore();
    }
  });
});

describe('BridgeExceptionFilter with a plain Error', () => {
  it('answers 500 with the request id only, and logs the stack under that id', () => {
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => {});
    const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
    const reply = {
      header: (name: string, value: string) => ((sent.headers[name] = value), reply),
      status: (code: number) => ((sent.status = code), reply),
      type: (value: string) => ((sent.headers['content-type'] = value), reply),
      send: (body: unknown) => ((sent.body = body), reply),
    };
    const host = {
      switchToHttp: () => ({ getRequest: () => ({ id: 'req-7' }), getResponse: () => reply }),
    } as unknown as ArgumentsHost;
    try {
      new BridgeExceptionFilter().catch(new Error('db password is hunter2'), host);
      expect(sent.status).toBe(500);
      expect(sent.body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'unexpected error; quote request id req-7 when reporting it',
        requestId: 'req-7',
      });
      expect(JSON.stringify(sent.body)).not.toContain('hunter2');
      expect(error).toHaveBeenCalledWith(
        expect.stringMatching(/^\[req-7\] unexpected error: Error: db password is hunter2/),
      );
    } finally {
      error.mockRestore();
    }
  });
});
