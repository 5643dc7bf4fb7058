import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InteractionsService } from '#interactions';
import { HUBSPOT_SANDBOX } from '../../apps/crm-sandbox/src/hubspot/fixtures.js';
import { ShutdownState } from '../../apps/bridge/src/health/health.controller.js';
import { EXAMPLE_REQUEST_ID } from '../../apps/bridge/src/openapi/error-examples.js';
import { CALLER_SECRET_HEADER } from '../../apps/bridge/src/protection/caller-secret.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';
import { OpenApiChecker, parseRawAnswer, type SeenAnswer } from '../support/openapi-checker.js';
import { GLOBEX_AUTH } from '../support/zendesk-tenants.js';

/**
 * Real answers against the OpenAPI document: a request for every status the document lists on every route, and for
 * every example it shows, sent to a real bridge in front of the sandbox CRM. Each answer must be documented (its
 * status, media type, body schema, required headers, and every Retry-After, Allow, x-request-id or Server-Timing it
 * carries), and where it illustrates an example, be that example word for word (the requests carry the examples'
 * x-request-id).
 *
 * Two bridges: `main` with a caller secret (as the document's security says), `limits` with tiny rate limits, a
 * lockout after one CRM rejection and a breaker that one failure opens, each of its scenarios from its own client
 * address (TRUST_PROXY), so that none spends another's allowance.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the served document and answers, read field by field */

const SECRET = 'caller-secret-for-the-document-0001';
const INTERACTIONS = '/{connector}/interactions';
const VALIDATE = '/{connector}/auth/validate';
const zendesk = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/zendesk-request.json'), 'utf8'));
const { auth } = zendesk;
const TICKETS = /^\/zendesk\/acme\/api\/v2\/users\/\d+\/tickets/;
const ZENDESK_API = '/zendesk/acme/api/v2/';
const hubspotRequest = {
  auth: { access_token: HUBSPOT_SANDBOX.acme.token },
  meta: { interaction_types: ['case'] },
  data: { contact_emails: ['jane.doe@example.com'] },
};

let main: BridgeHarness;
let limits: BridgeHarness;
let checker: OpenApiChecker;
let address = 0;

beforeAll(async () => {
  [main, limits] = await Promise.all([
    startBridge({
      env: {
        BRIDGE_CALLER_SECRET: SECRET,
        REQUEST_DEADLINE_MS: '1000',
        CRM_BACKOFF_BASE_MS: '1',
        CRM_BREAKER_FAILURES: '100000',
        HTTP_HEADERS_TIMEOUT_MS: '500',
        HTTP_REQUEST_TIMEOUT_MS: '1000',
      },
    }),
    startBridge({
      env: {
        TRUST_PROXY: '127.0.0.1',
        RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '2',
        RATE_LIMIT_PER_TENANT_PER_MINUTE: '3',
        LOCKOUT_MAX_FAILURES: '1',
        CRM_MAX_ATTEMPTS: '1',
        CRM_BREAKER_FAILURES: '1',
        CRM_BREAKER_HALF_OPEN_MS: '60000',
      },
    }),
  ]);
  // Public, with the caller secret set: a browser cannot send the header to open the page.
  const served = await main.get('/docs/openapi.json');
  expect(served.status).toBe(200);
  checker = new OpenApiChecker(served.body);
});

afterAll(async () => {
  await Promise.all([main?.close(), limits?.close()]);
});

type Route = typeof INTERACTIONS | typeof VALIDATE;
interface Scenario {
  route: Route;
  status: number;
  /** The example this answer is, word for word; none for a success or when the body holds varying data. */
  example?: string;
  send(route: Route): Promise<SeenAnswer>;
}

const urlOf = (route: Route, connector = 'zendesk') => route.replace('{connector}', connector);
const bodyFor = (route: Route, body = zendesk) => (route === INTERACTIONS ? body : { auth: body.auth });
const headers = (more: Record<string, string> = {}) => ({
  'x-request-id': EXAMPLE_REQUEST_ID,
  [CALLER_SECRET_HEADER]: SECRET,
  ...more,
});
/** A client address of its own on the `limits` bridge. */
const newClient = () => ({ 'x-request-id': EXAMPLE_REQUEST_ID, 'x-forwarded-for': `198.51.100.${++address}` });

async function withFault<T>(bridge: BridgeHarness, path: string | RegExp, fault: string, send: () => Promise<T>) {
  bridge.sandbox.faults.add({ path, fault });
  try {
    return await send();
  } finally {
    bridge.sandbox.faults.clear();
  }
}

/** Headers, then one byte of the body, then nothing: the HTTP server answers 408 after HTTP_REQUEST_TIMEOUT_MS. */
function stalledRequest(bridge: BridgeHarness, route: Route): Promise<SeenAnswer> {
  const { hostname, port } = new URL(bridge.bridgeUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (raw += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(parseRawAnswer(raw)));
    socket.write(
      `POST ${urlOf(route)} HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\nContent-Length: 200\r\n` +
        `${CALLER_SECRET_HEADER}: ${SECRET}\r\n\r\n{`,
    );
  });
}

/** A kept-alive connection over a raw socket: one request at a time, each answer read whole. */
class KeptAliveConnection {
  private raw = '';
  private readonly socket;

  constructor(bridge: BridgeHarness) {
    const { hostname, port } = new URL(bridge.bridgeUrl);
    this.socket = connect({ host: hostname, port: Number(port) });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk) => (this.raw += chunk));
  }

  async post(route: Route, body: unknown): Promise<SeenAnswer> {
    const text = JSON.stringify(body);
    const from = this.raw.length;
    this.socket.write(
      `POST ${urlOf(route)} HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
    for (;;) {
      const answer = this.raw.slice(from);
      const head = answer.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(answer)?.[1] ?? NaN);
      if (head >= 0 && Buffer.byteLength(answer.slice(head + 4)) >= length) return parseRawAnswer(answer);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

let closing: Promise<Record<Route, SeenAnswer>> | undefined;
/**
 * Fastify answers a request that arrives while the server is closing, on a connection kept alive because it was
 * busy when close() began (idle ones are closed then). The bridge's own shutdown (shutdown.ts) ends those
 * connections first; this drives Fastify's close() directly, on a bridge of its own, once for both routes.
 */
function answersWhileClosing(): Promise<Record<Route, SeenAnswer>> {
  closing ??= (async () => {
    const bridge = await startBridge({ sandbox: { latencyMs: 200 } });
    const connections = [new KeptAliveConnection(bridge), new KeptAliveConnection(bridge)] as const;
    try {
      const pops = connections.map((connection) => connection.post(INTERACTIONS, zendesk));
      // Both pops have reached the CRM: their connections are busy, so close() leaves them open.
      while (bridge.sandbox.faults.requests < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      const closed = bridge.app.getHttpAdapter().getInstance().close();
      for (const pop of await Promise.all(pops)) expect(pop.status).toBe(200);
      const answers = {
        [INTERACTIONS]: await connections[0].post(INTERACTIONS, zendesk),
        [VALIDATE]: await connections[1].post(VALIDATE, { auth }),
      };
      connections.forEach((connection) => connection.close());
      await closed;
      return answers;
    } finally {
      connections.forEach((connection) => connection.close());
      await bridge.close();
    }
  })();
  return closing;
}

const both = (status: number, example: string | undefined, send: Scenario['send']): Scenario[] => [
  { route: INTERACTIONS, status, example, send },
  { route: VALIDATE, status, example, send },
];

const scenarios: Scenario[] = [
  { route: INTERACTIONS, status: 200, send: (route) => main.post(urlOf(route), zendesk, headers()) },
  ...both(400, 'wrong_shape', (route) =>
    main.post(
      urlOf(route),
      route === INTERACTIONS ? { ...zendesk, meta: { interaction_types: [] } } : { auth: 'acme' },
      headers(),
    ),
  ),
  ...both(400, 'malformed_json', (route) => main.post(urlOf(route), '{"auth":', headers())),
  ...both(401, 'rejected', (route) =>
    main.post(urlOf(route), bodyFor(route, { ...zendesk, auth: { ...auth, token: 'wrong-token' } }), headers()),
  ),
  ...both(401, 'caller_secret', (route) =>
    main.post(urlOf(route), bodyFor(route), { 'x-request-id': EXAMPLE_REQUEST_ID }),
  ),
  ...both(401, 'locked_out', async (route) => {
    // One CRM rejection locks this tenant and address out (LOCKOUT_MAX_FAILURES=1).
    const client = newClient();
    const wrong = bodyFor(route, { ...zendesk, auth: { ...auth, token: 'another-wrong-token' } });
    expect((await limits.post(urlOf(route), wrong, client)).status).toBe(401);
    return limits.post(urlOf(route), wrong, client);
  }),
  ...both(404, 'unknown_connector', (route) => main.post(urlOf(route, 'nosuchcrm'), bodyFor(route), headers())),
  // 405 answers another method than the one documented: checked against the POST operation's 405.
  ...both(405, 'wrong_method', async (route) => {
    const answer = await fetch(`${main.bridgeUrl}${urlOf(route)}`, { headers: headers() });
    return { status: answer.status, headers: answer.headers, text: await answer.text() };
  }),
  ...both(408, 'client_timeout', (route) => stalledRequest(main, route)),
  ...both(413, 'too_large', (route) =>
    main.post(urlOf(route), { ...bodyFor(route), padding: 'x'.repeat(110 * 1024) }, headers()),
  ),
  ...both(415, 'not_json', (route) => main.post(urlOf(route), 'x', { ...headers(), 'content-type': 'text/plain' })),
  ...both(429, 'address', async (route) => {
    const client = newClient();
    for (let i = 0; i < 2; i++) expect((await limits.post(urlOf(route, 'nosuchcrm'), {}, client)).status).toBe(404);
    return limits.post(urlOf(route, 'nosuchcrm'), {}, client);
  }),
  // globex's allowance (3 a minute) is spent by the first; the second finds it spent too.
  {
    route: INTERACTIONS,
    status: 429,
    example: 'tenant',
    send: async (route) => {
      for (let i = 0; i < 3; i++) {
        expect((await limits.post(urlOf(VALIDATE), { auth: GLOBEX_AUTH }, newClient())).status).toBeLessThan(300);
      }
      return limits.post(urlOf(route), { ...zendesk, auth: GLOBEX_AUTH }, newClient());
    },
  },
  {
    route: VALIDATE,
    status: 429,
    example: 'tenant',
    send: (route) => limits.post(urlOf(route), { auth: GLOBEX_AUTH }, newClient()),
  },
  ...both(500, 'unexpected', async (route) => {
    const service = main.app.get(InteractionsService);
    const crash = vi
      .spyOn(service, route === INTERACTIONS ? 'retrieve' : 'verifyCredentials')
      .mockRejectedValueOnce(new TypeError("Cannot read properties of undefined (reading 'x')"));
    try {
      return await main.post(urlOf(route), bodyFor(route), headers());
    } finally {
      crash.mockRestore();
    }
  }),
  ...both(502, 'upstream', (route) =>
    withFault(main, route === INTERACTIONS ? TICKETS : ZENDESK_API, 'status; code=422', () =>
      main.post(urlOf(route), bodyFor(route), headers()),
    ),
  ),
  ...both(503, 'rate_limited', (route) =>
    withFault(main, route === INTERACTIONS ? TICKETS : ZENDESK_API, 'rate-limit; retry-after=30', () =>
      main.post(urlOf(route), bodyFor(route), headers()),
    ),
  ),
  ...both(503, 'closing', async (route) => (await answersWhileClosing())[route]),
  // One failure opens hubspot's breaker for this token (CRM_BREAKER_FAILURES=1): the next calls are refused at once.
  {
    route: INTERACTIONS,
    status: 503,
    example: 'circuit_open',
    send: (route) =>
      withFault(limits, '/hubspot/', 'status; code=500', async () => {
        expect((await limits.post(urlOf(route, 'hubspot'), hubspotRequest, newClient())).status).toBe(502);
        return limits.post(urlOf(route, 'hubspot'), hubspotRequest, newClient());
      }),
  },
  {
    route: VALIDATE,
    status: 503,
    example: 'circuit_open',
    send: (route) => limits.post(urlOf(route, 'hubspot'), { auth: hubspotRequest.auth }, newClient()),
  },
  ...both(504, 'deadline', (route) =>
    withFault(main, route === INTERACTIONS ? TICKETS : ZENDESK_API, 'hang', () =>
      main.post(urlOf(route), bodyFor(route), headers()),
    ),
  ),
];

const answered = new Set<string>();

describe('the document and its UI', () => {
  it('are public with the caller secret set, and say which routes ask for it', async () => {
    expect((await main.get('/docs')).status).toBe(200);
    expect((await main.get('/docs/openapi.json')).status).toBe(200);
    for (const route of [INTERACTIONS, VALIDATE]) {
      expect(checker.document.paths[route].post.security).toEqual([{ callerSecret: [] }]);
    }
    for (const probe of ['/health/live', '/health/ready']) {
      expect(checker.document.paths[probe].get.security).toBeUndefined();
    }
  });
});

describe('every documented status, answered by a real bridge', () => {
  for (const scenario of scenarios) {
    const { route, status, example } = scenario;
    it(`${route} ${status}${example ? ` (${example})` : ''}`, async () => {
      const answer = await scenario.send(route);
      expect(answer.status, answer.text).toBe(status);
      expect(checker.problems(route, 'post', answer)).toEqual([]);
      if (example) {
        const documented = checker.response(route, 'post', status).content['application/json'].examples[example];
        expect(documented, `${route} ${status} has no example ${example}`).toBeDefined();
        expect(JSON.parse(answer.text)).toEqual(documented.value);
        answered.add(`${route} ${status} ${example}`);
      }
      answered.add(`${route} ${status}`);
    });
  }

  // The validator's 200: a JSON object whose fields Talkdesk stores and sends back in `auth` ({} for Zendesk, the
  // token's portal for HubSpot), each answer the document's example word for word.
  it(`${VALIDATE} 200`, async () => {
    const examples = checker.response(VALIDATE, 'post', 200).content['application/json'].examples;
    for (const [connector, requestAuth, example] of [
      ['zendesk', auth, 'accepted'],
      ['hubspot', hubspotRequest.auth, 'hubspot'],
    ] as const) {
      const answer = await main.post(urlOf(VALIDATE, connector), { auth: requestAuth }, headers());
      expect(answer.status, answer.text).toBe(200);
      expect(checker.problems(VALIDATE, 'post', answer)).toEqual([]);
      expect(JSON.parse(answer.text)).toEqual(examples[example].value);
      answered.add(`${VALIDATE} 200 ${example}`);
    }
    answered.add(`${VALIDATE} 200`);
  });

  it('the probes: alive, ready, and not ready once shutting down', async () => {
    for (const path of ['/health/live', '/health/ready']) {
      const answer = await main.get(path);
      expect(answer.status).toBe(200);
      expect(checker.problems(path, 'get', answer)).toEqual([]);
    }
    main.app.get(ShutdownState).begin();
    const notReady = await main.get('/health/ready');
    expect(notReady.status).toBe(503);
    expect(checker.problems('/health/ready', 'get', notReady)).toEqual([]);
    const { shutting_down } = checker.response('/health/ready', 'get', 503).content['application/json'].examples;
    expect(notReady.body).toEqual(shutting_down.value);
  });

  it('leaves no documented status or example of these routes without a real answer', () => {
    const missing: string[] = [];
    for (const route of [INTERACTIONS, VALIDATE]) {
      for (const [status, response] of Object.entries(
        checker.document.paths[route].post.responses as Record<string, any>,
      )) {
        const key = `${route} ${status}`;
        if (!answered.has(key)) missing.push(key);
        for (const name of Object.keys(response.content?.['application/json']?.examples ?? {})) {
          if (!answered.has(`${key} ${name}`)) missing.push(`${key} ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
