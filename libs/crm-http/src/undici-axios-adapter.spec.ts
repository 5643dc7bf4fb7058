import axios, { AxiosError, AxiosHeaders, type AxiosInstance } from 'axios';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLoopbackServer, type Handler, type LoopbackServer } from '../test-fixtures/loopback-server.js';
import { configureCrmAxios, crmAxiosDefaults } from './crm-axios.js';
import { DEFAULT_CRM_HTTP_SETTINGS } from './crm-http-settings.js';
import { undiciAxiosAdapter } from './undici-axios-adapter.js';
import { AnswerTooLargeError, CallFailedError, UndiciTransport } from './undici-transport.js';

/**
 * The adapter under the CRM client's axios instance, against a node:http server on 127.0.0.1: what an interceptor
 * does to a call reaches the wire, axios's URL building still works for calls not built by the client, and failures
 * come back as AxiosErrors that say what happened.
 */
let server: LoopbackServer;
let handler: Handler;
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = await startLoopbackServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      handler(request, response);
    });
  });
});

afterAll(() => server.close());

let transport: UndiciTransport;

beforeEach(() => {
  seen.length = 0;
  handler = (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-usage': '5/10' });
    response.end('{"ok":true}');
  };
  transport = new UndiciTransport();
});

afterEach(async () => {
  await transport.agent.destroy();
});

/** An axios instance as CrmHttpModule configures it. */
function crmAxios(maxResponseBytes = DEFAULT_CRM_HTTP_SETTINGS.maxResponseBytes): AxiosInstance {
  return configureCrmAxios(
    axios.create(),
    crmAxiosDefaults(transport, { ...DEFAULT_CRM_HTTP_SETTINGS, maxResponseBytes }),
  );
}

async function rejection(promise: Promise<unknown>): Promise<AxiosError> {
  try {
    await promise;
  } catch (error) {
    return error as AxiosError;
  }
  throw new Error('expected the call to fail');
}

describe('undiciAxiosAdapter', () => {
  it('sends method, URL, headers and body as given, and settles every status with the text and headers', async () => {
    handler = (_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' });
      response.end('{"error":"down"}');
    };
    const response = await crmAxios().request({
      method: 'POST',
      url: `${server.origin}/api/search?query=email:jane%40example.com`,
      headers: { accept: 'application/json', authorization: 'Bearer t', 'content-type': 'application/json' },
      data: '{"q":1}',
    });
    expect(seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/api/search?query=email:jane%40example.com',
        headers: expect.objectContaining({ authorization: 'Bearer t', 'content-type': 'application/json' }),
        body: '{"q":1}',
      }),
    ]);
    expect(response.status).toBe(503);
    expect(response.data).toBe('{"error":"down"}'); // no transformResponse: the text as it came
    expect(response.headers).toBeInstanceOf(AxiosHeaders);
    expect((response.headers as AxiosHeaders).get('Retry-After')).toBe('2');
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('sends what a request interceptor changed, and builds URLs from baseURL and params as axios does', async () => {
    const instance = crmAxios();
    instance.interceptors.request.use((config) => {
      config.headers.set('X-Signature', 'signed');
      return config;
    });
    await instance.request({
      baseURL: server.origin,
      url: '/api/users',
      params: { query: 'name:Jane Doe', page: 2 },
      headers: { accept: 'application/json' },
    });
    expect(seen[0]!.url).toBe('/api/users?query=name:Jane+Doe&page=2');
    expect(seen[0]!.headers['x-signature']).toBe('signed');
  });

  it('keeps axios’s contract for a refused status when validateStatus refuses it', async () => {
    handler = (_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"RecordNotFound"}');
    };
    const error = await rejection(
      crmAxios().request({ url: `${server.origin}/api/users/1`, validateStatus: (status) => status < 400 }),
    );
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.code).toBe(AxiosError.ERR_BAD_REQUEST);
    expect(error.response?.status).toBe(404);
    expect(error.response?.data).toBe('{"error":"RecordNotFound"}');
  });

  it('fails as an AxiosError carrying the transport’s error (reset, too large), or as canceled when aborted', async () => {
    handler = (request) => request.socket.destroy();
    const reset = await rejection(crmAxios().request({ url: `${server.origin}/reset` }));
    expect(reset).toBeInstanceOf(AxiosError);
    expect(reset.cause).toBeInstanceOf(CallFailedError);
    expect(reset.request).toEqual({ method: 'GET', origin: server.origin }); // no path, no header

    handler = () => {};
    const controller = new AbortController();
    const pending = rejection(crmAxios().request({ url: `${server.origin}/hang`, signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    expect((await pending).code).toBe(AxiosError.ERR_CANCELED); // axios's own reading of an aborted signal
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(transport.socketsInUse()).toBe(0);

    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ padding: 'x'.repeat(2_000) }));
    };
    const large = await rejection(crmAxios(1_000).request({ url: `${server.origin}/large` }));
    expect(large.code).toBe(AxiosError.ERR_BAD_RESPONSE);
    expect(large.cause).toBeInstanceOf(AnswerTooLargeError);
  });

  it('refuses a body that is not text or bytes before sending anything', async () => {
    const instance = axios.create({ adapter: undiciAxiosAdapter(transport, 1_000_000), transformRequest: [] });
    await expect(instance.request({ method: 'POST', url: `${server.origin}/x`, data: { q: 1 } })).rejects.toThrow(
      /strings and bytes only/,
    );
    expect(seen).toHaveLength(0);
  });
});
