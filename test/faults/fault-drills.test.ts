import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeHarness } from '../support/bridge-harness.js';
import {
  ALL_TYPES,
  AT_ONCE_MS,
  DEADLINE_MS,
  DEADLINE_SLACK_MS,
  MAX_ATTEMPTS,
  MAX_RESPONSE_BYTES,
  ROUTES,
  acme,
  captureLogs,
  janeRequest,
  metric,
  settle,
  startDrillBridge,
} from './drill-support.js';

/**
 * One end-to-end drill per sandbox fault (docs/fault-drills.md): Talkdesk → bridge → sandbox CRM over loopback,
 * the fault injected on the sandbox route named, and the exact answer Talkdesk gets and how soon it gets it.
 * Faults on the tickets route fail `case`, `task` and `note` together (notes are read from the tickets); faults
 * on the comments route fail `note` alone.
 */
type Item = { id: string; type: string; url?: string };

let bridge: BridgeHarness;
/** Jane's full answer with a healthy CRM. */
let healthy: Item[];
const withoutNotes = () => healthy.filter((item) => item.type !== 'note');

beforeAll(async () => {
  bridge = await startDrillBridge();
  const response = await bridge.post('/zendesk/interactions', janeRequest());
  expect(response.status).toBe(200);
  healthy = response.body;
  expect(new Set(healthy.map((item) => item.type))).toEqual(new Set(ALL_TYPES));
});

afterEach(() => bridge.sandbox.faults.clear());

afterAll(async () => {
  await bridge.close();
});

const retrieve = () => bridge.post('/zendesk/interactions', janeRequest());
const callsTo = (path: string | RegExp) => bridge.sandbox.faults.received(path).length;

/**
 * Jane's request, and the bridge's warn and error lines about it. A 5xx answer says only what kind of failure it
 * was; the details (status, method, host, path) are in the log line with the same request id.
 */
async function retrieveLogged() {
  const logs = captureLogs();
  try {
    const response = await retrieve();
    const requestId = response.headers.get('x-request-id')!;
    return {
      response,
      log: logs
        .lines()
        .filter((line) => line.includes(requestId))
        .join('\n'),
    };
  } finally {
    logs.restore();
  }
}

/** Every type failed for the same cause: what the body says. */
function allFailed(cause: string) {
  return {
    statusCode: expect.any(Number),
    error: expect.any(String),
    message: expect.stringMatching(/^every asked interaction type failed/),
    requestId: expect.any(String),
    cause,
    failures: ALL_TYPES.map((type) => ({ type, cause })),
  };
}

describe('fault: added latency', () => {
  it('within the deadline: the full answer, as late as the CRM', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'latency; ms=300' });
    const response = await retrieve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(healthy);
    expect(response.elapsedMs).toBeGreaterThanOrEqual(300);
    expect(response.servedMs).toBeLessThan(DEADLINE_MS);
  });

  it('past the deadline: 504 deadline, at the deadline', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'latency; ms=5000' });
    const response = await retrieve();
    expect(response.status).toBe(504);
    expect(response.body).toEqual(allFailed('deadline'));
    expect(response.elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(response.servedMs).toBeLessThan(DEADLINE_MS + DEADLINE_SLACK_MS);
  });

  it('on the comments only: 200 without notes, at the deadline', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.comments, fault: 'latency; ms=5000' });
    const response = await retrieve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(withoutNotes());
    expect(response.servedMs).toBeLessThan(DEADLINE_MS + DEADLINE_SLACK_MS);
  });
});

describe('fault: any status code', () => {
  it.each([500, 502, 503, 504])('%i on every try: 502 upstream after the retries', async (status) => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: { kind: 'status', status } });
    const { response, log } = await retrieveLogged();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('upstream'));
    expect(log).toContain(`HTTP ${status}`);
    expect(callsTo(ROUTES.tickets)).toBe(MAX_ATTEMPTS);
    expect(response.servedMs).toBeLessThan(AT_ONCE_MS);
  });

  it('a 5xx once: retried, the full answer', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: '503', times: 1 });
    const response = await retrieve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(healthy);
    expect(callsTo(ROUTES.tickets)).toBe(2);
  });

  it.each([400, 409, 422])('%i: 502 upstream, not retried', async (status) => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: { kind: 'status', status } });
    const response = await retrieve();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('upstream'));
    expect(callsTo(ROUTES.tickets)).toBe(1);
    expect(response.servedMs).toBeLessThan(AT_ONCE_MS);
  });

  it('404 on the tickets: 502 (the CRM lost a record it just named), not retried', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: '404' });
    const response = await retrieve();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('not_found'));
    expect(callsTo(ROUTES.tickets)).toBe(1);
  });

  it('401: 401, so that Talkdesk refreshes its token; not retried', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: { kind: 'status', status: 401 } });
    const response = await retrieve();
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      failures: ALL_TYPES.map((type) => ({ type, cause: 'credentials' })),
    });
    expect(response.body.message).toContain('HTTP 401');
    expect(response.headers.get('retry-after')).toBeNull();
    expect(callsTo(ROUTES.tickets)).toBe(1);
  });

  // A 403 is a missing permission, which a token refresh cannot fix; 401 would make Talkdesk refresh a valid token
  // in a loop.
  it('403: 502 cause forbidden, never 401; not retried', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: { kind: 'status', status: 403 } });
    const response = await retrieve();
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({
      statusCode: 502,
      cause: 'forbidden',
      failures: ALL_TYPES.map((type) => ({ type, cause: 'forbidden' })),
    });
    expect(response.body.message).toContain('HTTP 403');
    expect(response.headers.get('retry-after')).toBeNull();
    expect(callsTo(ROUTES.tickets)).toBe(1);
  });

  it('500 on the contact search: 502 upstream (no contact, no types)', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.search, fault: '500' });
    const { response, log } = await retrieveLogged();
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ statusCode: 502, cause: 'upstream' });
    expect(log).toContain('HTTP 500');
    expect(callsTo(ROUTES.search)).toBe(MAX_ATTEMPTS);
  });

  it('500 on the comments only: 200 partial, the failure logged with connector, type, cause, attempts and counted', async () => {
    const logs = captureLogs();
    try {
      const before = await metric(bridge, 'bridge_interaction_type_failures_total', {
        connector: 'zendesk',
        type: 'note',
        cause: 'upstream',
      });
      bridge.sandbox.faults.add({ path: ROUTES.comments, fault: '500' });
      const response = await retrieve();
      expect(response.status).toBe(200);
      expect(response.body).toEqual(withoutNotes());
      const requestId = response.headers.get('x-request-id');
      expect(logs.lines()).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^\\[${requestId}\\] zendesk note failed: upstream: .*HTTP 500.* \\(attempts: ${MAX_ATTEMPTS}\\)$`,
          ),
        ),
      );
      expect(
        await metric(bridge, 'bridge_interaction_type_failures_total', {
          connector: 'zendesk',
          type: 'note',
          cause: 'upstream',
        }),
      ).toBe(before + 1);
    } finally {
      logs.restore();
    }
  });
});

describe('fault: 429 with Retry-After', () => {
  it('Retry-After (seconds) longer than the deadline: 503 with that Retry-After at once, one call', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'rate-limit; retry-after=30' });
    const response = await retrieve();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.body).toEqual(allFailed('rate_limited'));
    expect(callsTo(ROUTES.tickets)).toBe(1);
    expect(response.servedMs).toBeLessThan(AT_ONCE_MS);
  });

  it('Retry-After as an HTTP date a minute ahead: 503 with the seconds until then', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: { kind: 'rate-limit', retryAfter: at } });
    const response = await retrieve();
    expect(response.status).toBe(503);
    const seconds = Number(response.headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(55);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(response.body).toEqual(allFailed('rate_limited'));
  });

  it("Retry-After beyond the CRM's documented window (999999 s, a year ahead): 503 with Zendesk's minute at most", async () => {
    // The last, 400 digits, is more seconds than a double holds.
    for (const retryAfter of ['999999', new Date(Date.now() + 365 * 86_400_000).toUTCString(), '9'.repeat(400)]) {
      const headers = { 'retry-after': retryAfter };
      bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: { kind: 'status', status: 429, headers } });
      const response = await retrieve();
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('60');
      bridge.sandbox.faults.clear();
    }
  });

  it('Retry-After: 0 once: retried at once, the full answer', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'rate-limit; retry-after=0', times: 1 });
    const response = await retrieve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(healthy);
    expect(callsTo(ROUTES.tickets)).toBe(2);
  });

  it('Retry-After as a past HTTP date once: retried at once, the full answer', async () => {
    const past = new Date(Date.now() - 10_000).toUTCString();
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: { kind: 'rate-limit', retryAfter: past }, times: 1 });
    const response = await retrieve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(healthy);
  });

  it('no Retry-After, every try: 503 rate limited after the retries, Retry-After 1', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'rate-limit' });
    const response = await retrieve();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body).toEqual(allFailed('rate_limited'));
    expect(callsTo(ROUTES.tickets)).toBe(MAX_ATTEMPTS);
  });

  it('on the comments only: 200 without notes', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.comments, fault: 'rate-limit; retry-after=30' });
    const response = await retrieve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(withoutNotes());
  });
});

describe('fault: 429 with a Retry-After that fits the deadline', () => {
  let roomy: BridgeHarness;
  const ROOMY_DEADLINE_MS = 2_500;

  beforeAll(async () => {
    roomy = await startDrillBridge({ REQUEST_DEADLINE_MS: String(ROOMY_DEADLINE_MS) });
  });
  afterAll(async () => {
    await roomy.close();
  });

  it('Retry-After: 1 once, deadline 2.5 s: waits the second, retries, the full answer', async () => {
    roomy.sandbox.faults.add({ path: ROUTES.tickets, fault: 'rate-limit; retry-after=1', times: 1 });
    const response = await roomy.post('/zendesk/interactions', janeRequest());
    expect(response.status).toBe(200);
    expect(response.body).toEqual(healthy);
    expect(roomy.sandbox.faults.received(ROUTES.tickets)).toHaveLength(2);
    expect(response.elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(response.servedMs).toBeLessThan(ROOMY_DEADLINE_MS);
  });
});

describe('fault: hanging forever', () => {
  it('on the tickets: 504 deadline within deadline + 100 ms; the sandbox holds nothing afterwards', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'hang' });
    const response = await retrieve();
    expect(response.status).toBe(504);
    expect(response.body).toEqual(allFailed('deadline'));
    expect(response.servedMs).toBeLessThan(DEADLINE_MS + DEADLINE_SLACK_MS);
    await settle(50);
    expect(bridge.sandbox.faults.hanging).toBe(0);
  });

  it('on the comments only: 200 without notes within deadline + 100 ms', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.comments, fault: 'hang' });
    const response = await retrieve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(withoutNotes());
    expect(response.servedMs).toBeLessThan(DEADLINE_MS + DEADLINE_SLACK_MS);
    await settle(50);
    expect(bridge.sandbox.faults.hanging).toBe(0);
  });
});

describe('fault: connection reset', () => {
  it('every try: 502 upstream after the retries', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'reset' });
    const response = await retrieve();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('upstream'));
    expect(callsTo(ROUTES.tickets)).toBe(MAX_ATTEMPTS);
    expect(response.servedMs).toBeLessThan(AT_ONCE_MS);
  });

  it('once: retried, the full answer', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'reset', times: 1 });
    const response = await retrieve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(healthy);
  });

  it('mid-body (after 20 bytes of the real answer), every try: 502 upstream after the retries', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'reset; after-bytes=20' });
    const response = await retrieve();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('upstream'));
    expect(callsTo(ROUTES.tickets)).toBe(MAX_ATTEMPTS);
  });
});

describe('fault: truncated or malformed JSON', () => {
  it.each(['truncated-json', 'malformed-json'])('%s: 502 upstream "malformed JSON", not retried', async (fault) => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault });
    const { response, log } = await retrieveLogged();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('upstream'));
    expect(log).toMatch(/malformed JSON/);
    expect(callsTo(ROUTES.tickets)).toBe(1);
    expect(response.servedMs).toBeLessThan(AT_ONCE_MS);
  });

  it('malformed JSON on the contact search: 502 upstream', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.search, fault: 'malformed-json' });
    const { response, log } = await retrieveLogged();
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ cause: 'upstream' });
    expect(log).toMatch(/malformed JSON/);
  });
});

describe('fault: an HTML error page', () => {
  it('with 200: 502 upstream "text/html, not JSON", not retried', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'html' });
    const { response, log } = await retrieveLogged();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('upstream'));
    expect(log).toMatch(/text\/html.*not JSON/);
    expect(callsTo(ROUTES.tickets)).toBe(1);
  });

  it('with 502 (a proxy page): retried as a 5xx, then 502 upstream', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'html; status=502' });
    const { response, log } = await retrieveLogged();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('upstream'));
    expect(log).toContain('HTTP 502');
    expect(callsTo(ROUTES.tickets)).toBe(MAX_ATTEMPTS);
  });
});

describe('fault: a slow trickle body', () => {
  it('slower than the deadline: 504 deadline within deadline + 100 ms', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'trickle; bytes=16; interval-ms=50' });
    const response = await retrieve();
    expect(response.status).toBe(504);
    expect(response.body).toEqual(allFailed('deadline'));
    expect(response.servedMs).toBeLessThan(DEADLINE_MS + DEADLINE_SLACK_MS);
  });

  it('fast enough: the full answer', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'trickle; bytes=4096; interval-ms=20' });
    const response = await retrieve();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(healthy);
  });
});

describe('defensive reading', () => {
  it(`an answer over CRM_MAX_RESPONSE_BYTES: 502 upstream, not retried`, async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: { kind: 'oversize', bytes: MAX_RESPONSE_BYTES * 4 } });
    const { response, log } = await retrieveLogged();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('upstream'));
    expect(log).toContain(`more than ${MAX_RESPONSE_BYTES} bytes`);
    expect(callsTo(ROUTES.tickets)).toBe(1);
  });

  it('a redirect: not followed, 502 upstream', async () => {
    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'redirect' });
    const { response, log } = await retrieveLogged();
    expect(response.status).toBe(502);
    expect(response.body).toEqual(allFailed('upstream'));
    expect(log).toMatch(/redirect \(HTTP 302\)/);
    expect(callsTo(ROUTES.tickets)).toBe(1); // the Location (same path, ?__redirected=1) was never asked for
  });

  it('a malformed item: dropped and counted, the rest returned', async () => {
    const page = (await (
      await fetch(`${bridge.sandbox.url}${ROUTES.tickets}?sort_by=created_at&sort_order=desc&per_page=1`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${acme.credentials.email}/token:${acme.credentials.token}`).toString('base64')}`,
        },
      })
    ).json()) as { tickets: { id: number; type: string | null }[] };
    const newest = page.tickets[0]!;
    // The corrupted ticket reads as an empty record: not a task, so the `case` provider maps it and the core drops it.
    const before = await metric(bridge, 'bridge_dropped_items_total', { connector: 'zendesk', type: 'case' });

    bridge.sandbox.faults.add({ path: ROUTES.tickets, fault: 'corrupt-items; count=1' });
    const response = await retrieve();
    expect(response.status).toBe(200);
    const lost = (item: Item) => item.id === `case:${newest.id}` || item.url?.endsWith(`/tickets/${newest.id}`);
    expect(healthy.some(lost)).toBe(true);
    expect(response.body).toEqual(healthy.filter((item) => !lost(item)));
    expect(await metric(bridge, 'bridge_dropped_items_total', { connector: 'zendesk', type: 'case' })).toBe(before + 1);
  });
});

describe('fan-out', () => {
  it('a request with many CRM calls in flight at once raises no process warning (no listener leak on its deadline)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // The heavy user: `note` reads the comments of 10 tickets at once, all slowed so that they overlap.
      bridge.sandbox.faults.add({ path: ROUTES.comments, fault: 'latency; ms=100' });
      const response = await bridge.post('/zendesk/interactions', {
        ...janeRequest(),
        data: { contact_emails: [acme.users.heavy.email!] },
      });
      expect(response.status).toBe(200);
      expect(bridge.sandbox.faults.received(ROUTES.comments).length).toBeGreaterThanOrEqual(10);
      await settle(10);
      expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('fault injection per request', () => {
  it('the sandbox honours x-sandbox-fault and __fault on a call of its own', async () => {
    const auth = `Basic ${Buffer.from(`${acme.credentials.email}/token:${acme.credentials.token}`).toString('base64')}`;
    const viaHeader = await fetch(`${bridge.sandbox.url}${ROUTES.tickets}`, {
      headers: { authorization: auth, 'x-sandbox-fault': 'rate-limit; retry-after=9' },
    });
    expect(viaHeader.status).toBe(429);
    expect(viaHeader.headers.get('retry-after')).toBe('9');
    const viaQuery = await fetch(`${bridge.sandbox.url}${ROUTES.tickets}?__fault=html`, {
      headers: { authorization: auth },
    });
    expect(viaQuery.headers.get('content-type')).toMatch(/text\/html/);
  });
});
