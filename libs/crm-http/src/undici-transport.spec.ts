import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLoopbackServer, type Handler, type LoopbackServer } from '../test-fixtures/loopback-server.js';
import {
  AnswerTooLargeError,
  CallFailedError,
  CallNotSentError,
  UndiciTransport,
  withQuery,
  type CrmExchange,
} from './undici-transport.js';

/**
 * The transport against a node:http server on 127.0.0.1: the query encoding the CRMs have always seen, bodies both
 * ways, no redirects, abort, the size limit, which failures reached the network, socket reuse, and in-flight calls
 * finishing when the transport closes.
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

beforeEach(() => {
  seen.length = 0;
  handler = (_request, response) => json(response, 200, { ok: true });
  transport = new UndiciTransport();
});

afterEach(async () => {
  await transport.agent.destroy();
});

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function send(path: string, overrides: Partial<CrmExchange> = {}) {
  return transport.send({
    method: 'GET',
    origin,
    path,
    headers: { accept: 'application/json' },
    signal: new AbortController().signal,
    maxBytes: 1_000_000,
    ...overrides,
  });
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

describe('withQuery', () => {
  it('encodes parameters as axios’s default serialiser did (the strings below are what axios.getUri produced)', () => {
    const path = '/api/v2/users/search';
    expect(withQuery(path, { query: 'email:jane@example.com', per_page: 50, skipped: undefined })).toBe(
      `${path}?query=email:jane%40example.com&per_page=50`,
    );
    expect(withQuery(path, { query: 'phone:"+1 555 555" a$b,c[d]' })).toBe(
      `${path}?query=phone:%22%2B1+555+555%22+a$b,c%5Bd%5D`,
    );
    expect(withQuery(path, { query: 'name:"Zoë / Ünal?&="' })).toBe(
      `${path}?query=name:%22Zo%C3%AB+%2F+%C3%9Cnal%3F%26%3D%22`,
    );
    expect(withQuery('/search?sort=desc', { page: 2 })).toBe('/search?sort=desc&page=2');
    expect(withQuery(path, { skipped: undefined })).toBe(path);
  });

  it('leaves keys and values that need no encoding as they are, and encodes one character past them', () => {
    const plain = "Az09_.!~*'()-";
    expect(withQuery('/x', { [plain]: plain })).toBe(`/x?${plain}=${plain}`);
    for (const character of ['a b', 'a/b', 'a?b', 'a#b', 'a%b', 'a&b', 'a=b', 'a+b', 'a"b', 'é'])
      expect(withQuery('/x', { q: character })).toBe(`/x?q=${encodeURIComponent(character).replace(/%20/g, '+')}`);
  });

  it('refuses a lone UTF-16 surrogate, which cannot be encoded', () => {
    expect(() => withQuery('/x', { q: '\ud800' })).toThrow(URIError);
  });
});

describe('UndiciTransport', () => {
  it('sends method, path, headers and body, and reads the status, headers and text of any answer', async () => {
    handler = (request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () =>
        json(response, 418, { method: request.method, url: request.url, type: request.headers['content-type'], body }),
      );
    };
    const answer = await send('/echo?a=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(answer.status).toBe(418);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.text)).toEqual({
      method: 'POST',
      url: '/echo?a=1',
      type: 'application/json',
      body: '{"a":1}',
    });
  });

  it('keeps sockets alive between calls', async () => {
    await send('/a');
    await sleep(5); // the pool takes the socket back on the next turn of the event loop
    await send('/b');
    expect(seen[1]!.socket).toBe(seen[0]!.socket);
  });

  it('does not follow redirects', async () => {
    handler = (_request, response) => {
      response.writeHead(302, { location: `${origin}/elsewhere` });
      response.end();
    };
    expect((await send('/moved')).status).toBe(302);
    expect(seen.map((request) => request.url)).toEqual(['/moved']);
  });

  it('aborts when the signal fires, as a failure that reached the network, and frees the socket', async () => {
    handler = () => {};
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 50);
    const error = await failure(send('/hang', { signal: controller.signal }));
    expect(error).toBeInstanceOf(CallFailedError);
    await sleep(50);
    expect(seen[0]!.socket.destroyed).toBe(true);
    expect(transport.socketsInUse()).toBe(0);
  });

  it('aborting calls in flight opens no new connection (undici 7 would reconnect once per aborted call)', async () => {
    handler = (request, response) => {
      if (request.url !== '/hang') json(response, 200, { ok: true });
    };
    const earlier = new Set(sockets); // other tests' keep-alive sockets
    await Promise.all([send('/ok'), send('/ok')]); // idle pooled sockets keep the pool alive
    const controller = new AbortController();
    const calls = Array.from({ length: 3 }, () => failure(send('/hang', { signal: controller.signal })));
    await sleep(50);
    controller.abort();
    await Promise.all(calls);
    await sleep(50);
    const neverUsed = [...sockets].filter(
      (socket) => !earlier.has(socket) && !seen.some((request) => request.socket === socket),
    );
    expect(neverUsed).toHaveLength(0);
    expect(JSON.parse((await send('/ok')).text)).toEqual({ ok: true });
  });

  it('refuses a body over maxBytes, declared or streamed, and drops its socket', async () => {
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
      expect(await failure(send(path, { maxBytes: 1_000 }))).toBeInstanceOf(AnswerTooLargeError);
    }
    expect(JSON.parse((await send('/declared', { maxBytes: 20_000 })).text)).toBe(big);
    expect((await send('/streamed', { maxBytes: 20_000 })).text).toBe(`"${big}"`);
    await sleep(50);
    expect(transport.socketsInUse()).toBe(0);
  });

  it('decodes a body the same way with or without a declared length (a UTF-8 byte order mark dropped)', async () => {
    const body = '\ufeff{"name":"Zoë"}';
    handler = (request, response) => {
      const headers: Record<string, string | number> = { 'content-type': 'application/json' };
      if (request.url === '/declared') headers['content-length'] = Buffer.byteLength(body);
      response.writeHead(200, headers);
      response.write(body.slice(0, 4)); // a second chunk: without a declared length, the body is chunked
      response.end(body.slice(4));
    };
    for (const path of ['/declared', '/streamed']) expect((await send(path)).text).toBe('{"name":"Zoë"}');
  });

  it('a connection reset reached the network, with undici’s code; a request that cannot be built did not', async () => {
    handler = (request) => request.socket.destroy();
    const reset = (await failure(send('/reset'))) as CallFailedError;
    expect(reset).toBeInstanceOf(CallFailedError);
    expect(reset.code).toBeTruthy();

    const local = await failure(send('/x', { method: 'GE T' as 'GET' }));
    expect(local).toBeInstanceOf(CallNotSentError);
    const badHeader = await failure(send('/x', { headers: { authorization: 'a\nb' } }));
    expect(badHeader).toBeInstanceOf(CallNotSentError);
  });

  it('closing the transport lets in-flight calls finish first', async () => {
    handler = (_request, response) => setTimeout(() => json(response, 200, { late: true }), 100);
    const call = send('/slow');
    await sleep(20);
    await transport.onModuleDestroy();
    expect(JSON.parse((await call).text)).toEqual({ late: true });
  });
});
