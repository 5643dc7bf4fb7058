import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A CRM stand-in in a process of its own, started from its TypeScript sources (test/faults/support's hooks), so that
 * what it costs to build and send its answers is not spent on the bridge's event loop, as with a real CRM across
 * the network. `script` prints `listening on <url>` once it listens.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CrmProcess {
  url: string;
  child: ChildProcess;
  close(): Promise<void>;
}

export async function startCrmProcess(script: string, env: Record<string, string> = {}): Promise<CrmProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', './test/faults/support/register-typescript.mjs', script],
    { cwd: ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
