import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runSandbox } from '../../apps/crm-sandbox/src/main.js';

/** The sandbox container is PID 1: unless it handles SIGTERM itself, `docker stop` waits 10 s and kills it. */
describe('the standalone sandbox', () => {
  it('closes its listener and exits 0 on SIGTERM', async () => {
    const signals = new EventEmitter();
    let exited: (code: number) => void = () => {};
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    const sandbox = await runSandbox(
      { SANDBOX_PORT: '0', SANDBOX_LOGS: 'off' },
      { signals, exit: (code) => exited(code) },
    );
    expect((await fetch(`${sandbox.url}/__sandbox/faults`)).status).toBe(200);

    signals.emit('SIGTERM');
    expect(await exitCode).toBe(0);
    await expect(fetch(`${sandbox.url}/__sandbox/faults`)).rejects.toThrow();
  });

  it('exits even while a request hangs', async () => {
    const signals = new EventEmitter();
    let exited: (code: number) => void = () => {};
    const exitCode = new Promise<number>((resolve) => (exited = resolve));
    const sandbox = await runSandbox(
      { SANDBOX_PORT: '0', SANDBOX_LOGS: 'off' },
      { signals, exit: (code) => exited(code) },
    );
    sandbox.faults.add({ path: '/zendesk/', fault: 'hang' });
    const hanging = fetch(`${sandbox.url}/zendesk/acme/api/v2/users/me`).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));

    signals.emit('SIGTERM');
    expect(await exitCode).toBe(0);
    sandbox.app.server.closeAllConnections();
    await hanging;
  });
});
