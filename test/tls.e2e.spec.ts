import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBridge, type BridgeHarness } from './support/bridge-harness.js';

/** With TLS_CERT_FILE and TLS_KEY_FILE the bridge serves HTTPS itself (Talkdesk calls bridges over HTTPS only). */
let bridge: BridgeHarness;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bridge-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      join(dir, 'tls.key'),
      '-out',
      join(dir, 'tls.crt'),
    ],
    { stdio: 'ignore' },
  );
  bridge = await startBridge({ env: { TLS_CERT_FILE: join(dir, 'tls.crt'), TLS_KEY_FILE: join(dir, 'tls.key') } });
});

afterAll(async () => {
  await bridge?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('answers over HTTPS with the configured certificate', async () => {
  expect(bridge.bridgeUrl).toMatch(/^https:\/\//);
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    request(`${bridge.bridgeUrl}/health/live`, { rejectUnauthorized: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
  expect(status).toBe(200);
  expect(JSON.parse(body).status).toBe('ok');
});
