import type { LoggerService } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMICS_SANDBOX } from '../../apps/crm-sandbox/src/dynamics/fixtures.js';
import { ZENDESK_SANDBOX } from '../../apps/crm-sandbox/src/zendesk/fixtures.js';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * Input meant to hurt, end to end over real HTTP against the sandbox CRM: it gets a 4xx before any CRM call, it
 * never counts toward a circuit breaker, it cannot grow /metrics, and no answer names a CRM host or record id.
 */
const lines: string[] = [];
const keep = (...parts: unknown[]) => void lines.push(parts.map(String).join(' '));
const capture: LoggerService = { log: keep, error: keep, warn: keep, debug: keep, verbose: keep };

const { acme } = ZENDESK_SANDBOX;
const jane = acme.users.jane;
const AUTH = { subdomain: acme.subdomain, email: acme.credentials.email, token: acme.credentials.token };
const LONE_SURROGATE = '\ud800';

let bridge: BridgeHarness;

beforeAll(async () => {
  // A breaker that opens after 2 failures: what a lone surrogate used to do to a tenant.
  bridge = await startBridge({
    logger: capture,
    env: { CRM_BREAKER_FAILURES: '2', CRM_MAX_ATTEMPTS: '1' },
    sandbox: { zendesk: { rateLimitPerMinute: 1_000_000 } },
  });
});

afterEach(() => bridge.sandbox.faults.clear());

afterAll(async () => {
  await bridge.close();
});

function request(data: Record<string, unknown>, overrides: { auth?: Record<string, string>; types?: string[] } = {}) {
  return { auth: overrides.auth ?? AUTH, meta: { interaction_types: overrides.types ?? ['case'] }, data };
}

describe('a lone UTF-16 surrogate', () => {
  const cases: [string, unknown][] = [
    ['data.contact_emails', request({ contact_emails: [`jane${LONE_SURROGATE}@example.com`] })],
    ['data.contact_phones', request({ contact_phones: [`+1404555${LONE_SURROGATE}0127`] })],
    ['data.contact_name', request({ contact_name: `Jane ${LONE_SURROGATE}Doe` })],
    ['data.contact_external_id', request({ contact_external_id: `1${LONE_SURROGATE}` })],
    ['meta.interaction_types', request({ contact_emails: [jane.email] }, { types: [`case${LONE_SURROGATE}`] })],
    ['auth', request({ contact_emails: [jane.email] }, { auth: { ...AUTH, token: `${AUTH.token}${LONE_SURROGATE}` } })],
  ];

  it.each(cases)('in %s: 400 naming the field, before any CRM call', async (field, body) => {
    const response = await bridge.post('/zendesk/interactions', body);
    expect(response.status).toBe(400);
    expect(response.body.fields.map((problem: { field: string }) => problem.field)).toContain(field);
    if (field === 'auth') expect(response.body.message).toContain('auth.token');
    expect(bridge.sandbox.faults.requests).toBe(0);
  });

  it('in auth on the validator: 400 naming the field', async () => {
    const response = await bridge.post('/zendesk/auth/validate', {
      auth: { ...AUTH, email: `a${LONE_SURROGATE}@acme.example` },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('auth.email');
    expect(bridge.sandbox.faults.requests).toBe(0);
  });

  it('does not lock the tenant out, however many such requests come first', async () => {
    for (let i = 0; i < 5; i++) {
      for (const [, body] of cases) expect((await bridge.post('/zendesk/interactions', body)).status).toBe(400);
    }
    const response = await bridge.post('/zendesk/interactions', request({ contact_emails: [jane.email] }));
    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);
  });

  it('a valid surrogate pair (an emoji) is text like any other', async () => {
    const response = await bridge.post('/zendesk/interactions', request({ contact_name: 'Nobody 😀 Known' }));
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });
});

describe('deeply nested JSON', () => {
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it.each(['/zendesk/interactions', '/zendesk/auth/validate'])(
    '2,500 levels in an ignored extra field of %s: 400',
    async (path) => {
      const body = JSON.stringify(request({ contact_emails: [jane.email] })).replace(/}$/, `,"extra":${deep(2_500)}}`);
      expect(body.length).toBeLessThan(16 * 1024);
      const response = await bridge.post(path, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/nested/),
      });
      expect(bridge.sandbox.faults.requests).toBe(0);
    },
  );

  it('brackets inside strings do not count, and a few levels of extras are ignored as before', async () => {
    const body = { ...request({ contact_emails: [jane.email] }), note: '['.repeat(5_000), extra: JSON.parse(deep(10)) };
    const response = await bridge.post('/zendesk/interactions', body);
    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);
  });
});

// The parser refuses `__proto__` and `constructor.prototype`; the validation pipe strips a bare `constructor` or
// `prototype` key (request-validation.ts). Either way the body is refused, and nothing is polluted.
describe('prototype keys in the body', () => {
  const valid = JSON.stringify(request({ contact_emails: [jane.email] }));
  it.each([
    ['__proto__ at the top', valid.replace(/}$/, ',"__proto__":{"polluted":true}}')],
    ['__proto__ in data', valid.replace('"data":{', '"data":{"__proto__":{"contact_name":"x"},')],
    ['constructor.prototype in auth', valid.replace('"auth":{', '"auth":{"constructor":{"prototype":{"x":"y"}},')],
    // What the fuzz found: a 500 when the pipe skipped stripping.
    [
      'a bare constructor key where a string belongs',
      valid.replace('"data":{', '"data":{"contact_external_id":{"constructor":"x"},'),
    ],
  ])('%s: 400 before any CRM call, and nothing polluted', async (_, body) => {
    const response = await bridge.post('/zendesk/interactions', body);
    expect(response.status).toBe(400);
    expect(bridge.sandbox.faults.requests).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('/metrics', () => {
  const seriesCount = async () =>
    (await bridge.get('/metrics')).text.split('\n').filter((line) => /^bridge_/.test(line)).length;

  it('stays bounded: 1,000 distinct unsupported types and 100 unknown connectors add no series', async () => {
    // One of each first, so that the fixed "other" and "unknown" series exist.
    await bridge.post('/zendesk/interactions', request({ contact_emails: [jane.email] }, { types: ['warm-up'] }));
    await bridge.post('/warm-up/interactions', request({ contact_emails: [jane.email] }));
    const before = await seriesCount();

    for (let batch = 0; batch < 50; batch++) {
      const types = Array.from({ length: 20 }, (_, i) => `junk-${batch}-${i}`);
      const response = await bridge.post('/zendesk/interactions', request({ contact_emails: [jane.email] }, { types }));
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    }
    for (let i = 0; i < 100; i++) {
      expect((await bridge.post(`/nosuchcrm${i}/interactions`, request({ contact_emails: [jane.email] }))).status).toBe(
        404,
      );
    }

    const text = (await bridge.get('/metrics')).text;
    expect(await seriesCount()).toBe(before);
    expect(text).not.toMatch(/junk-|nosuchcrm/);
    expect(text).toMatch(/bridge_unsupported_interaction_types_total\{connector="zendesk",type="other"\} 1001/);
  });
});

describe('other methods on the retriever paths', () => {
  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s: 405 with Allow: POST', async (method) => {
    for (const path of ['/zendesk/interactions', '/zendesk/auth/validate']) {
      const response = await fetch(`${bridge.bridgeUrl}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      const body = await response.json();
      expect(body).toMatchObject({
        statusCode: 405,
        error: 'Method Not Allowed',
        requestId: response.headers.get('x-request-id'),
      });
    }
  });
});

describe('error bodies', () => {
  it('name no CRM host, port or record id; the log line by request id has them', async () => {
    const sandboxHost = new URL(bridge.sandbox.url).host;
    const port = new URL(bridge.sandbox.url).port;
    const answers: { requestId: string; text: string }[] = [];

    bridge.sandbox.faults.add({ path: `/zendesk/${acme.subdomain}/api/v2/users/search`, fault: '500' });
    let response = await bridge.post('/zendesk/interactions', request({ contact_emails: [jane.email] }));
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({ cause: 'upstream', requestId: expect.any(String) });
    answers.push({ requestId: response.body.requestId, text: response.text });
    bridge.sandbox.faults.clear();

    // Every type fails on Jane's tickets: the CRM path names her user id.
    bridge.sandbox.faults.add({ path: `/zendesk/${acme.subdomain}/api/v2/users/${jane.id}/tickets`, fault: '404' });
    response = await bridge.post(
      '/zendesk/interactions',
      request({ contact_emails: [jane.email] }, { types: ['case', 'task'] }),
    );
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({
      cause: 'not_found',
      failures: [
        { type: 'case', cause: 'not_found' },
        { type: 'task', cause: 'not_found' },
      ],
    });
    answers.push({ requestId: response.body.requestId, text: response.text });

    for (const { requestId, text } of answers) {
      expect(text).not.toContain(sandboxHost);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain(`:${port}`);
      expect(text).not.toContain(`/users/${jane.id}`);
      expect(text).not.toMatch(/\/api\/v2\//);
      const logged = lines.filter((line) => line.includes(requestId)).join('\n');
      expect(logged).toContain(sandboxHost);
    }
  });
});

describe('a per-customer CRM host from the request (Dynamics 365 org_url)', () => {
  const dynamics = DYNAMICS_SANDBOX.acme;
  const pop = (auth: Record<string, string>) =>
    bridge.post('/dynamics/interactions', {
      auth,
      meta: { interaction_types: ['case'] },
      data: { contact_emails: [dynamics.contacts.jane.email] },
    });

  it.each([
    'https://169.254.169.254',
    'https://localhost',
    `https://acme.crm.dynamics.com@${new URL('http://127.0.0.1').host}`,
    'https://acme.crm.dynamics.com.attacker.example',
    'https://acme.crm.dynamics.com:4010',
    'https://acme.crm.dynamics.com/../../zendesk',
    `https://acme${LONE_SURROGATE}.crm.dynamics.com`,
  ])('%j: refused before any CRM call, the token never echoed', async (org_url) => {
    const response = await pop({ ...dynamics.auth, org_url });
    expect([400, 401]).toContain(response.status);
    expect(response.text).not.toContain(dynamics.auth.access_token);
    expect(bridge.sandbox.faults.requests).toBe(0);
  });

  it('opens no breaker and locks nobody out: the org answers right after', async () => {
    for (let i = 0; i < 5; i++)
      expect((await pop({ ...dynamics.auth, org_url: 'https://evil.example' })).status).toBe(401);
    const response = await pop(dynamics.auth);
    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);
  });
});
