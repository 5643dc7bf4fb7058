import axios, { AxiosError, CanceledError, type AxiosInstance } from 'axios';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLoopbackServer, type Handler, type LoopbackServer } from '../test-fixtures/loopback-server.js';
import { UndiciTransport } from './undici-adapter.js';

/**
 * The undici adapter against a node:http server on 127.0.0.1: it must keep the contract of axios's own http adapter
 * that CrmHttpClient relies on (query encoding, timeout, abort, size limit, no redirects, which failures are
 * AxiosErrors), reuse sockets, and let in-flight calls finish when the transport closes.
 */
let server: LoopbackServer;
let origin: string;
let sockets: ReadonlySet<Socket>;
let handler: Handler;
const seen: { url: string; socket: Socket }[] = [];

beforeAll(async () => {
  server = await startLoopbackServer((request, response) => {
    seen.push({ url: request.url!, socket: request.socket });
    handler(request, response);
  });
  ({ origin, sockets } = server);
});

afterAll(() => server.close());

let transport: UndiciTransport;
let http: AxiosInstance;

beforeEach(() => {
  seen.length = 0;
  handler = (_request, response) => json(response, 200, { ok: true });
  transport = new UndiciTransport();
  http = axios.create({ adapter: transport.adapter });
});

afterEach(async () => {
  await transport.agent.destroy();
});

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('undiciAdapter', () => {
  it('sends the query string exactly as axios’s own adapter does', async () => {
    const params = [
      { query: 'email:jane@example.com', per_page: 50, skipped: undefined },
      { query: 'phone:"+1 555 555" a$b,c[d]' },
      { query: 'name:"Zoë / Ünal?&="' },
    ];
    for (const p of params) {
      await axios.get(`${origin}/api/v2/users/search`, { params: p });
      await http.get(`${origin}/api/v2/users/search`, { params: p });
    }
    await axios.get(`${origin}/search?sort=desc`, { params: { page: 2 } });
    await http.get(`${origin}/search?sort=desc`, { params: { page: 2 } });
    const urls = seen.map((request) => request.url);
    for (let i = 0; i < urls.length; i += 2) expect(urls[i + 1]).toBe(urls[i]);
  });

  it('reads JSON, text and bytes, and sends a JSON body', async () => {
    handler = (request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () =>
        json(response, 201, { method: request.method, type: request.headers['content-type'], body }),
      );
    };
    const parsed = await http.post(`${origin}/echo`, { a: 1 });
    expect(parsed.status).toBe(201);
    expect(parsed.data).toEqual({ method: 'POST', type: 'application/json', body: '{"a":1}' });
    expect(parsed.headers['content-type']).toBe('application/json');
    const text = await http.get(`${origin}/echo`, { responseType: 'text', transformResponse: (data: string) => data });
    expect(typeof text.data).toBe('string');
    const bytes = await http.get(`${origin}/echo`, { responseType: 'arraybuffer' });
    expect(Buffer.isBuffer(bytes.data)).toBe(true);
  });

  it('keeps sockets alive between calls', async () => {
    await http.get(`${origin}/a`);
    await sleep(5); // the pool takes the socket back on the next turn of the event loop
    await http.get(`${origin}/b`);
    expect(seen[1]!.socket).toBe(seen[0]!.socket);
  });

  it('does not follow redirects', async () => {
    handler = (_request, response) => {
      response.writeHead(302, { location: `${origin}/elsewhere` });
      response.end();
    };
    const response = await http.get(`${origin}/moved`, { validateStatus: () => true, maxRedirects: 0 });
    expect(response.status).toBe(302);
    expect(seen.map((request) => request.url)).toEqual(['/moved']);
  });

  it('rejects statuses validateStatus refuses with an AxiosError carrying the response', async () => {
    handler = (_request, response) => json(response, 503, { error: 'down' });
    const error = (await failure(http.get(`${origin}/down`))) as AxiosError;
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.response?.status).toBe(503);
  });

  it('times out with ECONNABORTED, not before the timeout, and frees the socket', async () => {
    handler = () => {}; // never answers
    const started = performance.now();
    const error = (await failure(http.get(`${origin}/hang`, { timeout: 300 }))) as AxiosError;
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.code).toBe('ECONNABORTED');
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    await sleep(50);
    expect(transport.socketsInUse()).toBe(0);
    expect(seen[0]!.socket.destroyed).toBe(true);
  });

  it('aborts with a CanceledError when the signal fires, and frees the socket', async () => {
    handler = () => {};
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 50);
    const error = await failure(http.get(`${origin}/hang`, { signal: controller.signal }));
    expect(error).toBeInstanceOf(CanceledError);
    await sleep(50);
    expect(seen[0]!.socket.destroyed).toBe(true);
  });

  it('aborting calls in flight opens no new connection (undici 7 would reconnect once per aborted call)', async () => {
    handler = (request, response) => {
      if (request.url !== '/hang') json(response, 200, { ok: true });
    };
    const earlier = new Set(sockets); // other tests' keep-alive sockets
    await Promise.all([http.get(`${origin}/ok`), http.get(`${origin}/ok`)]); // idle pooled sockets keep the pool alive
    const controller = new AbortController();
    const calls = Array.from({ length: 3 }, () => failure(http.get(`${origin}/hang`, { signal: controller.signal })));
    await sleep(50);
    controller.abort();
    await Promise.all(calls);
    await sleep(50);
    const neverUsed = [...sockets].filter(
      (socket) => !earlier.has(socket) && !seen.some((request) => request.socket === socket),
    );
    expect(neverUsed).toHaveLength(0);
    expect((await http.get(`${origin}/ok`)).data).toEqual({ ok: true });
  });

  it('refuses a body over maxContentLength, declared or streamed, with axios’s message', async () => {
    const big = 'x'.repeat(10_000);
    handler = (request, response) => {
      if (request.url === '/declared') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length + 2 });
        response.end(JSON.stringify(big));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }); // chunked, no length
        response.write('"');
        setTimeout(() => response.end(`${big}"`), 20);
      }
    };
    for (const path of ['/declared', '/streamed']) {
      const error = (await failure(http.get(`${origin}${path}`, { maxContentLength: 1_000 }))) as AxiosError;
      expect(error).toBeInstanceOf(AxiosError);
      expect(error.code).toBe('ERR_BAD_RESPONSE');
      expect(error.message).toMatch(/maxContentLength/);
    }
  });

  it('a connection reset is an AxiosError with the network code; a request that cannot be built is not', async () => {
    handler = (request) => request.socket.destroy();
    const reset = (await failure(http.get(`${origin}/reset`))) as AxiosError;
    expect(reset).toBeInstanceOf(AxiosError);
    expect(reset.code).toBeTruthy();
    // The client reads `request` as "this reached the network" (retried, counted by the breaker); no path or header.
    expect(reset.request).toEqual({ method: 'GET', origin });

    const unencodable = await failure(http.get(`${origin}/x`, { params: { q: '\ud800' } }));
    expect(unencodable).not.toBeInstanceOf(AxiosError);

    const local = await failure(http.request({ url: `${origin}/x`, method: 'GE T' as 'get' }));
    expect(local).not.toBeInstanceOf(AxiosError);
  });

  it('closing the transport lets in-flight calls finish first', async () => {
    handler = (_request, response) => setTimeout(() => json(response, 200, { late: true }), 100);
    const call = http.get(`${origin}/slow`);
    await sleep(20);
    await transport.onModuleDestroy();
    expect((await call).data).toEqual({ late: true });
  });
});
