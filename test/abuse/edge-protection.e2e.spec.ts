import { afterEach, describe, expect, it } from 'vitest';
import { CALLER_SECRET_HEADER } from '../../apps/bridge/src/protection/caller-secret.js';
import { MetricsListener } from '../../apps/bridge/src/metrics/metrics-listener.js';
import { ACME_AUTH, ACME_WRONG, GLOBEX_AUTH, janeRequest, startCountedBridge, type CountedBridge } from './support.js';

/** Inbound limits, the credential lockout, the caller secret and the metrics listener, over real HTTP. */
let bridge: CountedBridge | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

const from = (address: string) => ({ 'x-forwarded-for': address });

describe('per-address rate limit', () => {
  it('answers 429 with Retry-After once an address is over its limit, before any CRM call', async () => {
    bridge = await startCountedBridge({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i++) expect((await bridge.post('/zendesk/interactions', janeRequest())).status).toBe(200);
    const before = bridge.crmRequests();
    expect(before).toBeGreaterThan(0);

    const refused = await bridge.post('/zendesk/interactions', janeRequest());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', requestId: expect.any(String) });
    expect(bridge.crmRequests()).toBe(before);
    // The probes stay out of it: Kubernetes must see a busy pod as alive.
    expect((await bridge.get('/health/live')).status).toBe(200);
    const metrics = await bridge.get('/metrics');
    expect(metrics.text).toMatch(/bridge_inbound_rejections_total\{reason="address_limit"\} 1/);
    // The docs do not: anyone can fetch them.
    expect((await bridge.get('/docs/openapi.json')).status).toBe(429);
  });

  it('counts each client address apart when TRUST_PROXY names the load balancer', async () => {
    bridge = await startCountedBridge({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1', TRUST_PROXY: '127.0.0.1/32' });
    expect((await bridge.post('/zendesk/interactions', janeRequest(), from('203.0.113.7'))).status).toBe(200);
    expect((await bridge.post('/zendesk/interactions', janeRequest(), from('203.0.113.7'))).status).toBe(429);
    expect((await bridge.post('/zendesk/interactions', janeRequest(), from('198.51.100.9'))).status).toBe(200);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: a client cannot pick the address it is counted by', async () => {
    bridge = await startCountedBridge({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1' });
    expect((await bridge.post('/zendesk/interactions', janeRequest(), from('203.0.113.7'))).status).toBe(200);
    expect((await bridge.post('/zendesk/interactions', janeRequest(), from('198.51.100.9'))).status).toBe(429);
  });
});

describe('per-tenant rate limit', () => {
  it("answers 429 for a tenant over its limit, before any CRM call, while another tenant's requests go on", async () => {
    bridge = await startCountedBridge({ RATE_LIMIT_PER_TENANT_PER_MINUTE: '2' });
    expect((await bridge.post('/zendesk/interactions', janeRequest())).status).toBe(200);
    expect((await bridge.post('/zendesk/auth/validate', { auth: ACME_AUTH })).status).toBe(200);
    const before = bridge.crmRequests();
    // The account name is the tenant, however it is spelt: the alias and capitals do not make a new one.
    const respelt = { account: ' ACME ', email: ACME_AUTH.email, token: ACME_AUTH.token };
    const refused = await bridge.post('/zendesk/interactions', janeRequest(respelt));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(bridge.crmRequests()).toBe(before);
    expect((await bridge.post('/zendesk/interactions', janeRequest(GLOBEX_AUTH))).status).toBe(200);
  });

  it("is spent only by what the tenant's valid credentials ask for: junk from a stranger leaves it whole", async () => {
    bridge = await startCountedBridge({ RATE_LIMIT_PER_TENANT_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1' });
    const stranger = from('203.0.113.66');
    // Answered without a CRM call (a type Zendesk does not have), refused by the CRM, or malformed: none is the
    // tenant's own request.
    for (let i = 0; i < 20; i++) {
      const junk = { ...ACME_WRONG, token: `junk-${i}` };
      const unsupported = { auth: junk, meta: { interaction_types: ['call'] }, data: { contact_emails: ['a@b.c'] } };
      expect((await bridge.post('/zendesk/interactions', unsupported, from(`203.0.113.${i}`))).status).toBe(200);
    }
    for (let i = 0; i < 5; i++) {
      expect(
        (await bridge.post('/zendesk/interactions', janeRequest({ ...ACME_WRONG, token: `g-${i}` }), stranger)).status,
      ).toBe(401);
    }
    // The tenant's three: served; its fourth: over its own limit.
    const talkdesk = from('198.51.100.20');
    for (let i = 0; i < 3; i++) {
      const answer = await bridge.post('/zendesk/interactions', janeRequest(), talkdesk);
      expect(answer.status).toBe(200);
      expect(answer.body.length).toBeGreaterThan(0);
    }
    expect((await bridge.post('/zendesk/interactions', janeRequest(), talkdesk)).status).toBe(429);
    // Varying valid credentials (an extra field) does not escape it: accepted, they are charged afterwards.
    const varied = { ...ACME_AUTH, note: 'x' };
    expect((await bridge.post('/zendesk/interactions', janeRequest(varied), talkdesk)).status).toBe(429);
  });
});

describe('credential lockout', () => {
  const env = { LOCKOUT_MAX_FAILURES: '3', TRUST_PROXY: '127.0.0.1' };

  it("stops a guessing loop after the configured number of CRM rejections, while Talkdesk's address keeps working", async () => {
    bridge = await startCountedBridge(env);
    const attacker = from('203.0.113.66');
    for (let guess = 0; guess < 3; guess++) {
      const before = bridge.crmRequests();
      const answer = await bridge.post(
        '/zendesk/interactions',
        janeRequest({ ...ACME_WRONG, token: `guess-${guess}` }),
        attacker,
      );
      expect(answer.status).toBe(401);
      expect(bridge.crmRequests()).toBeGreaterThan(before); // each guess cost the CRM a call
    }
    const before = bridge.crmRequests();
    const locked = await bridge.post(
      '/zendesk/interactions',
      janeRequest({ ...ACME_WRONG, token: 'guess-3' }),
      attacker,
    );
    expect(locked.status).toBe(401);
    expect(locked.body.message).toMatch(/too often/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800); // LOCKOUT_SECONDS: 900 by default
    // Any credential the CRM has not accepted lately is refused from the attacker's address: a right guess too.
    expect((await bridge.post('/zendesk/auth/validate', { auth: ACME_AUTH }, attacker)).status).toBe(401);
    expect(bridge.crmRequests()).toBe(before);

    // Talkdesk, from its own address, with the valid credential: answered as usual.
    expect((await bridge.post('/zendesk/interactions', janeRequest(), from('198.51.100.20'))).status).toBe(200);
    // And another tenant from the attacker's address is not locked.
    expect((await bridge.post('/zendesk/interactions', janeRequest(GLOBEX_AUTH), attacker)).status).toBe(200);
    expect((await bridge.get('/metrics')).text).toMatch(/bridge_inbound_rejections_total\{reason="lockout"\} 2/);
  });

  it('counts refusals of malformed credentials too, made before any CRM call, for that address alone', async () => {
    bridge = await startCountedBridge(env);
    const attacker = from('203.0.113.66');
    const { token: _token, ...noToken } = ACME_AUTH;
    const malformed = [
      noToken,
      { ...ACME_AUTH, token: 'a\r\nX-Injected: 1' },
      { ...ACME_AUTH, token: 'x'.repeat(5_000) },
    ];
    for (const auth of malformed)
      expect((await bridge.post('/zendesk/interactions', janeRequest(auth), attacker)).status).toBe(401);
    expect(bridge.crmRequests()).toBe(0);
    const locked = await bridge.post('/zendesk/interactions', janeRequest(), attacker);
    expect(locked.status).toBe(401);
    expect(locked.body.message).toMatch(/too often/);
    expect((await bridge.post('/zendesk/interactions', janeRequest(), from('198.51.100.20'))).status).toBe(200);
  });

  it("never refuses a credential the CRM accepted lately: a stranger sharing Talkdesk's address cannot lock the tenant out", async () => {
    bridge = await startCountedBridge(env);
    // Talkdesk's address, shared by every Talkdesk customer: a stranger can send from it too (its own Talkdesk
    // account, configured with acme's subdomain and guessed tokens).
    const talkdesk = from('198.51.100.20');
    expect((await bridge.post('/zendesk/interactions', janeRequest(), talkdesk)).status).toBe(200);
    for (let guess = 0; guess < 5; guess++) {
      await bridge.post('/zendesk/interactions', janeRequest({ ...ACME_WRONG, token: `guess-${guess}` }), talkdesk);
    }
    expect(
      (await bridge.post('/zendesk/interactions', janeRequest({ ...ACME_WRONG, token: 'guess-5' }), talkdesk)).body
        .message,
    ).toMatch(/too often/);
    // acme's working credential, from the same address: served.
    const served = await bridge.post('/zendesk/interactions', janeRequest(), talkdesk);
    expect(served.status).toBe(200);
    expect(served.body.length).toBeGreaterThan(0);
    expect((await bridge.post('/zendesk/auth/validate', { auth: ACME_AUTH }, talkdesk)).status).toBe(200);
  });
});

describe('caller secret', () => {
  const current = 'current-secret-0123456789abcdef';
  const next = 'next-secret-fedcba9876543210';

  it('gates every route but the probes and /metrics, accepting either of two values', async () => {
    bridge = await startCountedBridge({ BRIDGE_CALLER_SECRET: `${current}, ${next}` });
    const refusedWithout = await bridge.post('/zendesk/interactions', janeRequest());
    expect(refusedWithout.status).toBe(401);
    expect(refusedWithout.body.message).toMatch(/caller secret/);
    expect(
      (await bridge.post('/zendesk/interactions', janeRequest(), { [CALLER_SECRET_HEADER]: 'wrong' })).status,
    ).toBe(401);
    expect(
      (await bridge.post('/zendesk/interactions', janeRequest(), { [CALLER_SECRET_HEADER]: current.slice(0, -1) }))
        .status,
    ).toBe(401);
    expect(bridge.crmRequests()).toBe(0);

    expect(
      (await bridge.post('/zendesk/interactions', janeRequest(), { [CALLER_SECRET_HEADER]: current })).status,
    ).toBe(200);
    expect((await bridge.post('/zendesk/interactions', janeRequest(), { [CALLER_SECRET_HEADER]: next })).status).toBe(
      200,
    );

    // Before anything else: the wrong media type, an unknown route, the wrong method.
    expect((await bridge.post('/zendesk/interactions', 'x', { 'content-type': 'text/plain' })).status).toBe(401);
    expect((await bridge.get('/zendesk/interactions')).status).toBe(401);
    expect((await bridge.get('/nothing-here')).status).toBe(401);
    expect((await bridge.get('/docsx')).status).toBe(401);
    // Open: the probes, the scrape, and the API's document and UI (a browser cannot send the header).
    expect((await bridge.get('/health/live')).status).toBe(200);
    expect((await bridge.get('/health/ready')).status).toBe(200);
    expect((await bridge.get('/metrics')).status).toBe(200);
    for (const docs of ['/docs', '/docs/', '/docs/openapi.json', '/docs/swagger-ui-init.js', '/docs/swagger-ui.css']) {
      expect((await bridge.get(docs)).status, docs).toBe(200);
    }
  });

  it("is found in the `auth` hash (Talkdesk's integration settings)", async () => {
    bridge = await startCountedBridge({ BRIDGE_CALLER_SECRET: current });
    expect(
      (await bridge.post('/zendesk/interactions', janeRequest({ ...ACME_AUTH, bridge_caller_secret: current }))).status,
    ).toBe(200);
    expect(
      (await bridge.post('/zendesk/auth/validate', { auth: { ...ACME_AUTH, bridge_caller_secret: current } })).status,
    ).toBe(200);
    const wrong = await bridge.post('/zendesk/interactions', janeRequest({ ...ACME_AUTH, bridge_caller_secret: next }));
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(next);
    const calls = bridge.crmRequests();
    expect((await bridge.post('/zendesk/interactions', janeRequest())).status).toBe(401);
    expect(bridge.crmRequests()).toBe(calls);
  });

  it('is not asked for when BRIDGE_CALLER_SECRET is unset', async () => {
    bridge = await startCountedBridge();
    expect((await bridge.post('/zendesk/interactions', janeRequest())).status).toBe(200);
    expect((await bridge.get('/docs')).status).toBe(200);
  });
});

describe('metrics listener', () => {
  it('serves /metrics on METRICS_PORT only, off the public listener', async () => {
    bridge = await startCountedBridge({
      METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      BRIDGE_CALLER_SECRET: 'a-caller-secret-0123456789',
    });
    expect((await bridge.get('/metrics')).status).toBe(401); // the public listener: no such open route any more
    const url = bridge.app.get(MetricsListener).url!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe(bridge.bridgeUrl);
    const scrape = await fetch(`${url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('bridge_requests_total');
  });

  it('answers 404 for /metrics on the public listener when moved', async () => {
    bridge = await startCountedBridge({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    expect((await bridge.get('/metrics')).status).toBe(404);
    expect((await fetch(`${bridge.app.get(MetricsListener).url!}/metrics`)).status).toBe(200);
  });
});
