import { pathToFileURL } from 'node:url';
import { startSandbox, type RunningSandbox } from './sandbox.js';

/** How long a signalled sandbox waits for open connections (a drill's hanging request, say) before it exits anyway. */
const CLOSE_GRACE_MS = 2_000;

export interface SandboxProcess {
  signals: Pick<NodeJS.EventEmitter, 'once'>;
  exit: (code: number) => void;
}

/**
 * The sandbox CRM on its own (docker-compose, `npm run sandbox`): SANDBOX_PORT, SANDBOX_HOST, SANDBOX_LATENCY_MS, and
 * SANDBOX_LOGS=off to silence its request log.
 * It stops on SIGTERM and SIGINT. In a container it is PID 1, which the kernel never kills on a signal it does not
 * handle, so without these handlers `docker stop` waits its whole timeout and then kills it.
 */
export async function runSandbox(
  env: NodeJS.ProcessEnv = process.env,
  { signals, exit }: SandboxProcess = { signals: process, exit: (code) => process.exit(code) },
): Promise<RunningSandbox> {
  const sandbox = await startSandbox({
    port: Number(env.SANDBOX_PORT ?? 4010),
    host: env.SANDBOX_HOST ?? '127.0.0.1',
    latencyMs: Number(env.SANDBOX_LATENCY_MS ?? 0),
    logger: env.SANDBOX_LOGS !== 'off',
  });
  console.log(`sandbox CRM listening on ${sandbox.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`sandbox CRM stopping (${signal})`);
    setTimeout(() => exit(0), CLOSE_GRACE_MS).unref();
    sandbox.close().then(
      () => exit(0),
      (error: unknown) => {
        console.error(error);
        exit(1);
      },
    );
  };
  signals.once('SIGTERM', () => stop('SIGTERM'));
  signals.once('SIGINT', () => stop('SIGINT'));
  return sandbox;
}

// Run when started as a program (`node dist/apps/crm-sandbox/src/main.js`), not when a test imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSandbox().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
