import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '#sandbox';
import { startBridgeProcess, type BridgeProcess } from '../faults/support/bridge-process.js';

/** The Redis every developer and CI machine runs (.ci/run starts it when it is not there). */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** A key prefix of its own per test run, so that runs (and helpers on one machine) never see each other's keys. */
export function testKeyPrefix(test: string): string {
  return `budget-cache:${test}:${randomBytes(6).toString('hex')}:`;
}

/** The sandbox CRM, in this process, counting every CRM request it answers by tenant, and its 429s. */
export interface CountingSandbox extends RunningSandbox {
  /** Requests answered so far for a Zendesk subdomain (`acme`), faults and 429s included. */
  zendeskCalls(subdomain: string): number;
  /** Every CRM request so far, whatever the CRM. */
  totalCalls(): number;
  /** 429s the sandbox answered. */
  tooManyRequests(): number;
}

export async function startCountingSandbox(options: SandboxOptions = {}): Promise<CountingSandbox> {
  const sandbox = await startSandbox({ ...options, port: 0 });
  const bySubdomain = new Map<string, number>();
  let total = 0;
  let tooMany = 0;
  // The sandbox's own request log, read off its HTTP server: what reached the "CRM", independent of the bridge.
  sandbox.app.server.on('request', (request, response) => {
    const url = request.url ?? '';
    if (url.startsWith('/__sandbox/')) return;
    total++;
    const subdomain = /^\/zendesk\/([^/]+)\//.exec(url)?.[1];
    if (subdomain) bySubdomain.set(subdomain, (bySubdomain.get(subdomain) ?? 0) + 1);
    response.once('finish', () => {
      if (response.statusCode === 429) tooMany++;
    });
  });
  return {
    ...sandbox,
    zendeskCalls: (subdomain) => bySubdomain.get(subdomain) ?? 0,
    totalCalls: () => total,
    tooManyRequests: () => tooMany,
  };
}

/** Bridge processes (`npm start`'s entry point) in front of one sandbox, sharing `env` (REDIS_URL, …). */
export async function startReplicas(count: number, sandbox: RunningSandbox, env: Record<string, string>) {
  return Promise.all(
    Array.from({ length: count }, () =>
      startBridgeProcess({
        CRM_SANDBOX: 'off',
        CRM_SANDBOX_URL: sandbox.url,
        SHUTDOWN_DRAIN_DELAY_MS: '0',
        // Every replica must hash credentials the same way to share entries.
        CACHE_KEY_SECRET: 'replicas-test-secret-0123456789abcdef',
        CACHE_CONTACT_TTL_SECONDS: '600',
        CACHE_INTERACTIONS_TTL_SECONDS: '30',
        CACHE_COALESCE: 'on',
        // The CRM budget's default (headroom, no fixed share), not SHARING_OFF's 0.
        CRM_BUDGET_SHARE: '',
        // A loaded 2-core test machine can stall an event loop for longer than the production default (250 ms);
        // a timeout would (rightly) fall back to memory and the replicas would stop sharing.
        REDIS_COMMAND_TIMEOUT_MS: '2000',
        ...env,
      }),
    ),
  );
}

export async function stopReplicas(replicas: BridgeProcess[]): Promise<void> {
  await Promise.all(
    replicas.map(async (replica) => {
      if (replica.child.exitCode === null) replica.child.kill('SIGTERM');
      await replica.exited;
    }),
  );
}

export interface PopAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed JSON, asserted by each test
  headers: Headers;
}

/** A screen pop over real HTTP; `headers` are sent with it (e.g. X-Forwarded-For). */
export async function pop(
  bridgeUrl: string,
  connector: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<PopAnswer> {
  const response = await fetch(`${bridgeUrl}/${connector}/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** The sum of a metric's samples on a bridge's /metrics, optionally only those whose labels contain `labels`. */
export async function metricSum(bridgeUrl: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${bridgeUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** A redis-server of the test's own on a free loopback port, to stop and kill at will. */
export async function startOwnRedis(): Promise<{ url: string; process: ChildProcess; kill(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    child.stdout!.on('data', () => {
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    process: child,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
