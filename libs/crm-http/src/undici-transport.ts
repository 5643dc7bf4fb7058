import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { EventEmitter } from 'node:events';
import { Agent, Client, Pool, errors, type Dispatcher } from 'undici';

/** Sockets kept per CRM origin; calls beyond them queue on the pool instead of opening more. */
export const CRM_CONNECTIONS_PER_ORIGIN = 128;

/** How long an idle keep-alive socket is kept (a CRM's hint in `Keep-Alive: timeout=` wins when it is shorter). */
const KEEP_ALIVE_MS = 60_000;

/** One HTTP exchange with a CRM, as the CRM client asks for it. */
export interface CrmExchange {
  method: Dispatcher.HttpMethod;
  /** `https://host[:port]`, from the call's URL. */
  origin: string;
  /** Path and query string, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /**
   * The request's deadline: aborting it abandons the exchange and drops its socket. An AbortSignal, or an
   * EventEmitter with `aborted` and `reason` that emits `abort` (undici takes either; the deadline's `aborts`).
   */
  signal?: AbortSignal | (EventEmitter & { readonly aborted: boolean; readonly reason?: unknown });
  /** A body longer than this fails with AnswerTooLargeError, declared or streamed. */
  maxBytes: number;
}

/** What the CRM answered, whatever the status (the client decides what a status means). Never a redirect followed. */
export interface CrmAnswer {
  status: number;
  /** Lower-case names, as undici gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The body decoded as UTF-8. */
  text: string;
}

/** The exchange could not even be built (a method, header or body undici refuses, a closed transport): nothing was sent. */
export class CallNotSentError extends Error {}

/** The exchange reached the network and failed there (refused, reset, cut short, aborted); `code` is undici's. */
export class CallFailedError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The CRM's body was longer than `maxBytes`: it was not read to the end, and its socket was dropped. */
export class AnswerTooLargeError extends Error {}

/**
 * How the bridge sends every CRM call: one undici Agent (a keep-alive pool per CRM origin), shared by every call and
 * closed gracefully at shutdown. The CRM client's axios instance (`@nestjs/axios`'s HttpService) sends through it, by
 * the adapter in undici-axios-adapter.ts.
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

  /**
   * One exchange: undici's `request` never follows redirects and never asks for compression. The body is bounded by
   * `maxBytes`; an error says whether anything reached the network (CallFailedError) or not (CallNotSentError).
   */
  async send(exchange: CrmExchange): Promise<CrmAnswer> {
    let answer: Dispatcher.ResponseData;
    try {
      answer = await this.agent.request({
        origin: exchange.origin,
        path: exchange.path,
        method: exchange.method,
        headers: exchange.headers,
        body: exchange.body,
        signal: exchange.signal,
      });
    } catch (error) {
      throw failure(error);
    }
    const { statusCode, headers, body } = answer;
    try {
      return { status: statusCode, headers, text: await readBounded(body, headers, exchange.maxBytes) };
    } catch (error) {
      // Not read to the end: drop the socket. The stream then emits an abort error that nobody else listens to.
      body.on('error', () => {});
      body.destroy();
      throw error instanceof AnswerTooLargeError ? error : failure(error);
    }
  }

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

/** The body as text, at most `maxBytes` of it. Not an async function: a declared length costs no extra promise. */
function readBounded(
  body: Dispatcher.ResponseData['body'],
  headers: CrmAnswer['headers'],
  maxBytes: number,
): Promise<string> {
  const declared = Number(headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) return Promise.reject(new AnswerTooLargeError(`the answer declares ${declared} bytes`));
  // A declared length is a bound already: undici's parser ends the body there, or fails the call. So the body is
  // read in one go, without a stream iterator's promise per chunk.
  if (Number.isInteger(declared)) return body.text();
  return readChunks(body, maxBytes);
}

async function readChunks(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) throw new AnswerTooLargeError(`the answer passed ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  // Decoded as undici's `text()` decodes a declared-length body (a UTF-8 byte order mark dropped), so both read alike.
  return UTF8.decode(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
}

const UTF8 = new TextDecoder('utf-8');

function failure(error: unknown): Error {
  // A request undici could not even build, or a transport we closed ourselves: the CRM did nothing.
  if (
    error instanceof errors.InvalidArgumentError ||
    error instanceof errors.NotSupportedError ||
    error instanceof errors.ClientClosedError ||
    error instanceof errors.ClientDestroyedError ||
    error instanceof TypeError
  ) {
    return new CallNotSentError(error.message, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  return new CallFailedError(reason, typeof code === 'string' ? code : undefined, { cause: error });
}

/** The handler interface undici 7 hands a Client (DispatcherBase unwraps the newer one before a pool dispatches). */
interface LegacyHandler {
  onConnect(abort: unknown, context?: unknown): unknown;
  onHeaders(statusCode: number, headers: unknown, resume: unknown, statusText?: string): unknown;
  onData(chunk: unknown): unknown;
  onComplete(trailers: unknown): unknown;
  onError(error: unknown): unknown;
  onUpgrade?(statusCode: number, headers: unknown, socket: unknown): unknown;
  onBodySent?(chunk: unknown): unknown;
  onRequestSent?(): unknown;
  onResponseStarted?(): unknown;
}

/**
 * A call's handler, told first when the call is over (`onComplete` or `onError`). A delegate: a Proxy did the same,
 * but undici reads handler methods per chunk and a trap on every read was a per-cent of the bridge's CPU. Replacing
 * the methods on the handler itself was measured promoting about 65 KB per screen pop to the old generation, before
 * allocation-site pretenuring was turned off (bench/node-flags.ts), which most likely caused it (docs/benchmarks.md).
 * The optional methods, which undici calls only when a handler has them, are getters that answer as the handler would.
 */
class CountedHandler implements LegacyHandler {
  constructor(
    private readonly target: LegacyHandler,
    private readonly settle: () => void,
  ) {}

  onConnect(abort: unknown, context?: unknown): unknown {
    return this.target.onConnect(abort, context);
  }

  onHeaders(statusCode: number, headers: unknown, resume: unknown, statusText?: string): unknown {
    return this.target.onHeaders(statusCode, headers, resume, statusText);
  }

  onData(chunk: unknown): unknown {
    return this.target.onData(chunk);
  }

  onComplete(trailers: unknown): unknown {
    this.settle();
    return this.target.onComplete(trailers);
  }

  onError(error: unknown): unknown {
    this.settle();
    return this.target.onError(error);
  }

  get onUpgrade(): LegacyHandler['onUpgrade'] {
    return this.target.onUpgrade?.bind(this.target);
  }

  get onBodySent(): LegacyHandler['onBodySent'] {
    return this.target.onBodySent?.bind(this.target);
  }

  get onRequestSent(): LegacyHandler['onRequestSent'] {
    return this.target.onRequestSent?.bind(this.target);
  }

  get onResponseStarted(): LegacyHandler['onResponseStarted'] {
    return this.target.onResponseStarted?.bind(this.target);
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
    const counted = new CountedHandler(handler as unknown as LegacyHandler, settle);
    try {
      return dispatch(dispatchOptions, counted as unknown as Dispatcher.DispatchHandler);
    } catch (error) {
      settle();
      throw error;
    }
  };
  return client;
}

/** A query parameter's value; undefined leaves the parameter out. */
export type QueryValue = string | number | boolean | undefined;

/**
 * `path` with `params` appended, encoded as axios's default serialiser encodes them, so the CRMs see the query strings
 * axios would send. The CRM client builds the query itself instead of handing `params` to axios, whose per-call params
 * merge (copies, WeakMaps, a cycle check) and serialiser cost more than this. Throws a URIError for a value
 * encodeURIComponent refuses (a lone UTF-16 surrogate).
 */
export function withQuery(path: string, params: Record<string, QueryValue>): string {
  const pairs: string[] = [];
  for (const key in params) {
    const value = params[key];
    if (value === undefined) continue;
    pairs.push(`${encodeParam(key)}=${encodeParam(String(value))}`);
  }
  if (pairs.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

/** What encodeURIComponent leaves as it is: a key or value made only of these is its own encoding. */
const UNRESERVED = /^[\w.!~*'()-]*$/;

/** The encoding of a query key or value: encodeURIComponent, then `:`, `$`, `,` kept and spaces as `+`. */
function encodeParam(value: string): string {
  // Most keys and values (page sizes, sort orders, ids) need no encoding: no five passes over them to find that out.
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value)
    .replace(/%3A/gi, ':')
    .replace(/%24/g, '$')
    .replace(/%2C/gi, ',')
    .replace(/%20/g, '+');
}
