import Fastify, { type FastifyInstance } from 'fastify';
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatFault, parseFault, parseFaultSpec } from './fault.js';
import { installFaultInjection } from './install-faults.js';

/** The injector on a bare Fastify app with one vendor-like route, over real HTTP on loopback. */
let app: FastifyInstance;
let base: string;
const TICKETS = '/zendesk/acme/api/v2/users/1/tickets/requested';
const page = {
  tickets: [
    { id: 1, subject: 'one' },
    { id: 2, subject: 'two' },
    { id: 3, subject: 'three' },
  ],
  next_page: null,
};

beforeAll(async () => {
  app = Fastify();
  installFaultInjection(app);
  app.get(TICKETS, async () => page);
  app.get('/zendesk/acme/api/v2/users/search', async () => ({ users: [] }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterEach(() => app.faults.clear());
afterAll(async () => {
  await app.close();
});

/** A raw GET that reports what arrived, including a connection dropped mid-way (fetch would hide the details). */
function get(path: string, headers: Record<string, string> = {}, timeoutMs = 2_000) {
  return new Promise<{ status?: number; headers?: Record<string, unknown>; body: string; error?: string; ms: number }>(
    (resolve) => {
      const started = performance.now();
      let body = '';
      let status: number | undefined;
      let responseHeaders: Record<string, unknown> | undefined;
      const done = (error?: string) =>
        resolve({ status, headers: responseHeaders, body, error, ms: performance.now() - started });
      const req = httpRequest(`${base}${path}`, { headers, agent: false }, (res) => {
        status = res.statusCode;
        responseHeaders = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => done());
        res.on('error', (error) => done((error as NodeJS.ErrnoException).code ?? error.message));
        res.on('aborted', () => done('aborted'));
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (error) => done((error as NodeJS.ErrnoException).code ?? error.message));
      req.end();
    },
  );
}

describe('fault syntax', () => {
  it('reads the wire form of every fault', () => {
    expect(parseFaultSpec('status; code=503')).toEqual({ kind: 'status', status: 503 });
    expect(parseFaultSpec('503')).toEqual({ kind: 'status', status: 503 });
    expect(parseFaultSpec('latency; ms=250')).toEqual({ kind: 'latency', ms: 250 });
    expect(parseFaultSpec('rate-limit; retry-after=2')).toEqual({ kind: 'rate-limit', retryAfter: 2 });
    expect(parseFaultSpec('rate-limit; retry-after=Wed, 21 Oct 2026 07:28:00 GMT')).toEqual({
      kind: 'rate-limit',
      retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT',
    });
    expect(parseFaultSpec('hang')).toEqual({ kind: 'hang' });
    expect(parseFaultSpec('reset; after-bytes=10')).toEqual({ kind: 'reset', afterBytes: 10 });
    expect(parseFaultSpec('trickle; bytes=4; interval-ms=20; delay-ms=5')).toEqual({
      kind: 'trickle',
      bytes: 4,
      intervalMs: 20,
      delayMs: 5,
    });
    expect(parseFaultSpec('html; status=502')).toEqual({ kind: 'html', status: 502 });
    expect(parseFaultSpec('oversize; bytes=2048')).toEqual({ kind: 'oversize', bytes: 2048 });
    expect(parseFault({ kind: 'corrupt-items', count: 2 })).toEqual({ kind: 'corrupt-items', count: 2 });
    expect(formatFault({ kind: 'status', status: 503, delayMs: 10 })).toBe('status; code=503; delay-ms=10');
  });

  it('refuses unknown kinds, parameters and values, saying which', () => {
    expect(() => parseFaultSpec('explode')).toThrow(/unknown fault kind "explode"/);
    expect(() => parseFaultSpec('hang; ms=3')).toThrow(/takes no parameter "ms"/);
    expect(() => parseFaultSpec('status; code=99')).toThrow(/code|status/);
    expect(() => parseFaultSpec('latency')).toThrow(/needs ms/);
    expect(() => parseFault(42)).toThrow(/a fault is/);
  });
});

describe('fault injection', () => {
  it('answers normally without a fault, and counts and logs what it received', async () => {
    const response = await get(TICKETS);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual(page);
    expect(app.faults.requests).toBe(1);
    expect(app.faults.received()).toEqual([{ method: 'GET', path: TICKETS }]);
  });

  it('takes a per-request fault from the x-sandbox-fault header or the __fault query parameter', async () => {
    expect((await get(TICKETS, { 'x-sandbox-fault': 'status; code=418' })).status).toBe(418);
    expect((await get(`${TICKETS}?__fault=${encodeURIComponent('status; code=503')}`)).status).toBe(503);
    const bad = await get(TICKETS, { 'x-sandbox-fault': 'explode' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).description).toMatch(/unknown fault kind/);
  });

  it('applies rules by method and path prefix or RegExp, `times` times or every n-th time', async () => {
    const once = app.faults.add({ path: '/zendesk/acme/api/v2/users/', fault: 'status; code=500', times: 1 });
    expect((await get(TICKETS)).status).toBe(500);
    expect((await get(TICKETS)).status).toBe(200);
    expect(once.applied).toBe(1);
    expect(app.faults.list()).toHaveLength(0);

    app.faults.add({ method: 'POST', path: TICKETS, fault: '500' });
    expect((await get(TICKETS)).status).toBe(200);

    const alternate = app.faults.add({
      path: /\/tickets\/requested$/,
      fault: { kind: 'status', status: 502 },
      every: 2,
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(TICKETS)).status);
    expect(statuses).toEqual([502, 200, 502, 200]);
    expect(alternate.matched).toBe(4);
    expect((await get('/zendesk/acme/api/v2/users/search')).status).toBe(200);
    expect(app.faults.received(/tickets/).map((entry) => entry.fault ?? 'none')).toEqual([
      'status',
      'none',
      'none',
      'status',
      'none',
      'status',
      'none',
    ]);
  });

  it('adds latency, then answers normally', async () => {
    app.faults.add({ path: TICKETS, fault: 'latency; ms=150' });
    const response = await get(TICKETS);
    expect(response.status).toBe(200);
    expect(response.ms).toBeGreaterThanOrEqual(140);
  });

  it('answers 429 with Retry-After in seconds or as an HTTP date', async () => {
    app.faults.add({ path: TICKETS, fault: 'rate-limit; retry-after=7', times: 1 });
    const seconds = await get(TICKETS);
    expect(seconds.status).toBe(429);
    expect(seconds.headers!['retry-after']).toBe('7');
    const date = new Date(Date.now() + 3_000).toUTCString();
    app.faults.add({ path: TICKETS, fault: { kind: 'rate-limit', retryAfter: date } });
    expect((await get(TICKETS)).headers!['retry-after']).toBe(date);
  });

  it("answers an injected 429 in each vendor's own shape", async () => {
    // Zendesk: text/plain, as its limiter answers.
    app.faults.add({ path: TICKETS, fault: 'rate-limit; retry-after=7', times: 1 });
    const zendesk = await get(TICKETS);
    expect(zendesk.headers!['content-type']).toMatch(/^text\/plain/);
    expect(zendesk.body).toBe('Number of allowed API requests per minute exceeded');
    // HubSpot: JSON with errorType and policyName, and no Retry-After unless the drill asks for one.
    const contacts = '/hubspot/crm/v3/objects/contacts/1';
    app.faults.add({ path: contacts, fault: 'rate-limit', times: 1 });
    const hubspot = await get(contacts);
    expect(hubspot.status).toBe(429);
    expect(hubspot.headers!['content-type']).toMatch(/^application\/json/);
    expect(hubspot.headers!['retry-after']).toBeUndefined();
    expect(JSON.parse(hubspot.body)).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      message: expect.any(String),
    });
  });

  it('hangs until the client gives up, holding nothing afterwards', async () => {
    app.faults.add({ path: TICKETS, fault: 'hang' });
    const pending = get(TICKETS, {}, 150);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.faults.hanging).toBe(1);
    const response = await pending;
    expect(response.error).toBe('TIMEOUT');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(app.faults.hanging).toBe(0);
  });

  it('resets the connection at once, or part-way through the real body', async () => {
    app.faults.add({ path: TICKETS, fault: 'reset', times: 1 });
    expect((await get(TICKETS)).error).toMatch(/ECONNRESET|socket hang up/);
    app.faults.add({ path: TICKETS, fault: 'reset; after-bytes=12', times: 1 });
    const cut = await get(TICKETS);
    expect(cut.status).toBe(200);
    expect(cut.body).toBe(JSON.stringify(page).slice(0, 12));
    expect(cut.error).toMatch(/aborted|ECONNRESET/);
  });

  it('serves truncated JSON, malformed JSON, an HTML page, an oversized body and corrupted items', async () => {
    app.faults.add({ path: TICKETS, fault: 'truncated-json', times: 1 });
    const truncated = await get(TICKETS);
    expect(truncated.status).toBe(200);
    expect(truncated.headers!['content-type']).toMatch(/application\/json/);
    expect(JSON.stringify(page).startsWith(truncated.body)).toBe(true);
    expect(() => JSON.parse(truncated.body)).toThrow();

    app.faults.add({ path: TICKETS, fault: 'malformed-json', times: 1 });
    const malformed = await get(TICKETS);
    expect(malformed.status).toBe(200);
    expect(malformed.headers!['content-type']).toMatch(/application\/json/);
    expect(() => JSON.parse(malformed.body)).toThrow();

    app.faults.add({ path: TICKETS, fault: 'html; status=502', times: 1 });
    const html = await get(TICKETS);
    expect(html.status).toBe(502);
    expect(html.headers!['content-type']).toMatch(/text\/html/);
    expect(html.body).toMatch(/<html>/);

    app.faults.add({ path: TICKETS, fault: 'oversize; bytes=4096', times: 1 });
    const big = await get(TICKETS);
    expect(Buffer.byteLength(big.body)).toBe(4096);
    expect(JSON.parse(big.body).padding).toHaveLength(4096 - 14);

    app.faults.add({ path: TICKETS, fault: 'corrupt-items; count=1', times: 1 });
    const corrupt = JSON.parse((await get(TICKETS)).body);
    expect(corrupt.tickets).toEqual(['corrupted by the sandbox', page.tickets[1], page.tickets[2]]);
  });

  it('trickles the real body slowly', async () => {
    app.faults.add({ path: TICKETS, fault: 'trickle; bytes=40; interval-ms=30', times: 1 });
    const response = await get(TICKETS);
    const chunks = Math.ceil(JSON.stringify(page).length / 40);
    expect(JSON.parse(response.body)).toEqual(page);
    expect(response.ms).toBeGreaterThanOrEqual(chunks * 30 - 10);
  });

  it('redirects without serving anything', async () => {
    app.faults.add({ path: TICKETS, fault: 'redirect', times: 1 });
    const response = await get(TICKETS);
    expect(response.status).toBe(302);
    expect(response.headers!.location).toBe(`${TICKETS}?__redirected=1`);
  });

  it('manages rules over HTTP under /__sandbox/faults, unaffected by them', async () => {
    const created = await fetch(`${base}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'GET', pattern: 'tickets/requested$', fault: 'status; code=503', times: 2 }),
    });
    expect(created.status).toBe(201);
    const rule = await created.json();
    expect(rule).toMatchObject({
      method: 'GET',
      pattern: new RegExp('tickets/requested$').source,
      fault: 'status; code=503',
      times: 2,
    });
    expect((await get(TICKETS)).status).toBe(503);
    const listed = await (await fetch(`${base}/__sandbox/faults`, { headers: { 'x-sandbox-fault': 'hang' } })).json();
    expect(listed.rules).toEqual([expect.objectContaining({ id: rule.id, applied: 1 })]);

    const invalid = await fetch(`${base}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/x', fault: { kind: 'status' } }),
    });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).description).toMatch(/needs code|needs status/);

    expect((await fetch(`${base}/__sandbox/faults/${rule.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${base}/__sandbox/faults/${rule.id}`, { method: 'DELETE' })).status).toBe(404);
    app.faults.add({ fault: '500' });
    expect((await fetch(`${base}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await get(TICKETS)).status).toBe(200);
  });

  it('closes held connections when the sandbox closes', async () => {
    const other = Fastify();
    installFaultInjection(other);
    other.get('/x', async () => ({}));
    await other.listen({ port: 0, host: '127.0.0.1' });
    const address = other.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    other.faults.add({ fault: 'hang' });
    const pending = fetch(`http://127.0.0.1:${port}/x`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(other.faults.hanging).toBe(1);
    await other.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(other.faults.hanging).toBe(0);
  });
});
