import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { isAxiosError, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { bulkhead, isBrokenCircuitError, type BulkheadPolicy, type CircuitBreakerPolicy } from 'cockatiel';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BridgeMetrics,
  callGateOf,
  CircuitOpenError,
  CredentialsError,
  DeadlineExceededError,
  InternalError,
  ForbiddenError,
  isHeaderValue,
  NotFoundError,
  RateLimitedError,
  UpstreamError,
  type BridgeError,
  type RequestContext,
} from '#interactions';
import { CircuitBreakers } from './circuit-breakers.js';
import { startCrmCall } from './crm-call-telemetry.js';
import { CRM_HTTP_SETTINGS, type CrmHttpSettings } from './crm-http-settings.js';
import { nestsDeeperThan, MAX_JSON_DEPTH } from './json-nesting.js';
import { fullJitterBackoffMs, parseRetryAfter } from './retry-timing.js';
import { AnswerTooLargeError, CallFailedError, withQuery, type QueryValue } from './undici-transport.js';

export interface CrmCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute URL. Query parameters go in `params`, so that they are encoded and never logged. */
  url: string;
  params?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** The Authorization header. It is sent, hashed into the breaker key, and never logged. */
  authorization: string;
  /**
   * True for reads, the only calls that are retried. GETs are reads; a POST that only reads (a search, a batch read)
   * says so here.
   */
  read: boolean;
  /**
   * Reads a refusal (4xx other than 429) the way this CRM documents it, e.g. which scope a 403 says is missing, a
   * 404 that means "no such account" rather than "no such record", or Salesforce's 403 `REQUEST_LIMIT_EXCEEDED`, which
   * is a rate limit, not a permission problem. Returns the error to throw; undefined leaves the generic reading.
   */
  readRefusal?: (status: number, body: string) => BridgeError | undefined;
  /**
   * Reads a failure to reach the CRM the way this CRM documents it, from the network error's code (undici's or the
   * system's: `ENOTFOUND` when the host name does not exist), e.g. a per-customer host name that names no customer.
   * Returns the error to throw, which is then final (never retried); undefined leaves it a transient upstream failure.
   */
  readNetworkFailure?: (code: string | undefined) => BridgeError | undefined;
  /** Sees every answer's headers, whatever its status (e.g. a CRM's API-usage header). */
  onResponseHeaders?: (headers: Record<string, unknown>) => void;
}

/** A 5xx or a network failure: worth retrying, and counted by the circuit breaker. */
export class TransientUpstreamError extends UpstreamError {}

/**
 * A call abandoned because its request was already answered (the deadline was disposed before it passed): the
 * CRM did nothing wrong, so the circuit breaker does not count it. Still a deadline error for everyone else.
 */
export class CallAbandonedError extends DeadlineExceededError {}

/**
 * A call that failed on our side before anything reached the CRM: a URL that does not parse, a query value that
 * cannot be encoded (a lone UTF-16 surrogate), a body that cannot be serialised. The CRM did nothing wrong, so it
 * is never retried (it would fail the same way) and never counted by the circuit breaker (one bad request must not
 * lock a tenant out). The edge rejects bad input before it gets here, so reaching this is a bug: kind `internal`.
 */
export class LocalCallError extends InternalError {}

/**
 * The one outbound HTTP client for every connector: keep-alive sockets, the request's deadline on every call,
 * retries of reads (network errors, 5xx, 429) with full-jitter backoff or the CRM's Retry-After when it fits,
 * a circuit breaker per CRM host and credential, bounded bodies, no redirects, and CRM answers turned into the
 * bridge's typed errors. It returns parsed JSON as `unknown`: connectors check the shapes they read.
 *
 * Every exchange goes through `HttpService` (@nestjs/axios), by its axios instance (`axiosRef.request`): the
 * instance CrmHttpModule configures, with the app's interceptors, or whatever a test puts in its place.
 */
@Injectable()
export class CrmHttpClient {
  private readonly logger = new Logger(CrmHttpClient.name);
  /**
   * Read once: the app's logger and its levels are set before any module is built (createBridgeApp), and Nest's
   * static `Logger.isLevelEnabled` per call was most of a per-cent of the bridge's CPU (measured with `npm run bench`).
   */
  private readonly debugEnabled = Logger.isLevelEnabled('debug');
  private readonly breakers: CircuitBreakers;
  /** One bulkhead per request (its context): at most `maxInFlightPerRequest` of its calls in flight at once. */
  private readonly inFlight = new WeakMap<RequestContext, BulkheadPolicy>();
  private readonly lastBreaker = new WeakMap<
    RequestContext,
    { origin: string; authorization: string; breaker: CircuitBreakerPolicy }
  >();

  constructor(
    private readonly http: HttpService,
    private readonly metrics: BridgeMetrics,
    @Inject(CRM_HTTP_SETTINGS) private readonly settings: CrmHttpSettings,
  ) {
    this.breakers = new CircuitBreakers(
      settings,
      (error) =>
        error instanceof TransientUpstreamError ||
        (error instanceof DeadlineExceededError && !(error instanceof CallAbandonedError)),
    );
  }

  /** This request's breaker, found once: every call of a screen pop goes to the same CRM host with the same credential. */
  private breakerFor(url: URL, call: CrmCall, context: RequestContext): CircuitBreakerPolicy {
    const last = this.lastBreaker.get(context);
    if (last && last.origin === url.origin && last.authorization === call.authorization) return last.breaker;
    const breaker = this.breakers.for(url.origin, call.authorization);
    this.lastBreaker.set(context, { origin: url.origin, authorization: call.authorization, breaker });
    return breaker;
  }

  /** One call, retried as the rules above allow; one span (with its retries) and one async frame per call. */
  async request(call: CrmCall, context: RequestContext): Promise<unknown> {
    const telemetry = startCrmCall(call, context);
    try {
      // Connectors check each credential field before any call; this is the net under them (and under connectors
      // still to come): credentials undici would refuse in a header are the caller's problem (401), never a 500.
      if (!isHeaderValue(call.authorization)) {
        throw new CredentialsError(`${context.connector}: these credentials cannot be sent in an HTTP header`);
      }
      const url = parseUrl(call);
      const breaker = this.breakerFor(url, call, context);
      for (let attempt = 1; ; attempt++) {
        // The tenant's CRM budget (core's CrmBudget) decides first; a call it sheds is not made, retried or counted.
        const gate = callGateOf(context);
        if (gate) await gate.beforeCall();
        let body: unknown;
        try {
          body = await this.slots(context).execute(() => {
            // Checked before the breaker, once a slot is free: a call never made says nothing about the CRM's health.
            this.ensureTimeLeft(call, context);
            return breaker.execute(() => {
              telemetry.sent();
              return this.send(call, url, context);
            });
          });
        } catch (thrown) {
          const error = isBrokenCircuitError(thrown)
            ? new CircuitOpenError(`${context.connector} is failing; calls are paused for a while`, {
                retryAfterSeconds: Math.ceil(this.settings.breakerHalfOpenAfterMs / 1000),
              })
            : (thrown as BridgeError);
          error.attempts = attempt;
          this.metrics.crmCalls.inc({ connector: context.connector, outcome: error.kind });
          const delayMs = this.retryDelayMs(call, error, attempt, context);
          if (delayMs === undefined) throw error;
          this.metrics.crmRetries.inc({ connector: context.connector });
          telemetry.retried();
          this.logger.debug(`[${context.requestId}] retrying ${describe(call)} in ${delayMs} ms after ${error.kind}`);
          await sleep(delayMs, undefined, { signal: context.deadline.signal }).catch(() => {
            throw context.deadline.timedOut
              ? new DeadlineExceededError(`deadline passed while waiting to retry ${describe(call)}`, { cause: error })
              : new CallAbandonedError(`request already answered; ${describe(call)} not retried`, { cause: error });
          });
          continue;
        }
        this.metrics.crmCalls.inc({ connector: context.connector, outcome: 'ok' });
        telemetry.end();
        return body;
      }
    } catch (error) {
      telemetry.end(error);
      throw error;
    }
  }

  private slots(context: RequestContext): BulkheadPolicy {
    let slots = this.inFlight.get(context);
    if (!slots) {
      // An unbounded queue: the deadline bounds the wait, and a queued call checks it when its turn comes.
      slots = bulkhead(this.settings.maxInFlightPerRequest, Number.POSITIVE_INFINITY);
      this.inFlight.set(context, slots);
    }
    return slots;
  }

  /** How long to wait before the next attempt, or undefined when this failure is final. */
  private retryDelayMs(
    call: CrmCall,
    error: BridgeError,
    attempt: number,
    context: RequestContext,
  ): number | undefined {
    if (!call.read || attempt >= this.settings.maxAttempts) return undefined;
    if (!(error instanceof TransientUpstreamError || error instanceof RateLimitedError)) return undefined;
    const delayMs =
      error.retryAfterSeconds !== undefined
        ? Math.ceil(error.retryAfterSeconds * 1000)
        : fullJitterBackoffMs(attempt, this.settings.baseBackoffMs, this.settings.maxBackoffMs);
    // A retry that would start after the deadline only wastes the CRM's quota.
    return delayMs < context.deadline.remainingMs() ? delayMs : undefined;
  }

  private ensureTimeLeft(call: CrmCall, context: RequestContext): void {
    if (context.deadline.aborted && !context.deadline.timedOut) {
      throw new CallAbandonedError(`request already answered; ${describe(call)} not made`);
    }
    if (context.deadline.remainingMs() <= 0 || context.deadline.aborted) {
      throw new DeadlineExceededError(`no time left for ${describe(call)}`);
    }
  }

  /** One HTTP exchange; request() has checked that time is left. */
  private async send(call: CrmCall, url: URL, context: RequestContext): Promise<unknown> {
    const config = this.config(call, url, context);
    const started = performance.now();
    let response: AxiosResponse<unknown>;
    try {
      response = await this.http.axiosRef.request(config);
    } catch (error) {
      // An HttpService put in this module's place may refuse statuses (axios's default validateStatus): the answer
      // is read all the same.
      if (!isAxiosError(error) || !error.response) throw this.networkError(call, error, context);
      response = error.response;
    } finally {
      this.metrics.crmCallDuration.observe({ connector: context.connector }, (performance.now() - started) / 1000);
    }
    if (this.debugEnabled) {
      this.logger.debug(
        `[${context.requestId}] ${describe(call)} → ${response.status} in ${Math.round(performance.now() - started)} ms`,
      );
    }
    return this.read(call, response, context);
  }

  /**
   * The axios configuration of a call: only what differs from call to call (the instance holds the rest, set once by
   * CrmHttpModule). Plain headers, the query string built here, the body as JSON text, the deadline as the signal.
   * Throws LocalCallError when it cannot be built: a query value encodeURIComponent refuses (a lone UTF-16
   * surrogate), a body JSON.stringify refuses (a BigInt, a cycle).
   */
  private config(call: CrmCall, url: URL, context: RequestContext): AxiosRequestConfig {
    try {
      // axios drops control characters from header values: a credential carrying one would reach the CRM altered.
      if (CONTROL_CHARACTERS.test(call.authorization)) {
        throw new TypeError('the Authorization header holds a control character, which no HTTP header may carry');
      }
      const href = `${url.origin}${url.pathname}${url.search}`;
      const headers: Record<string, string> = { accept: 'application/json', authorization: call.authorization };
      const config: AxiosRequestConfig = {
        method: call.method,
        url: call.params ? withQuery(href, call.params) : href,
        headers,
        signal: context.deadline.aborts,
      };
      if (call.body !== undefined) {
        headers['content-type'] = 'application/json';
        config.data = JSON.stringify(call.body);
      }
      return config;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LocalCallError(`${describe(call)} could not be sent: ${reason}`, { cause: error });
    }
  }

  private read(call: CrmCall, response: AxiosResponse<unknown>, context: RequestContext): unknown {
    const crm = context.connector;
    const { status } = response;
    const headers = response.headers as Record<string, string | string[] | undefined>;
    const text = bodyText(response.data);
    call.onResponseHeaders?.(headers);
    callGateOf(context)?.afterResponse(status, headers);
    if (status >= 400 && status < 500 && status !== 429) {
      const refusal = call.readRefusal?.(status, text);
      if (refusal) throw refusal;
    }
    if (status === 401) throw new CredentialsError(`${crm} rejected the credentials (HTTP 401)`);
    if (status === 403) {
      throw new ForbiddenError(`${crm} refused a call (HTTP 403): the credentials lack a permission it needs`);
    }
    if (status === 404) throw new NotFoundError(`${crm} has no such record (${describe(call)})`);
    if (status === 429) {
      throw new RateLimitedError(`${crm} is rate limiting the bridge (HTTP 429)`, {
        retryAfterSeconds: parseRetryAfter(firstValue(headers['retry-after'])),
      });
    }
    if (status >= 500) throw new TransientUpstreamError(`${crm} failed with HTTP ${status} (${describe(call)})`);
    if (status >= 300 && status < 400) {
      throw new UpstreamError(`${crm} answered with a redirect (HTTP ${status}), which the bridge does not follow`);
    }
    if (status >= 400) throw new UpstreamError(`${crm} refused ${describe(call)} with HTTP ${status}`);

    const contentType = firstValue(headers['content-type']) ?? '';
    if (!/\bjson\b/i.test(contentType)) {
      throw new UpstreamError(`${crm} answered ${describe(call)} with ${contentType || 'no content type'}, not JSON`);
    }
    if (nestsDeeperThan(text)) {
      throw new UpstreamError(
        `${crm} answered ${describe(call)} with JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new UpstreamError(`${crm} answered ${describe(call)} with malformed JSON`);
    }
  }

  private networkError(call: CrmCall, thrown: unknown, context: RequestContext): BridgeError {
    // The adapter's AxiosError carries the transport's error. An AxiosError itself is never kept as a cause: it holds
    // the call's configuration, the Authorization header included.
    const error = isAxiosError(thrown) ? (thrown.cause ?? new Error(thrown.message)) : thrown;
    if (context.deadline.aborted) {
      return context.deadline.timedOut
        ? new DeadlineExceededError(`deadline passed during ${describe(call)}`, { cause: error })
        : new CallAbandonedError(`request already answered; ${describe(call)} abandoned`, { cause: error });
    }
    if (error instanceof AnswerTooLargeError) {
      return new UpstreamError(
        `${context.connector} answered ${describe(call)} with more than ${this.settings.maxResponseBytes} bytes`,
      );
    }
    if (error instanceof CallFailedError) {
      const read = call.readNetworkFailure?.(error.code);
      if (read) return read;
      return new TransientUpstreamError(`${describe(call)} failed: ${error.code ?? error.message}`, { cause: error });
    }
    // CallNotSentError, or anything else raised before the exchange reached the network.
    const reason = error instanceof Error ? error.message : String(error);
    return new LocalCallError(`${describe(call)} could not be sent: ${reason}`, { cause: error });
  }
}

// eslint-disable-next-line no-control-regex -- control characters are what it looks for (axios's set)
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** The body as text: the adapter's always is; an HttpService put in its place may have parsed it already. */
function bodyText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data === undefined || data === null) return '';
  if (data instanceof Uint8Array) return Buffer.from(data).toString('utf8');
  return JSON.stringify(data);
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseUrl(call: CrmCall): URL {
  try {
    return new URL(call.url);
  } catch (error) {
    throw new LocalCallError(`${call.method.toUpperCase()} to a URL that does not parse`, { cause: error });
  }
}

/** Method, host and path: enough to debug, without the query string (emails, phones) or any header. */
function describe(call: CrmCall): string {
  try {
    const url = new URL(call.url);
    return `${call.method.toUpperCase()} ${url.host}${url.pathname}`;
  } catch {
    return `${call.method.toUpperCase()} (a URL that does not parse)`;
  }
}
