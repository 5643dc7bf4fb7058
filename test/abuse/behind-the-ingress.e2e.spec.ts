import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACME_AUTH, ACME_WRONG, janeRequest, startCountedBridge, type CountedBridge } from './support.js';

/**
 * The bridge behind the ingress, configured as the example overlay configures it (its TRUST_PROXY): the per-address
 * limit and the credential lockout count the client the ingress controller forwards for, not the controller. Here the
 * test's loopback connection plays the controller, so it is added to the overlay's range; without it, loopback is a
 * peer the bridge does not trust, and what it says in X-Forwarded-For changes nothing.
 */
const overlay = parse(
  readFileSync(join(import.meta.dirname, '../../deploy/overlays/example/kustomization.yaml'), 'utf8'),
) as { configMapGenerator: { name: string; literals?: string[] }[] };
const OVERLAY_TRUST_PROXY = overlay.configMapGenerator
  .flatMap((generator) => generator.literals ?? [])
  .find((literal) => literal.startsWith('TRUST_PROXY='))
  ?.slice('TRUST_PROXY='.length);
/** The test's connections come from loopback: the role of the ingress controller's pod. */
const CONTROLLER = '127.0.0.1';

/** X-Forwarded-For as ingress-nginx sends it: the client it saw (after what the client sent, if it appends). */
const forwardedFor = (...addresses: string[]) => ({ 'x-forwarded-for': addresses.join(', ') });
const TALKDESK = '198.51.100.20';
const ATTACKER = '203.0.113.66';

let bridge: CountedBridge | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

async function guessThrice(from: () => Record<string, string>) {
  for (let guess = 0; guess < 3; guess++) {
    const answer = await bridge!.post(
      '/zendesk/interactions',
      janeRequest({ ...ACME_WRONG, token: `guess-${guess}` }),
      from(),
    );
    expect(answer.status).toBe(401);
    expect(answer.body.message).not.toMatch(/too often/);
  }
}

it('the example overlay sets TRUST_PROXY, and loopback is not in it', () => {
  expect(OVERLAY_TRUST_PROXY).toMatch(/\d/);
  expect(OVERLAY_TRUST_PROXY!.split(',')).not.toContain(CONTROLLER);
});

describe('two clients behind the trusted ingress controller', () => {
  const trustProxy = () => `${OVERLAY_TRUST_PROXY},${CONTROLLER}`;

  it('locks out the one guessing credentials, not the other, for the same tenant', async () => {
    bridge = await startCountedBridge({ TRUST_PROXY: trustProxy(), LOCKOUT_MAX_FAILURES: '3' });
    await guessThrice(() => forwardedFor(ATTACKER));
    const locked = await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(ATTACKER));
    expect(locked.status).toBe(401);
    expect(locked.body.message).toMatch(/too often/);
    // Prefixing Talkdesk's address (the controller appends the real one after it) does not get the attacker out.
    const spoofed = await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(TALKDESK, ATTACKER));
    expect(spoofed.status).toBe(401);
    expect(spoofed.body.message).toMatch(/too often/);

    // Talkdesk, through the same controller, with the same tenant's valid credential.
    expect((await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(TALKDESK))).status).toBe(200);
    expect((await bridge.post('/zendesk/auth/validate', { auth: ACME_AUTH }, forwardedFor(TALKDESK))).status).toBe(200);
  });

  it('limits the one over its per-address rate, not the other', async () => {
    bridge = await startCountedBridge({ TRUST_PROXY: trustProxy(), RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '2' });
    for (let i = 0; i < 2; i++) {
      expect((await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(ATTACKER))).status).toBe(200);
    }
    expect((await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(ATTACKER))).status).toBe(429);
    expect((await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(TALKDESK, ATTACKER))).status).toBe(
      429,
    );
    expect((await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(TALKDESK))).status).toBe(200);
  });
});

describe('a peer outside TRUST_PROXY', () => {
  it('cannot choose the address it is locked out by', async () => {
    bridge = await startCountedBridge({ TRUST_PROXY: OVERLAY_TRUST_PROXY!, LOCKOUT_MAX_FAILURES: '3' });
    let next = 0;
    await guessThrice(() => forwardedFor(`203.0.113.${++next}`));
    // Counted as loopback, whatever it claimed: a fourth address does not escape the lock.
    const locked = await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(TALKDESK));
    expect(locked.status).toBe(401);
    expect(locked.body.message).toMatch(/too often/);
  });

  it('cannot choose the address it is rate limited by', async () => {
    bridge = await startCountedBridge({ TRUST_PROXY: OVERLAY_TRUST_PROXY!, RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '2' });
    expect((await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(ATTACKER))).status).toBe(200);
    expect((await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor(TALKDESK))).status).toBe(200);
    expect((await bridge.post('/zendesk/interactions', janeRequest(), forwardedFor('192.0.2.1'))).status).toBe(429);
  });
});
