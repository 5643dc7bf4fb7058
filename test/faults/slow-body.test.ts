import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type BridgeHarness } from '../support/bridge-harness.js';

/**
 * A client that opens a request and then stalls holds a connection (and a file descriptor) for as long as it likes,
 * unless the server times the request out. HTTP_HEADERS_TIMEOUT_MS bounds the headers, HTTP_REQUEST_TIMEOUT_MS the
 * whole request: the bridge answers 408 and closes the connection.
 */
const HEADERS_TIMEOUT_MS = 400;
/** Well above the headers' bound plus its slack, so the headers test fails if only the request timeout cuts in. */
const REQUEST_TIMEOUT_MS = 4_000;
/** Node checks these timeouts periodically (every 100 ms here), and the machine may be busy. */
const SLACK_MS = 1_500;

let bridge: BridgeHarness;

beforeAll(async () => {
  bridge = await startBridge({
    env: { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
  });
});

afterAll(async () => {
  await bridge.close();
});

/** Writes `sent` on a raw connection, then nothing; resolves with what came back and when the server closed. */
function stall(sent: string): Promise<{ answer: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(bridge.bridgeUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const started = performance.now();
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ answer, closedAfterMs: performance.now() - started }));
    socket.write(sent);
  });
}

describe('a client that stalls', () => {
  it('after the headers and one byte of the body: 408 and closed within HTTP_REQUEST_TIMEOUT_MS', async () => {
    const { answer, closedAfterMs } = await stall(
      'POST /zendesk/interactions HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
  });

  it('in the middle of the headers: 408 and closed within HTTP_HEADERS_TIMEOUT_MS', async () => {
    const { answer, closedAfterMs } = await stall('POST /zendesk/interactions HTTP/1.1\r\nHost: bridge\r\nContent-Ty');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    expect(HEADERS_TIMEOUT_MS + SLACK_MS).toBeLessThan(REQUEST_TIMEOUT_MS); // else the request timeout could pass it
  });
});
