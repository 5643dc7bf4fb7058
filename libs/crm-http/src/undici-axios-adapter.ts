import axios, {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import type { Dispatcher } from 'undici';
import { AnswerTooLargeError, CallFailedError, type CrmAnswer, type UndiciTransport } from './undici-transport.js';

/**
 * The axios adapter under the CRM client's `HttpService`: every exchange goes through `UndiciTransport.send` (its
 * keep-alive pools, bounded body, no redirects), so axios adds its configuration, interceptors and error types and
 * nothing else. It keeps the contract of axios's own adapters that interceptors rely on: `signal` aborts the exchange,
 * `validateStatus` decides what settles (the CRM client's instance has none: it reads statuses itself), a body over
 * `maxContentLength` (by default the bridge's `maxResponseBytes`) fails with ERR_BAD_RESPONSE, and every failure is an AxiosError whose `cause` is the transport's
 * error (CallFailedError: it reached the network; CallNotSentError: nothing was sent). The body is always text:
 * whoever reads it parses it (the CRM client parses JSON itself, with no transformResponse).
 */
export function undiciAxiosAdapter(transport: UndiciTransport, maxResponseBytes: number): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse<string>> => {
    const { origin, path } = target(config);
    const method = (config.method ?? 'get').toUpperCase() as Dispatcher.HttpMethod;
    const maxBytes =
      config.maxContentLength !== undefined && config.maxContentLength > -1
        ? config.maxContentLength
        : maxResponseBytes;
    // What axios's adapters attach to an error as `request`: method and origin only, no path (ids, emails) and no
    // header (credentials).
    const request = { method, origin };
    let answer: CrmAnswer;
    try {
      answer = await transport.send({
        method,
        origin,
        path,
        headers: plainHeaders(config.headers),
        body: requestBody(config.data),
        signal: config.signal as Parameters<UndiciTransport['send']>[0]['signal'],
        maxBytes,
      });
    } catch (error) {
      throw axiosErrorFor(error, config, request);
    }
    const response: AxiosResponse<string> = {
      data: answer.text,
      status: answer.status,
      statusText: '',
      headers: asAxiosHeaders(answer.headers),
      config,
      request,
    };
    if (!config.validateStatus || config.validateStatus(answer.status)) return response;
    throw new AxiosError(
      `Request failed with status code ${answer.status}`,
      answer.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
      config,
      request,
      response,
    );
  };
}

/**
 * Origin and path of the call. The CRM client sends absolute URLs with their query already encoded; a `baseURL`,
 * `params` or a relative URL (an interceptor's, say) go through axios's own URL building first.
 */
function target(config: InternalAxiosRequestConfig): { origin: string; path: string } {
  const { url = '', baseURL, params } = config;
  const absolute = baseURL || params !== undefined || !ABSOLUTE_HTTP.test(url) ? axios.getUri(config) : url;
  const parsed = new URL(absolute);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

const ABSOLUTE_HTTP = /^https?:\/\//i;

/** The request's headers as undici takes them: a plain object of strings, without the unset ones. */
function plainHeaders(headers: InternalAxiosRequestConfig['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  for (const name in headers) {
    const value: unknown = headers[name];
    if (value === undefined || value === null || value === false || typeof value === 'function') continue;
    plain[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return plain;
}

/** A string or bytes: with no transformRequest, a body is sent as the caller gave it (the CRM client's is JSON text). */
function requestBody(data: unknown): string | Uint8Array | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError('the CRM HTTP adapter sends strings and bytes only: serialise the body first');
}

/**
 * undici's response headers (lower-case names, string or string[] values, already validated by its parser) as an
 * AxiosHeaders without building one header by header: axios would otherwise build it twice per answer (once for
 * transformData, once for the response), checking and normalising every name and value each time.
 */
function asAxiosHeaders(headers: CrmAnswer['headers']): AxiosHeaders {
  return Object.assign(Object.create(AxiosHeaders.prototype) as AxiosHeaders, headers);
}

function axiosErrorFor(error: unknown, config: InternalAxiosRequestConfig, request: object): AxiosError {
  if (error instanceof AnswerTooLargeError) {
    return AxiosError.from(error, AxiosError.ERR_BAD_RESPONSE, config, request);
  }
  if (error instanceof CallFailedError) return AxiosError.from(error, error.code, config, request);
  // CallNotSentError, or anything else raised before the exchange reached the network: no request was made.
  return AxiosError.from(error as Error, undefined, config);
}
