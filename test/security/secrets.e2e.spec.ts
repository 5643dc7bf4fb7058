import type { LoggerService } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUBSPOT_SANDBOX } from '../../apps/crm-sandbox/src/hubspot/fixtures.js';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * Credentials never reach logs or answers in clear text, whatever goes wrong: rejected, malformed, CRM failing,
 * retried, at the most verbose log level.
 */
const lines: string[] = [];
// Objects (the access log's fields) are captured as the JSON a log line would hold.
const text = (parts: unknown[]) =>
  parts.map((part) => (typeof part === 'object' ? JSON.stringify(part) : String(part))).join(' ');
const capture: LoggerService = {
  log: (...parts: unknown[]) => void lines.push(text(parts)),
  error: (...parts: unknown[]) => void lines.push(text(parts)),
  warn: (...parts: unknown[]) => void lines.push(text(parts)),
  debug: (...parts: unknown[]) => void lines.push(text(parts)),
  verbose: (...parts: unknown[]) => void lines.push(text(parts)),
};

const zendeskSecret = 'zd-secret-token-7f3a9c1e5b';
const hubspotSecret = 'pat-na1-secret-0000-4d8e2b6a9f';
const { acme } = ZENDESK_SANDBOX;
const jane = acme.users.jane;
let bridge: BridgeHarness;
const answers: string[] = [];

beforeAll(async () => {
  bridge = await startBridge({ logger: capture, env: { CRM_BACKOFF_BASE_MS: '1', CRM_BREAKER_FAILURES: '100' } });
});

afterAll(async () => {
  await bridge.close();
});

async function post(path: string, body: unknown) {
  const response = await bridge.post(path, body);
  answers.push(response.text);
  return response;
}

describe('secrets', () => {
  it('stay out of logs and answers when the CRM rejects them, when the body is malformed, and when the CRM fails', async () => {
    const zendeskAuth = { subdomain: 'acme', email: acme.credentials.email, token: zendeskSecret };
    const data = { contact_emails: [jane.email] };
    expect(
      (await post('/zendesk/interactions', { auth: zendeskAuth, meta: { interaction_types: ['case'] }, data })).status,
    ).toBe(401);
    expect((await post('/zendesk/auth/validate', { auth: zendeskAuth })).status).toBe(401);
    expect(
      (
        await post('/hubspot/interactions', {
          auth: { access_token: hubspotSecret },
          meta: { interaction_types: ['case'] },
          data,
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await post('/zendesk/interactions', {
          auth: { ...zendeskAuth, nested: { token: zendeskSecret } },
          meta: {},
          data,
        })
      ).status,
    ).toBe(400);

    // The CRM failing (500, retried) and hanging up (reset), with credentials it accepts.
    const accepted = { subdomain: 'acme', email: acme.credentials.email, token: acme.credentials.token };
    bridge.sandbox.faults.add({ path: '/zendesk/acme/api/v2/users/search', fault: 'status; code=500' });
    expect(
      (await post('/zendesk/interactions', { auth: accepted, meta: { interaction_types: ['case'] }, data })).status,
    ).toBe(502);
    bridge.sandbox.faults.clear();
    bridge.sandbox.faults.add({ path: '/hubspot/crm/v3/objects/contacts/search', fault: 'reset' });
    const hubspotAccepted = { access_token: HUBSPOT_SANDBOX.acme.token };
    expect(
      (await post('/hubspot/interactions', { auth: hubspotAccepted, meta: { interaction_types: ['case'] }, data }))
        .status,
    ).toBe(502);
    bridge.sandbox.faults.clear();

    // The most verbose lines were captured too: the client's retries and each CRM call.
    expect(lines.some((line) => line.includes('retrying'))).toBe(true);
    expect(lines.some((line) => line.includes('→ 401'))).toBe(true);
    // And the access log: one line per request, none with a secret either.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines.filter((line) => line.includes('"msg":"request"'))).toHaveLength(answers.length);
    const basic = Buffer.from(`${acme.credentials.email}/token:${acme.credentials.token}`).toString('base64');
    for (const secret of [zendeskSecret, hubspotSecret, acme.credentials.token, HUBSPOT_SANDBOX.acme.token, basic]) {
      expect(
        lines.filter((line) => line.includes(secret)),
        secret,
      ).toEqual([]);
      expect(
        answers.filter((answer) => answer.includes(secret)),
        secret,
      ).toEqual([]);
    }
  });
});
