import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import axios, {
  AxiosError,
  AxiosHeaders,
  CanceledError,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { Agent, Client, Pool, errors, type Dispatcher } from 'undici';

/** Sockets kept per CRM origin; calls beyond them queue on the pool instead of opening more. */
export const CRM_CONNECTIONS_PER_ORIGIN = 128;

/** How long an idle keep-alive socket is kept (a CRM's hint in `Keep-Alive: timeout=` wins when it is shorter). */
const KEEP_ALIVE_MS = 60_000;

/**
 * The outbound transport under `HttpService`: one undici Agent (a keep-alive pool per CRM origin), shared by every
 * CRM call and closed gracefully at shutdown, with an axios adapter over it. Node's http client behind axios's
 * default adapter was about a third of the bridge's CPU per screen pop (README, Benchmarks); undici parses HTTP
 * with llhttp and reuses sockets with far less work per call.
 */
@Injectable()
export class UndiciTransport implements OnModuleDestroy {
  readonly agent = new Agent({
    connections: CRM_CONNECTIONS_PER_ORIGIN,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
    // One request per socket at a time: pipelining would let one slow answer hold up the calls queued behind it.
    pipelining: 1,
    factory: (origin, options) => new Pool(origin, { ...options, factory: clientWithoutIdleReconnects }),
  });
  readonly adapter: AxiosAdapter = undiciAdapter(this.agent);

  /** CRM sockets busy with a call right now (idle pooled ones excepted), across every origin. */
  socketsInUse(): number {
    return Object.values(this.agent.stats).reduce(
      (sum, pool) => sum + ('free' in pool ? pool.connected - pool.free : 0),
      0,
    );
  }

  /** Waits for in-flight calls to finish, then closes every socket. */
  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

/** Refused connection attempt: no live call waits for it. */
class ConnectionNotNeededError extends Error {
  readonly code = 'CONNECTION_NOT_NEEDED';
}

/**
 * A pooled undici Client that opens a connection only while one of its calls is still live. Without this, undici 7
 * reconnects once for every call aborted in flight (the aborted call stays queued until a socket is there to drop it
 * on) and leaves that fresh connection idle in the pool, never reaped by keep-alive, so a CRM that hangs until the
 * deadline would cost a new connection (a TLS handshake) per aborted call and leave sockets open
 * (https://github.com/nodejs/undici/issues/5845, fixed upstream in #5846; remove this when that reaches 7.x). A
 * refused attempt fails only calls that were already aborted, and the pool drops the client.
 */
function clientWithoutIdleReconnects(origin: URL, options: object): Dispatcher {
  let live = 0;
  const { connect } = options as { connect: (options: object, callback: (...args: unknown[]) => void) => void };
  const client = new Client(origin, {
    ...options,
    connect: (connectOptions: object, callback: (...args: unknown[]) => void) =>
      live > 0
        ? connect(connectOptions, callback)
        : callback(new ConnectionNotNeededError('no live call needs this connection'), null),
  } as Client.Options);
  const dispatch = client.dispatch.bind(client);
  client.dispatch = (dispatchOptions, handler) => {
    live++;
    let settled = false;
    const settle = () => {
      if (!settled) live--;
      settled = true;
    };
    const finishing = new Set(['onComplete', 'onError', 'onResponseEnd', 'onResponseError']);
    const counted = new Proxy(handler, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (!finishing.has(property as string)) return value.bind(target);
        return (...args: unknown[]) => {
          settle();
          return (value as (...args: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    try {
      return dispatch(dispatchOptions, counted);
    } catch (error) {
      settle();
      throw error;
    }
  };
  return client;
}

/**
 * An axios adapter that sends through an undici dispatcher, keeping the contract of axios's own http adapter that
 * the CRM client relies on: `timeout` fails with ECONNABORTED (it bounds the whole exchange, where axios's bounds
 * socket idleness; the CRM client passes what is left of the request's deadline, a bound on the whole anyway);
 * `signal` aborts with a CanceledError; a body over `maxContentLength` fails with ERR_BAD_RESPONSE and the same
 * message; redirects are never followed (undici's `request` does not); `validateStatus` decides what
 * settles; network failures are AxiosErrors carrying the failure's code; and a request that cannot even be built
 * (a bad method or header) rejects with the local error itself, not as an AxiosError, as axios's adapter does.
 * Bodies are read as text (JSON is parsed by axios's transformResponse, or by the caller with `responseType:
 * 'text'`) or as a Buffer for `arraybuffer`; streams are not supported. No compression is asked for.
 */
export function undiciAdapter(dispatcher: Dispatcher): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    if (config.responseType === 'stream' || config.responseType === 'blob' || config.responseType === 'document') {
      throw new AxiosError(`responseType ${config.responseType} is not supported`, AxiosError.ERR_NOT_SUPPORT, config);
    }
    const url = new URL(requestUrl(config));
    const method = (config.method ?? 'get').toUpperCase();
    const timeoutMs = config.timeout && config.timeout > 0 ? config.timeout : 0;
    const maxBytes =
      config.maxContentLength !== undefined && config.maxContentLength > -1 ? config.maxContentLength : Infinity;
    const caller = config.signal as AbortSignal | undefined;
    if (caller?.aborted) throw new CanceledError(undefined, undefined, config);
    // Like axios's http adapter, every error raised once the request exists carries it (`error.request`): that is
    // how the CRM client tells a call that reached the network from one that failed to be built. Method and origin
    // only: no path (ids, emails) and no header (credentials).
    const dispatched = { method, origin: url.origin };

    // With a timeout, one signal for undici: the caller's abort, or our timer. A native timer, because undici's own
    // headersTimeout/bodyTimeout run on a coarse clock that can fire up to half a second early. Without one (the CRM
    // client passes only its deadline's signal), the caller's signal goes straight to undici.
    let timedOut = false;
    let signal = caller;
    let timer: NodeJS.Timeout | undefined;
    let cancel: (() => void) | undefined;
    if (timeoutMs > 0) {
      const controller = new AbortController();
      signal = controller.signal;
      cancel = () => controller.abort();
      caller?.addEventListener('abort', cancel, { once: true });
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
    }
    const failure = (error: unknown): unknown => {
      if (error instanceof AxiosError) return error;
      if (caller?.aborted) return new CanceledError(undefined, undefined, config);
      if (timedOut)
        return new AxiosError(`timeout of ${timeoutMs}ms exceeded`, AxiosError.ECONNABORTED, config, dispatched);
      return asAxiosError(error, config, dispatched);
    };

    let status: number;
    let headers: Dispatcher.ResponseData['headers'];
    let data: string | Buffer;
    try {
      let answer: Dispatcher.ResponseData;
      try {
        answer = await dispatcher.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: method as Dispatcher.HttpMethod,
          headers: plainHeaders(config.headers),
          body: requestBody(config.data),
          signal,
        });
      } catch (error) {
        throw failure(error);
      }
      ({ statusCode: status, headers } = answer);
      const { body } = answer;
      try {
        const declared = Number(headers['content-length'] ?? Number.NaN);
        if (declared > maxBytes) throw tooLarge(config, maxBytes, dispatched);
        let bytes: Buffer;
        if (Number.isInteger(declared)) {
          // A declared length is a bound already: undici's parser ends the body there, or fails the call. So the body
          // is read in one go, without a stream iterator's promise per chunk (README, Benchmarks).
          const whole = await body.bytes();
          bytes = Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength);
        } else {
          const chunks: Buffer[] = [];
          let received = 0;
          for await (const chunk of body as AsyncIterable<Buffer>) {
            received += chunk.length;
            if (received > maxBytes) throw tooLarge(config, maxBytes, dispatched);
            chunks.push(chunk);
          }
          bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
        }
        data = config.responseType === 'arraybuffer' ? bytes : bytes.toString('utf8');
      } catch (error) {
        // Not read to the end: drop the socket. The stream then emits an abort error that nobody else listens to.
        body.on('error', () => {});
        body.destroy();
        throw failure(error);
      }
    } finally {
      if (cancel) {
        clearTimeout(timer);
        caller?.removeEventListener('abort', cancel);
      }
    }

    const response: AxiosResponse = {
      data,
      status,
      statusText: '',
      headers: new AxiosHeaders(headers as Record<string, string>),
      config,
      request: undefined,
    };
    if (!config.validateStatus || config.validateStatus(status)) return response;
    throw new AxiosError(
      `Request failed with status code ${status}`,
      status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
      config,
      dispatched,
      response,
    );
  };
}

/**
 * The URL with its query: plain params (strings, numbers, booleans) are encoded as axios's default serialiser does;
 * anything else (a baseURL, a custom serialiser, nested params) goes through axios.getUri. axios.getUri merges the
 * whole config with the defaults again, which cost as much as the rest of the adapter (README, Benchmarks).
 */
function requestUrl(config: InternalAxiosRequestConfig): string {
  const { url = '', params, baseURL, paramsSerializer } = config;
  if (baseURL || paramsSerializer || !/^https?:\/\//i.test(url)) return axios.getUri(config);
  if (params === undefined || params === null) return url;
  if (Object.getPrototypeOf(params) !== Object.prototype) return axios.getUri(config);
  return withQuery(url, params as Record<string, unknown>) ?? axios.getUri(config);
}

/**
 * `url` with `params` appended as axios's default serialiser encodes them (undefined and null left out), or undefined
 * when a value is not a string, number or boolean. Throws a URIError for a value encodeURIComponent refuses (a lone
 * UTF-16 surrogate), as axios does.
 */
export function withQuery(url: string, params: Record<string, unknown>): string | undefined {
  const pairs: string[] = [];
  for (const key in params) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
    pairs.push(`${encodeParam(key)}=${encodeParam(String(value))}`);
  }
  if (pairs.length === 0) return url;
  const base = url.includes('#') ? url.slice(0, url.indexOf('#')) : url;
  return `${base}${base.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

/** axios's encoding of a query key or value: encodeURIComponent, then `:`, `$`, `,` kept and spaces as `+`. */
function encodeParam(value: string): string {
  return encodeURIComponent(value)
    .replace(/%3A/gi, ':')
    .replace(/%24/g, '$')
    .replace(/%2C/gi, ',')
    .replace(/%20/g, '+');
}

/** axios has already serialised objects to JSON (transformRequest); what is left is a string, bytes or nothing. */
function requestBody(data: unknown): string | Buffer | Uint8Array | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string' || Buffer.isBuffer(data) || data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  throw new TypeError('the undici adapter sends strings and bytes only');
}

function plainHeaders(headers: InternalAxiosRequestConfig['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers.toJSON(true))) {
    if (value !== undefined && value !== null) plain[name] = String(value);
  }
  return plain;
}

function tooLarge(config: InternalAxiosRequestConfig, maxBytes: number, request: object): AxiosError {
  // The message axios's http adapter uses, which the CRM client recognises.
  return new AxiosError(`maxContentLength size of ${maxBytes} exceeded`, AxiosError.ERR_BAD_RESPONSE, config, request);
}

/** What axios's http adapter rejects with for a failure that is neither an abort nor the timeout. */
function asAxiosError(error: unknown, config: InternalAxiosRequestConfig, request: object): unknown {
  // A request we could not even build, or a transport we closed ourselves: the CRM did nothing.
  if (
    error instanceof errors.InvalidArgumentError ||
    error instanceof errors.NotSupportedError ||
    error instanceof errors.ClientClosedError ||
    error instanceof errors.ClientDestroyedError ||
    error instanceof TypeError
  ) {
    return error;
  }
  return AxiosError.from(error as Error, (error as { code?: string }).code, config, request);
}
