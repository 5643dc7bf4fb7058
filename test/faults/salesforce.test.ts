import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { salesforceSandboxOf, type SalesforceOrg } from '../../apps/crm-sandbox/src/salesforce/index.js';
import { SALESFORCE_SANDBOX } from '../../apps/crm-sandbox/src/salesforce/fixtures.js';
import type { BridgeHarness } from '../support/bridge-harness.js';
import { AT_ONCE_MS, captureLogs, metric, startDrillBridge } from './drill-support.js';

/**
 * Salesforce's own failures, drilled end to end. The stand-in org fails the way Salesforce documents: an expired
 * session is 401 INVALID_SESSION_ID, a spent daily allowance is 403 REQUEST_LIMIT_EXCEEDED, and inside a composite
 * one subrequest can fail (here: Notes not enabled in the org, so ContentNote or Note is not a supported object) while
 * the others answer.
 */
const { acme } = SALESFORCE_SANDBOX;
const { jane } = acme.contacts;
const ALL_TYPES = ['case', 'task', 'call', 'note'];

let bridge: BridgeHarness;
let org: SalesforceOrg;
beforeAll(async () => {
  bridge = await startDrillBridge();
  org = salesforceSandboxOf(bridge.sandbox.app).org(acme.host);
});
afterAll(async () => {
  await bridge.close();
});

let mark = 0;
beforeEach(() => {
  mark = bridge.sandbox.faults.received(/^\/salesforce\//).length;
});
const calls = () => bridge.sandbox.faults.received(/^\/salesforce\//).length - mark;

function pop(
  auth: Record<string, string> = acme.auth,
  data: Record<string, unknown> = { contact_external_id: jane.id },
) {
  return bridge.post('/salesforce/interactions', { auth, meta: { interaction_types: ALL_TYPES }, data });
}

describe('Salesforce fault drills', () => {
  it('an expired session (401 INVALID_SESSION_ID) is a 401, so Talkdesk refreshes the token', async () => {
    const response = await pop(acme.expiredAuth);
    expect(response.status).toBe(401);
    expect(response.text).not.toContain(acme.expiredAuth.access_token);
    expect(calls()).toBe(1);
  });

  it("the org's spent allowance (403 REQUEST_LIMIT_EXCEEDED) is a rate limit: 503 with Retry-After, not retried", async () => {
    const saved = { used: org.apiUsed, limit: org.apiLimit };
    org.apiUsed = org.apiLimit = 15_000;
    try {
      const logs = captureLogs();
      const response = await pop();
      const lines = logs.lines();
      logs.restore();
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('60');
      expect(response.body).toMatchObject({ cause: 'rate_limited' });
      // The answer says only what kind of failure it was; Salesforce's error code is in the request's log line.
      const requestId = response.headers.get('x-request-id')!;
      expect(lines.filter((line) => line.includes(requestId)).join('\n')).toMatch(/REQUEST_LIMIT_EXCEEDED/);
      expect(calls()).toBe(1);
      expect(response.servedMs).toBeLessThan(AT_ONCE_MS); // as the bridge timed itself: no retry, no backoff
    } finally {
      org.apiUsed = saved.used;
      org.apiLimit = saved.limit;
    }
  });

  it('the allowance spent once the contact is known: every type fails as rate limited, 503 with Retry-After', async () => {
    const saved = { used: org.apiUsed, limit: org.apiLimit };
    // The phone search spends the last call; the composite that reads the types is refused.
    org.apiLimit = 20_000;
    org.apiUsed = org.apiLimit - 1;
    try {
      const response = await pop(acme.auth, { contact_phones: ['404-555-0127'] });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('60');
      expect(response.body.failures).toEqual(ALL_TYPES.map((type) => ({ type, cause: 'rate_limited' })));
      expect(calls()).toBe(2);
    } finally {
      org.apiUsed = saved.used;
      org.apiLimit = saved.limit;
    }
  });

  it('both note queries failing fails only note: the others still answer, in the same single call', async () => {
    const logs = captureLogs();
    const before = await metric(bridge, 'bridge_interaction_type_failures_total', {
      connector: 'salesforce',
      type: 'note',
      cause: 'upstream',
    });
    org.disable('ContentNote');
    org.disable('Note');
    try {
      const response = await pop();
      expect(response.status).toBe(200);
      const types = new Set(response.body.map((item: { type: string }) => item.type));
      expect([...types].sort()).toEqual(['call', 'case', 'task']);
      expect(calls()).toBe(1);
      expect(
        await metric(bridge, 'bridge_interaction_type_failures_total', {
          connector: 'salesforce',
          type: 'note',
          cause: 'upstream',
        }),
      ).toBe(before + 1);
      expect(logs.lines().some((line) => /salesforce note failed: upstream: .*HTTP 400 INVALID_TYPE/.test(line))).toBe(
        true,
      );
    } finally {
      org.enable('ContentNote');
      org.enable('Note');
      logs.restore();
    }
  });

  it('an org without classic Notes still answers its ContentNotes, the loss counted as a partial note', async () => {
    const labels = { connector: 'salesforce', type: 'note', cause: 'upstream' };
    const partialBefore = await metric(bridge, 'bridge_partial_results_total', labels);
    const failedBefore = await metric(bridge, 'bridge_interaction_type_failures_total', labels);
    org.disable('Note');
    try {
      const response = await pop();
      expect(response.status).toBe(200);
      const notes = response.body.filter((item: { type: string }) => item.type === 'note');
      expect(notes.map((item: { id: string }) => item.id).sort()).toEqual(
        jane.noteIds
          .filter((id) => !jane.classicNoteIds.includes(id))
          .map((id) => `note:${id}`)
          .sort(),
      );
      expect(calls()).toBe(1);
      expect(await metric(bridge, 'bridge_partial_results_total', labels)).toBe(partialBefore + 1);
      expect(await metric(bridge, 'bridge_interaction_type_failures_total', labels)).toBe(failedBefore);
    } finally {
      org.enable('Note');
    }
  });

  it('the one Task query failing fails task and call together; case and note answer', async () => {
    org.disable('Task');
    try {
      const response = await pop();
      expect(response.status).toBe(200);
      const types = new Set(response.body.map((item: { type: string }) => item.type));
      expect([...types].sort()).toEqual(['case', 'note']);
      expect(calls()).toBe(1);
    } finally {
      org.enable('Task');
    }
  });

  it('a 5xx on the composite is retried like any read, then answers in full', async () => {
    const rule = bridge.sandbox.faults.add({
      method: 'POST',
      path: `/salesforce/${acme.host}/`,
      fault: 'status; code=503',
      times: 1,
    });
    const response = await pop();
    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);
    expect(rule.applied).toBe(1);
    expect(calls()).toBe(2);
  });
});
