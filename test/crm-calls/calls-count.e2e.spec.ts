import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeMetrics } from '#interactions';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { startBridge, type BridgeHarness, type HarnessResponse } from '../support/bridge-harness.js';

/**
 * What a pop costs the CRM account, as the bridge reports it: the `crm;desc="calls=N"` entry of Server-Timing and
 * the `bridge_crm_calls_per_request` histogram, both checked against the calls the sandbox CRM received.
 */
const { acme } = ZENDESK_SANDBOX;
const { jane } = acme.users;
const auth = { subdomain: acme.subdomain, email: acme.credentials.email, token: acme.credentials.token };
const TYPES = ['case', 'note', 'task'];

let bridge: BridgeHarness;

beforeAll(async () => {
  bridge = await startBridge({ env: { CRM_BACKOFF_BASE_MS: '1' } });
});

afterAll(async () => {
  await bridge.close();
});

function toldCalls(response: HarnessResponse): number | undefined {
  const told = /crm;desc="calls=(\d+)"/.exec(response.headers.get('server-timing') ?? '')?.[1];
  return told === undefined ? undefined : Number(told);
}

/** A pop, and the calls the sandbox received for it (tests here run one pop at a time). */
async function pop(data: Record<string, unknown>, body?: unknown) {
  const before = bridge.sandbox.faults.received('/zendesk/').length;
  const response = await bridge.post(
    '/zendesk/interactions',
    body ?? { auth, meta: { interaction_types: TYPES }, data },
  );
  return { response, received: bridge.sandbox.faults.received('/zendesk/').length - before };
}

async function histogram(connector: string): Promise<{ count: number; sum: number }> {
  const metric = await bridge.app.get(BridgeMetrics).crmCallsPerRequest.get();
  const value = (name: string) =>
    metric.values.find((sample) => sample.metricName === name && sample.labels.connector === connector)?.value ?? 0;
  return { count: value('bridge_crm_calls_per_request_count'), sum: value('bridge_crm_calls_per_request_sum') };
}

describe('CRM calls per request', () => {
  it('Server-Timing counts the calls the CRM received: user, one page of tickets, the notes tickets’ comments', async () => {
    const { response, received } = await pop({ contact_external_id: String(jane.id) });
    expect(response.status).toBe(200);
    // Independent of the bridge: what the seeded data makes a pop by id cost with today's call pattern.
    const noteTickets = Math.min(10, jane.ticketIds.length); // ZENDESK_NOTE_TICKETS default
    expect(received).toBe(1 + 1 + noteTickets);
    expect(toldCalls(response)).toBe(received);
    expect(response.headers.get('server-timing')).toMatch(/^total;dur=[\d.]+, crm;desc="calls=\d+"$/);
  });

  it('counts a retried call twice: the CRM account is charged for both', async () => {
    const quiet = await pop({ contact_external_id: String(jane.id) });
    bridge.sandbox.faults.add({ path: /^\/zendesk\/acme\/api\/v2\/users\/\d+$/, fault: 'status; code=503', times: 1 });
    const { response, received } = await pop({ contact_external_id: String(jane.id) });
    expect(response.status).toBe(200);
    expect(received).toBe(quiet.received + 1);
    expect(toldCalls(response)).toBe(received);
  });

  it('is 0 for a request refused before any CRM call', async () => {
    const { response, received } = await pop({}, { auth: { subdomain: 'acme' }, meta: { interaction_types: TYPES } });
    expect(response.status).toBe(400);
    expect(received).toBe(0);
    expect(toldCalls(response)).toBe(0);
  });

  it('feeds bridge_crm_calls_per_request, one sample per request, by connector', async () => {
    const before = await histogram('zendesk');
    const first = await pop({ contact_emails: [jane.email] });
    const second = await pop({ contact_emails: ['nobody@nowhere.example'] });
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    const after = await histogram('zendesk');
    expect(after.count - before.count).toBe(2);
    expect(after.sum - before.sum).toBe(first.received + second.received);
    expect((await histogram('hubspot')).count).toBe(0);
  });
});
