import type { HttpModuleOptions } from '@nestjs/axios';
import type { AxiosInstance, AxiosInterceptorOptions, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { CrmHttpSettings } from './crm-http-settings.js';
import { undiciAxiosAdapter } from './undici-axios-adapter.js';
import type { UndiciTransport } from './undici-transport.js';

/** One axios interceptor, as `axios.interceptors.<request|response>.use(onFulfilled, onRejected)` takes it. */
export interface AxiosInterceptor<V> {
  onFulfilled?: (value: V) => V | Promise<V>;
  onRejected?: (error: unknown) => unknown;
}

/** A request interceptor may say more: `synchronous: true` when it returns the config itself (no promise chained). */
export interface AxiosRequestInterceptor extends AxiosInterceptor<InternalAxiosRequestConfig> {
  options?: AxiosInterceptorOptions;
}

/** What an app may add to the CRM client's axios instance. */
export interface CrmHttpModuleOptions {
  /**
   * Installed in order on the one axios instance every CRM call goes through, retries included (auth refresh, request
   * signing, logging of your own). They see the call as the client builds it: an absolute `url` with its query
   * string, plain `headers`, a JSON string as `data`; the response's `data` is the body as text, whatever the status.
   */
  interceptors?: {
    request?: AxiosRequestInterceptor[];
    response?: AxiosInterceptor<AxiosResponse>[];
  };
}

/**
 * The axios configuration of every CRM call, set once on the instance: the undici adapter (bounding bodies at
 * `maxResponseBytes`), and nothing else. No `transformRequest` or `transformResponse`: the client sends JSON text and
 * parses answers itself. No `validateStatus`: every status settles (the client reads statuses itself, and a refusal
 * costs no AxiosError and no stack trace). No timeout: the request's deadline aborts the call. They are left out rather
 * than set empty because axios merges every key of the instance's defaults into every call's configuration: the three
 * keys cost 1.5 µs of CPU per call (bench/per-call.ts).
 */
export function crmAxiosDefaults(transport: UndiciTransport, settings: CrmHttpSettings): HttpModuleOptions {
  return { adapter: undiciAxiosAdapter(transport, settings.maxResponseBytes) };
}

/**
 * Finishes an instance made from crmAxiosDefaults. `axios.create` merges axios's global defaults into the instance's
 * (transforms, a status check, header groups per method, transitional options, environment classes, XSRF names, a
 * zero timeout); none applies to a CRM call, and axios merges and checks every one of them into every call's
 * configuration, so the instance keeps only the bridge's own, and an empty `headers` for whoever adds defaults there.
 * Then the app's interceptors are installed, in order.
 */
export function configureCrmAxios(
  axios: AxiosInstance,
  defaults: HttpModuleOptions,
  options: CrmHttpModuleOptions = {},
): AxiosInstance {
  // In place: the instance's request function holds the defaults object, not the `defaults` property.
  const own = axios.defaults as Record<string, unknown>;
  for (const key of Object.keys(own)) delete own[key];
  Object.assign(own, defaults, { headers: {} });
  for (const { onFulfilled, onRejected, options: use } of options.interceptors?.request ?? []) {
    axios.interceptors.request.use(onFulfilled, onRejected, use);
  }
  for (const { onFulfilled, onRejected } of options.interceptors?.response ?? []) {
    axios.interceptors.response.use(onFulfilled, onRejected);
  }
  return axios;
}
