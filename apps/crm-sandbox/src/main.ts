import { startSandbox } from './sandbox.js';

/** The sandbox CRM on its own (docker-compose, or `npm run sandbox`): SANDBOX_PORT, SANDBOX_HOST, SANDBOX_LATENCY_MS. */
const port = Number(process.env.SANDBOX_PORT ?? 4010);
const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
const latencyMs = Number(process.env.SANDBOX_LATENCY_MS ?? 0);

startSandbox({ port, host, latencyMs, logger: true }).then(
  (sandbox) => console.log(`sandbox CRM listening on ${sandbox.url}`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
