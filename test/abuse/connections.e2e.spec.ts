import type { LoggerService } from '@nestjs/common';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';
import { janeRequest } from './support.js';

/**
 * Clients that hold or drop connections: one that goes away mid-body is counted and logged at debug (no error, no
 * stack); the listener holds at most HTTP_MAX_CONNECTIONS, and refuses more at once.
 */
let bridge: BridgeHarness | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await bridge?.close();
  bridge = undefined;
});

function capture() {
  const lines: { level: string; text: string }[] = [];
  const at =
    (level: string) =>
    (...parts: unknown[]) =>
      void lines.push({ level, text: parts.map(String).join(' ') });
  const logger: LoggerService = {
    log: at('log'),
    error: at('error'),
    warn: at('warn'),
    debug: at('debug'),
    verbose: at('verbose'),
  };
  return { logger, lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw connection to the bridge; resolves once connected. */
function connect(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

async function metric(name: string, labels = ''): Promise<number> {
  const text = (await bridge!.get('/metrics')).text;
  const line = text.split('\n').find((row) => row.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('a client that goes away mid-body', () => {
  it('is counted, and logged at debug without a stack: no error or warning line', async () => {
    const { logger, lines } = capture();
    bridge = await startBridge({ logger, env: { LOG_LEVEL: 'debug' } });
    lines.splice(0); // the boot's lines
    for (let i = 0; i < 3; i++) {
      const socket = await connect(bridge.bridgeUrl);
      socket.write(
        'POST /zendesk/interactions HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\n' +
          'Content-Length: 1000\r\n\r\n{"auth":',
      );
      await sleep(50);
      socket.destroy();
    }
    await sleep(200);
    expect(await metric('bridge_client_aborts_total')).toBe(3);
    const loud = lines.filter((line) => line.level === 'error' || line.level === 'warn');
    expect(loud).toEqual([]);
    expect(lines.some((line) => /\n\s+at /.test(line.text))).toBe(false);
    expect(lines.filter((line) => line.level === 'debug' && /closed the connection/.test(line.text))).toHaveLength(3);
  });
});

describe('HTTP_MAX_CONNECTIONS', () => {
  it('refuses connections beyond the cap at once, counts them, and serves again once some close', async () => {
    bridge = await startBridge({ env: { HTTP_MAX_CONNECTIONS: '16' } });
    const opened = await Promise.all(Array.from({ length: 20 }, () => connect(bridge!.bridgeUrl)));
    const closedByServer = await Promise.all(
      opened.map(
        (socket) =>
          new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), 1_000);
            socket.once('close', () => {
              clearTimeout(timer);
              resolve(true);
            });
          }),
      ),
    );
    // 16 held (one of them perhaps the harness's own kept-alive connection), the rest closed on arrival.
    const refused = closedByServer.filter(Boolean).length;
    expect(refused).toBeGreaterThanOrEqual(4);
    expect(refused).toBeLessThanOrEqual(5);
    for (const socket of opened) socket.destroy();
    await sleep(100);
    expect((await bridge.post('/zendesk/interactions', janeRequest())).status).toBe(200);
    expect(await metric('bridge_refused_connections_total')).toBe(refused);
  });
});
