import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SHARING_OFF } from '../../../apps/bridge/src/bridge-config.js';

/**
 * The bridge as a real child process, started the way `npm start` starts it (apps/bridge/src/main.ts, the embedded
 * sandbox CRM included), but from the TypeScript sources through typescript-hooks.mjs, so no build is needed.
 * For drills that need a real process: signals, exit codes, what it prints.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface BridgeProcess {
  child: ChildProcess;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export async function startBridgeProcess(env: Record<string, string>): Promise<BridgeProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', './test/faults/support/register-typescript.mjs', 'apps/bridge/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        PORT: '0',
        SANDBOX_PORT: '0',
        NO_COLOR: '1',
        // Drills inject a fault and check the next pop: nothing cached, coalesced or budgeted unless the test asks
        // (test/replicas does).
        ...SHARING_OFF,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bridge did not start within 60 s:\n${output}`)), 60_000);
    const look = () => {
      const match = /bridge listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the bridge exited before listening:\n${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}
