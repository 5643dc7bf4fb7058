import type { DynamicModule, LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '#sandbox';
import { loadBridgeConfig, SHARING_OFF } from '../../apps/bridge/src/bridge-config.js';
import { createBridgeApp } from '../../apps/bridge/src/create-bridge-app.js';

export interface BridgeHarness {
  /** e.g. http://127.0.0.1:41234 */
  bridgeUrl: string;
  sandbox: RunningSandbox;
  app: NestFastifyApplication;
  /** POSTs JSON (or a raw string) to the bridge over real HTTP. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<HarnessResponse>;
  get(path: string): Promise<HarnessResponse>;
  close(): Promise<void>;
}

export interface HarnessResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed JSON, asserted by each test
  text: string;
  /** As the test saw it: from sending the request to the last byte of the answer. */
  elapsedMs: number;
  /** As the bridge saw it (its Server-Timing header): from receiving the request to sending the answer. */
  servedMs: number | undefined;
}

/**
 * These tests drive the CRM's behaviour pop by pop (a fault injected, then the answer checked), often many pops a
 * second on one account, so the bridge caches nothing and budgets nothing unless a test asks for it (SHARING_OFF):
 * test/replicas covers the cache, coalescing and the CRM budget.
 */

/**
 * The bridge and the sandbox CRM, both on loopback, over real HTTP: what end-to-end tests run against.
 * `env` adds or overrides environment variables for the bridge (e.g. REQUEST_DEADLINE_MS); a function of the
 * sandbox for variables that name its address.
 */
export async function startBridge(
  options: {
    env?: Record<string, string> | ((sandbox: RunningSandbox) => Record<string, string>);
    sandbox?: SandboxOptions;
    logs?: boolean;
    logger?: LoggerService;
    /** The app's options for every connector's HTTP client (`CrmHttpModule.forRoot`). */
    crmHttp?: DynamicModule;
  } = {},
): Promise<BridgeHarness> {
  const sandbox = await startSandbox({ ...options.sandbox, port: 0 });
  const env = typeof options.env === 'function' ? options.env(sandbox) : options.env;
  const environment = { CRM_SANDBOX: 'off', CRM_SANDBOX_URL: sandbox.url, ...SHARING_OFF, ...env };
  const app = await createBridgeApp({
    config: loadBridgeConfig(environment),
    environment,
    logger: options.logger ?? (options.logs ? undefined : false),
    crmHttp: options.crmHttp,
  });
  await app.listen(0, '127.0.0.1');
  const bridgeUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const started = performance.now();
    const response = await fetch(`${bridgeUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const elapsedMs = performance.now() - started;
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const servedMs = /total;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1];
    return {
      status: response.status,
      headers: response.headers,
      body: parsed,
      text,
      elapsedMs,
      servedMs: servedMs === undefined ? undefined : Number(servedMs),
    };
  }

  return {
    bridgeUrl,
    sandbox,
    app,
    post: (path, body, headers) => call('POST', path, body, headers),
    get: (path) => call('GET', path),
    close: async () => {
      await app.close();
      await sandbox.close();
    },
  };
}
