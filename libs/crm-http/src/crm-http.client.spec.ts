import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import axios, { AxiosError } from 'axios';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BridgeMetrics,
  CircuitOpenError,
  CredentialsError,
  ForbiddenError,
  Deadline,
  DeadlineExceededError,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  type BridgeError,
  type RequestContext,
} from '#interactions';
import { startLoopbackServer, type Handler, type LoopbackServer } from '../test-fixtures/loopback-server.js';
import { configureCrmAxios, crmAxiosDefaults } from './crm-axios.js';
import { CrmHttpClient, LocalCallError, TransientUpstreamError, type CrmCall } from './crm-http.client.js';
import { DEFAULT_CRM_HTTP_SETTINGS, type CrmHttpSettings } from './crm-http-settings.js';
import { UndiciTransport } from './undici-transport.js';

/**
 * The client against a tiny node:http server on 127.0.0.1 that answers whatever each test scripts: which failures
 * are retried and how often, Retry-After, the deadline and the sockets it frees, the breaker, and what it refuses
 * to read.
 */
let server: LoopbackServer;
let origin: string;
let sockets: ReadonlySet<Socket>;
let handlers: Handler[] = [];
let fallback: Handler;
let seen: { method: string; url: string; authorization?: string }[] = [];

beforeAll(async () => {
  Logger.overrideLogger(false);
  server = await startLoopbackServer((request, response) => {
    seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization });
    (handlers.shift() ?? fallback)(request, response);
  });
  ({ origin, sockets } = server);
});

afterAll(() => server.close());

let transport: UndiciTransport;
let metrics: BridgeMetrics;
const contexts: RequestContext[] = [];

beforeEach(() => {
  handlers = [];
  seen = [];
  fallback = json(200, { ok: true });
  transport = new UndiciTransport();
  metrics = new BridgeMetrics();
});

afterEach(async () => {
  for (const context of contexts.splice(0)) context.deadline.dispose();
  await transport.agent.destroy();
  vi.restoreAllMocks();
});

/** The client as CrmHttpModule builds it: its HttpService's axios instance configured over the transport. */
function clientWith(settings: Partial<CrmHttpSettings> = {}): CrmHttpClient {
  const all = { ...DEFAULT_CRM_HTTP_SETTINGS, baseBackoffMs: 5, maxBackoffMs: 20, ...settings };
  const http = new HttpService(configureCrmAxios(axios.create(), crmAxiosDefaults(transport, all)));
  return new CrmHttpClient(http, metrics, all);
}

function context(deadlineMs = 2_000): RequestContext {
  const created = { requestId: 'test', connector: 'testcrm', deadline: new Deadline(deadlineMs) };
  contexts.push(created);
  return created;
}

function call(path = '/api/things', overrides: Partial<CrmCall> = {}): CrmCall {
  return { method: 'GET', url: `${origin}${path}`, authorization: 'Bearer secret-token', read: true, ...overrides };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
}

function raw(status: number, body: string, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };
}

const hang: Handler = () => {};
const reset: Handler = (request) => request.socket.destroy();

async function failure(promise: Promise<unknown>): Promise<BridgeError> {
  try {
    await promise;
  } catch (error) {
    return error as BridgeError;
  }
  throw new Error('expected the call to fail');
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CrmHttpClient: reading answers', () => {
  it('returns the parsed JSON, sending the Authorization header and the query parameters', async () => {
    fallback = json(200, { users: [{ id: 1 }] });
    const body = await clientWith().request(
      call('/api/users', { params: { query: 'email:jane@example.com' } }),
      context(),
    );
    expect(body).toEqual({ users: [{ id: 1 }] });
    expect(seen).toEqual([
      { method: 'GET', url: '/api/users?query=email:jane%40example.com', authorization: 'Bearer secret-token' },
    ]);
  });

  it('leaves no listener on the deadline once a call is over, answered or refused', async () => {
    const request = context();
    fallback = json(200, { ok: true });
    await clientWith().request(call(), request);
    fallback = json(500, { error: 'down' });
    await failure(clientWith({ maxAttempts: 1 }).request(call(), request));
    await settle();
    expect(request.deadline.aborts.listenerCount('abort')).toBe(0);
  });

  it.each([
    [401, CredentialsError],
    [403, ForbiddenError],
    [404, NotFoundError],
    [400, UpstreamError],
    [409, UpstreamError],
    [422, UpstreamError],
  ])('turns HTTP %i into %o at the first attempt, without retrying', async (status, type) => {
    fallback = json(status, { error: 'nope' });
    const error = await failure(clientWith().request(call(), context()));
    expect(error).toBeInstanceOf(type);
    expect(error).not.toBeInstanceOf(TransientUpstreamError);
    expect(error.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it("lets a call classify a CRM's documented refusal, and shows it every answer's headers", async () => {
    fallback = raw(403, '[{"errorCode":"REQUEST_LIMIT_EXCEEDED"}]', {
      'content-type': 'application/json',
      'x-usage': '5/10',
    });
    const headers: unknown[] = [];
    const limited = await failure(
      clientWith().request(
        call('/limited', {
          readRefusal: (status, body) =>
            status === 403 && body.includes('REQUEST_LIMIT_EXCEEDED')
              ? new RateLimitedError('limit', { retryAfterSeconds: 3600 }) // longer than any deadline: not retried
              : undefined,
          onResponseHeaders: (seenHeaders) => headers.push(seenHeaders['x-usage']),
        }),
        context(),
      ),
    );
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited.retryAfterSeconds).toBe(3600);
    expect(headers).toEqual(['5/10']);

    fallback = json(403, [{ errorCode: 'INSUFFICIENT_ACCESS' }]);
    const other = await failure(clientWith().request(call('/other', { readRefusal: () => undefined }), context()));
    expect(other).toBeInstanceOf(ForbiddenError); // undefined keeps the default classification
  });

  it('refuses a body that is not JSON (an HTML page, no content type) with a clear upstream error', async () => {
    fallback = raw(200, '<html><body>Maintenance</body></html>', { 'content-type': 'text/html' });
    const html = await failure(clientWith().request(call(), context()));
    expect(html).toBeInstanceOf(UpstreamError);
    expect(html.message).toMatch(/with text\/html, not JSON/);
    expect(seen).toHaveLength(1);

    fallback = raw(200, '{}');
    expect((await failure(clientWith().request(call(), context()))).message).toMatch(/no content type, not JSON/);
  });

  it('refuses malformed JSON with a clear upstream error, not retried', async () => {
    fallback = raw(200, '{"users": [{"id": 1},', { 'content-type': 'application/json' });
    const error = await failure(clientWith().request(call(), context()));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).not.toBeInstanceOf(TransientUpstreamError);
    expect(error.message).toMatch(/malformed JSON/);
    expect(seen).toHaveLength(1);
  });

  it('refuses JSON nested deeper than any CRM answer nests, before JSON.parse spends its time on it', async () => {
    const depth = 100_000;
    fallback = raw(200, `{"users":${'['.repeat(depth)}${']'.repeat(depth)}}`, { 'content-type': 'application/json' });
    const error = await failure(clientWith().request(call(), context()));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toMatch(/nested deeper than 64 levels/);
    expect(seen).toHaveLength(1);
  });

  it('bounds the body: larger than maxResponseBytes is an upstream error, announced or streamed', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(4_000) });
    fallback = raw(200, big, { 'content-type': 'application/json', 'content-length': String(big.length) });
    const announced = await failure(clientWith({ maxResponseBytes: 1_024 }).request(call(), context()));
    expect(announced).toBeInstanceOf(UpstreamError);
    expect(announced.message).toMatch(/more than 1024 bytes/);

    fallback = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
      for (let i = 0; i < 8; i++) response.write(big.slice(i * 500, (i + 1) * 500));
      response.end(big.slice(4_000));
    };
    const streamed = await failure(clientWith({ maxResponseBytes: 1_024 }).request(call(), context()));
    expect(streamed.message).toMatch(/more than 1024 bytes/);
    expect(seen).toHaveLength(2);
  });

  it('does not follow redirects', async () => {
    fallback = raw(302, '', { location: `${origin}/elsewhere` });
    const error = await failure(clientWith().request(call('/moved'), context()));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toMatch(/redirect \(HTTP 302\)/);
    expect(seen.map((entry) => entry.url)).toEqual(['/moved']);
  });
});

describe('CrmHttpClient: retries', () => {
  it('retries a read after a 5xx and returns the answer that follows', async () => {
    handlers = [json(503, {}), json(500, {})];
    fallback = json(200, { ok: 'third time' });
    expect(await clientWith().request(call(), context())).toEqual({ ok: 'third time' });
    expect(seen).toHaveLength(3);
    expect((await metrics.crmRetries.get()).values[0]!.value).toBe(2);
  });

  it('retries a read after a dropped connection or a body cut short', async () => {
    handlers = [
      reset,
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        response.write('{"partial":');
        setTimeout(() => response.socket?.destroy(), 5);
      },
    ];
    expect(await clientWith().request(call(), context())).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
  });

  it('bounds the attempts (CRM_MAX_ATTEMPTS) and reports how many were made', async () => {
    fallback = json(500, {});
    const error = await failure(clientWith({ maxAttempts: 4 }).request(call(), context()));
    expect(error).toBeInstanceOf(TransientUpstreamError);
    expect(error.attempts).toBe(4);
    expect(seen).toHaveLength(4);

    seen = [];
    fallback = reset;
    const network = await failure(clientWith({ maxAttempts: 2 }).request(call(), context()));
    expect(network).toBeInstanceOf(TransientUpstreamError);
    expect(network.attempts).toBe(2);
    expect(seen).toHaveLength(2);
  });

  it('retries only reads: a write that fails is tried once, a read-only POST is retried', async () => {
    fallback = json(503, {});
    const write = await failure(
      clientWith().request(call('/api/things', { method: 'POST', body: {}, read: false }), context()),
    );
    expect(write.attempts).toBe(1);
    expect(seen).toHaveLength(1);

    seen = [];
    const search = await failure(
      clientWith().request(call('/api/search', { method: 'POST', body: {}, read: true }), context()),
    );
    expect(search.attempts).toBe(3);
    expect(seen).toHaveLength(3);
  });

  it('waits with exponential backoff and full jitter: a uniform delay in [0, base·2^(n-1)]', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const times: number[] = [];
    fallback = (request, response) => {
      times.push(performance.now());
      json(500, {})(request, response);
    };
    await failure(clientWith({ baseBackoffMs: 100, maxBackoffMs: 1_000, maxAttempts: 3 }).request(call(), context()));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(95); // ≈ 0.999 × 100
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(195); // ≈ 0.999 × 200
    expect(times[2]! - times[1]!).toBeLessThan(400);
  });

  it('retries a 429 after the Retry-After seconds when they fit in the deadline', async () => {
    handlers = [json(429, {}, { 'retry-after': '1' })];
    const { result, ms } = await timed(() => clientWith().request(call(), context(3_000)));
    expect(result).toEqual({ ok: true });
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(seen).toHaveLength(2);
  });

  it('retries a 429 after the Retry-After HTTP date when it fits in the deadline', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999); // a backoff would take ~5 s: only the date can explain ≤ 1 s
    handlers = [json(429, {}, { 'retry-after': new Date(Date.now() + 1_000).toUTCString() })];
    const { result, ms } = await timed(() =>
      clientWith({ baseBackoffMs: 5_000, maxBackoffMs: 5_000 }).request(call(), context(3_000)),
    );
    expect(result).toEqual({ ok: true });
    expect(ms).toBeLessThan(2_500); // the date has a one-second resolution: a wait in (0, 1] s, not the 5 s backoff
    expect(seen).toHaveLength(2);
  });

  it('retries a 429 whose Retry-After date has passed at once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    handlers = [json(429, {}, { 'retry-after': new Date(Date.now() - 5_000).toUTCString() })];
    const { result, ms } = await timed(() =>
      clientWith({ baseBackoffMs: 5_000, maxBackoffMs: 5_000 }).request(call(), context()),
    );
    expect(result).toEqual({ ok: true });
    expect(ms).toBeLessThan(500);
  });

  it('gives up at once on a 429 whose Retry-After (seconds or date) does not fit, passing it on', async () => {
    fallback = json(429, {}, { 'retry-after': '30' });
    const { result: seconds, ms } = await timed(() => failure(clientWith().request(call(), context(1_000))));
    expect(seconds).toBeInstanceOf(RateLimitedError);
    expect(seconds.retryAfterSeconds).toBe(30);
    expect(seconds.attempts).toBe(1);
    expect(ms).toBeLessThan(500); // not 30 s

    fallback = json(429, {}, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() });
    const date = await failure(clientWith().request(call(), context(1_000)));
    expect(date).toBeInstanceOf(RateLimitedError);
    expect(date.retryAfterSeconds).toBeGreaterThan(55);
    expect(date.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(seen).toHaveLength(2);
  });

  it('retries a 429 without Retry-After with backoff, then reports the rate limit', async () => {
    fallback = json(429, {});
    const error = await failure(clientWith().request(call(), context()));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterSeconds).toBeUndefined();
    expect(error.attempts).toBe(3);
  });

  it('does not start a retry whose backoff would end after the deadline', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    fallback = json(502, {});
    const { result: error, ms } = await timed(() =>
      failure(clientWith({ baseBackoffMs: 2_000, maxBackoffMs: 2_000 }).request(call(), context(500))),
    );
    expect(error).toBeInstanceOf(TransientUpstreamError);
    expect(error.attempts).toBe(1);
    expect(ms).toBeLessThan(450); // not waiting out the 500 ms deadline
  });
});

describe('CrmHttpClient: the deadline', () => {
  it('aborts a call the CRM never answers at the deadline, and frees its socket', async () => {
    fallback = hang;
    const { result: error, ms } = await timed(() => failure(clientWith().request(call(), context(300))));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(800);
    await settle();
    expect(sockets.size).toBe(0);
    expect(transport.socketsInUse()).toBe(0);
  });

  it('aborts a body that trickles past the deadline', async () => {
    fallback = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"padding":"');
      const timer = setInterval(() => response.write('x'), 20);
      response.on('close', () => clearInterval(timer));
    };
    const { result: error, ms } = await timed(() => failure(clientWith().request(call(), context(300))));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(ms).toBeLessThan(800); // the body would trickle on for ever
    await settle();
    expect(sockets.size).toBe(0);
  });

  it('stops waiting to retry, and makes no further call, once the request is finished', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    fallback = json(500, {});
    const ctx = context(5_000);
    const pending = failure(clientWith({ baseBackoffMs: 1_000, maxBackoffMs: 1_000 }).request(call(), ctx));
    while (seen.length === 0) await settle(5);
    await settle(20);
    const disposedAt = performance.now();
    ctx.deadline.dispose();
    const error = await pending;
    expect(performance.now() - disposedAt).toBeLessThan(500); // not the 1 s backoff
    expect(error).toBeInstanceOf(DeadlineExceededError);
    await settle(50);
    expect(seen).toHaveLength(1);
  });

  it('makes no call at all once the deadline has passed', async () => {
    const ctx = context(100);
    await settle(120);
    const error = await failure(clientWith().request(call(), ctx));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(seen).toHaveLength(0);
  });
});

describe('CrmHttpClient: the circuit breaker per host and credential', () => {
  const settings = { breakerFailureThreshold: 3, breakerHalfOpenAfterMs: 200, maxAttempts: 1 };

  it('opens after consecutive failures, answers at once without calling, and a half-open probe closes it', async () => {
    const client = clientWith(settings);
    fallback = json(500, {});
    for (let i = 0; i < 3; i++)
      expect(await failure(client.request(call(), context()))).toBeInstanceOf(TransientUpstreamError);
    expect(seen).toHaveLength(3);

    const { result: open, ms } = await timed(() => failure(client.request(call(), context())));
    expect(open).toBeInstanceOf(CircuitOpenError);
    expect(open.retryAfterSeconds).toBe(1);
    expect(ms).toBeLessThan(100); // no call made (below), nothing awaited
    expect(seen).toHaveLength(3);

    // Another credential on the same host has its own breaker.
    fallback = json(200, { other: true });
    expect(await client.request(call('/api/things', { authorization: 'Bearer other-tenant' }), context())).toEqual({
      other: true,
    });
    expect(seen).toHaveLength(4);

    await settle(220);
    expect(await client.request(call(), context())).toEqual({ other: true }); // the probe
    expect(await client.request(call(), context())).toEqual({ other: true }); // closed again
    expect(seen).toHaveLength(6);
  });

  it('re-opens when the half-open probe fails', async () => {
    const client = clientWith(settings);
    fallback = reset;
    for (let i = 0; i < 3; i++) await failure(client.request(call(), context()));
    await settle(220);
    expect(await failure(client.request(call(), context()))).toBeInstanceOf(TransientUpstreamError);
    expect(await failure(client.request(call(), context()))).toBeInstanceOf(CircuitOpenError);
    expect(seen).toHaveLength(4);
  });

  it('counts deadlines as failures', async () => {
    const client = clientWith(settings);
    fallback = hang;
    for (let i = 0; i < 3; i++)
      expect(await failure(client.request(call(), context(50)))).toBeInstanceOf(DeadlineExceededError);
    expect(await failure(client.request(call(), context()))).toBeInstanceOf(CircuitOpenError);
  });

  it('does not count calls aborted because the request was already answered: the CRM did nothing wrong', async () => {
    const client = clientWith(settings);
    fallback = (request, response) => {
      const timer = setTimeout(() => json(200, { ok: true })(request, response), 200);
      response.on('close', () => clearTimeout(timer));
    };
    for (let i = 0; i < 4; i++) {
      const ctx = context();
      const pending = failure(client.request(call(), ctx));
      await settle(20);
      ctx.deadline.dispose(); // the response went out; the call is abandoned
      expect(await pending).toBeInstanceOf(DeadlineExceededError);
    }
    fallback = json(200, { ok: true });
    expect(await client.request(call(), context())).toEqual({ ok: true });
    expect(seen).toHaveLength(5);
  });

  it('does not count calls it never made because no time was left', async () => {
    const client = clientWith(settings);
    for (let i = 0; i < 4; i++) {
      const ctx = context(100);
      ctx.deadline.dispose();
      expect(await failure(client.request(call(), ctx))).toBeInstanceOf(DeadlineExceededError);
    }
    expect(await client.request(call(), context())).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
  });

  it('does not count 4xx answers or rate limits: the CRM is up, it said no', async () => {
    const client = clientWith(settings);
    handlers = [json(400, {}), json(401, {}), json(404, {}), json(429, {}), json(422, {}), json(403, {})];
    for (let i = 0; i < 6; i++) await failure(client.request(call(), context()));
    expect(await client.request(call(), context())).toEqual({ ok: true });
    expect(seen).toHaveLength(7);
  });

  it('does not retry or count a call that fails before anything is sent: bad input must not lock a tenant out', async () => {
    const client = clientWith(settings);
    const local: CrmCall[] = [
      call('/api/users/search', { params: { query: 'email:\ud800@example.com' } }), // encodeURIComponent refuses it
      { ...call(), url: 'http://user:secret@crm.example:bad/api' }, // an invalid URL
      { ...call(), method: 'POST', body: { query: 10n }, read: true }, // JSON.stringify refuses a BigInt
    ];
    for (let i = 0; i < 2; i++) {
      for (const bad of local) {
        const error = await failure(client.request(bad, context()));
        expect(error).toBeInstanceOf(LocalCallError);
        expect(error.kind).toBe('internal');
        expect(error.message).not.toContain('secret');
        expect(error.message).not.toMatch(/could not be sent.*could not be sent/);
      }
    }
    expect(seen).toHaveLength(0); // nothing reached the CRM, and nothing was retried
    // Six local failures, above the threshold: the breaker is still closed for this credential.
    expect(await client.request(call(), context())).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
    expect(await metrics.crmRetries.get()).toMatchObject({ values: [] });
  });

  it('refuses credentials no header can carry as credentials (401), before anything is sent, and never counts them', async () => {
    const client = clientWith(settings);
    for (const authorization of ['Bearer a\r\nX-Injected: 1', 'Bearer a\u0000', 'Bearer \u0101', 'Bearer 💩']) {
      for (let i = 0; i < 3; i++) {
        const error = await failure(client.request({ ...call(), authorization }, context()));
        expect(error).toBeInstanceOf(CredentialsError);
        expect(error.message).not.toContain('X-Injected');
      }
    }
    expect(seen).toHaveLength(0);
    expect(await client.request(call(), context())).toEqual({ ok: true });
  });
});

describe('CrmHttpClient: calls in flight per request', () => {
  it('keeps at most maxInFlightPerRequest calls of one request in flight; another request has its own', async () => {
    let current = 0;
    let max = 0;
    fallback = (_request, response) => {
      current++;
      max = Math.max(max, current);
      setTimeout(() => {
        current--;
        json(200, { ok: true })(_request, response);
      }, 20);
    };
    const client = clientWith({ maxInFlightPerRequest: 3 });
    const one = context();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => client.request(call(`/api/things/${i}`), one)),
    );
    expect(results).toHaveLength(10);
    expect(max).toBe(3);

    max = 0;
    const [a, b] = [context(), context()];
    await Promise.all([
      ...Array.from({ length: 4 }, () => client.request(call(), a)),
      ...Array.from({ length: 4 }, () => client.request(call(), b)),
    ]);
    expect(max).toBe(6);
  });

  it('a call waiting for a slot when the deadline passes fails with the deadline, not an internal error', async () => {
    fallback = hang;
    const client = clientWith({ maxInFlightPerRequest: 1 });
    const short = context(100);
    const [first, second] = await Promise.all([
      failure(client.request(call('/a'), short)),
      failure(client.request(call('/b'), short)),
    ]);
    expect(first.kind).toBe('deadline');
    expect(second.kind).toBe('deadline');
  });
});

describe('CrmHttpClient: what interceptors throw', () => {
  it('fails the call as a local error whose causes hold no axios configuration (no credential)', async () => {
    const settings = { ...DEFAULT_CRM_HTTP_SETTINGS, baseBackoffMs: 5, maxBackoffMs: 20 };
    const instance = configureCrmAxios(axios.create(), crmAxiosDefaults(transport, settings), {
      interceptors: {
        request: [
          {
            onFulfilled: (config) => {
              throw new AxiosError('refused by the signing policy', 'ERR_POLICY', config);
            },
            options: { synchronous: true },
          },
        ],
      },
    });
    const client = new CrmHttpClient(new HttpService(instance), metrics, settings);
    const error = await failure(client.request(call(), context()));
    expect(error).toBeInstanceOf(LocalCallError);
    expect(error.message).toMatch(/refused by the signing policy/);
    for (let cause: unknown = error; cause; cause = (cause as Error).cause) {
      expect(cause).not.toBeInstanceOf(AxiosError);
      expect(JSON.stringify(cause)).not.toContain('secret-token');
    }
    expect(seen).toHaveLength(0);
  });
});

describe("CrmHttpClient: refusals read the CRM's way", () => {
  it('asks the call how to read a 4xx, and reads a plain 403 as forbidden', async () => {
    handlers = [json(404, { error: { title: 'No help desk at nowhere.zendesk.com' } }), json(403, {})];
    const client = clientWith();
    const readRefusal = (status: number, body: string) =>
      status === 404 && body.includes('No help desk') ? new CredentialsError('no such account') : undefined;
    expect((await failure(client.request(call('/x', { readRefusal }), context()))).kind).toBe('credentials');
    expect((await failure(client.request(call('/y', { readRefusal }), context()))).kind).toBe('forbidden');
  });
});
