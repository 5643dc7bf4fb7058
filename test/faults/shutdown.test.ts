import { request as httpRequest, Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { startBridgeProcess, type BridgeProcess } from './support/bridge-process.js';

/**
 * The shutdown sequence (docs/contract.md, "Shutdown"), drilled on a real process: requests are in flight against a
 * slow CRM when SIGTERM arrives. Every one of them gets its full answer; readiness answers 503 during the drain, while
 * the bridge still serves; the process exits 0 within SHUTDOWN_TIMEOUT_MS.
 */
const CRM_LATENCY_MS = 300;
const DRAIN_DELAY_MS = 1_000;
const DEADLINE_MS = 8_000;
const SHUTDOWN_TIMEOUT_MS = 12_000;

const { acme } = ZENDESK_SANDBOX;
const JANE = JSON.stringify({
  auth: { subdomain: acme.subdomain, email: acme.credentials.email, token: acme.credentials.token },
  meta: { interaction_types: ['case', 'task', 'note'] },
  data: { contact_emails: [acme.users.jane.email] },
});

let bridge: BridgeProcess | undefined;

afterEach(() => {
  if (bridge && bridge.child.exitCode === null) bridge.child.kill('SIGKILL');
  bridge = undefined;
});

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
  servedMs: number;
}

/** POSTs Jane's request over a kept-alive connection, as Talkdesk's HTTP client would. */
function retrieve(url: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/zendesk/interactions`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(JANE) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            connection: res.headers.connection,
            body,
            servedMs: Number(/total;dur=([\d.]+)/.exec(String(res.headers['server-timing']))?.[1]),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JANE);
  });
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIGTERM with requests in flight', () => {
  it('answers every request in full, reports not ready while draining, and exits 0 within the bound', async () => {
    bridge = await startBridgeProcess({
      CRM_SANDBOX: 'embedded',
      SANDBOX_LATENCY_MS: String(CRM_LATENCY_MS),
      REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      // A breaker that a single failed CRM call would open: shutting down must not fail any.
      CRM_BREAKER_FAILURES: '1',
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    try {
      const healthy = await retrieve(bridge.url, agent);
      expect(healthy.status).toBe(200);
      const items = JSON.parse(healthy.body) as unknown[];
      expect(items.length).toBeGreaterThan(0);
      expect((await fetch(`${bridge.url}/health/ready`)).status).toBe(200);

      // Six requests in flight (each makes several CRM calls of 300 ms), on the kept-alive connections.
      const inFlight = Array.from({ length: 6 }, () => retrieve(bridge!.url, agent));
      inFlight.forEach((answer) => void answer.catch(() => {})); // awaited below; no unhandled rejection if a check fails first
      await settle(CRM_LATENCY_MS / 2);
      const sigtermAt = performance.now();
      bridge.child.kill('SIGTERM');

      // Draining: not ready at once, yet still serving new requests.
      await settle(100);
      const readiness = await fetch(`${bridge.url}/health/ready`);
      expect(readiness.status).toBe(503);
      const duringDrain = retrieve(bridge.url, new Agent({ keepAlive: false }));

      const answers = await Promise.all([...inFlight, duringDrain]);
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body).toBe(healthy.body);
        // Answered after SIGTERM: the connection is not kept alive.
        expect(answer.connection).toBe('close');
        expect(answer.servedMs).toBeLessThan(DEADLINE_MS);
      }

      const { code, signal, at } = await bridge.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(at - sigtermAt).toBeGreaterThanOrEqual(DRAIN_DELAY_MS - 50);
      expect(at - sigtermAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
      // No CRM call failed, no breaker opened, nothing was cut short.
      expect(bridge.output()).not.toMatch(
        /circuit|(case|task|note) failed|shutdown failed|did not finish|→ [45]\d\d|Health Check has failed/,
      );
      expect(bridge.output()).toMatch(/stopped \(SIGTERM\)/);
    } finally {
      agent.destroy();
    }
  }, 120_000);
});
