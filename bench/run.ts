/**
 * `npm run bench`: the bridge against the sandbox CRM with a realistic added latency, on loopback.
 * Timings on a shared 2-core machine are noisy, so each figure is printed as a ratio against a reference measured
 * in the same run: one CRM round trip, and the same CRM calls made one after another by a naive client.
 */
import 'reflect-metadata';
import { loadBridgeConfig } from '../apps/bridge/src/bridge-config.js';
import { createBridgeApp } from '../apps/bridge/src/create-bridge-app.js';
import { ZENDESK_SANDBOX } from '../apps/crm-sandbox/src/zendesk/fixtures.js';
import { startSandbox } from '../apps/crm-sandbox/src/sandbox.js';
import { printSalesforceCallsPerPop } from './salesforce-calls.js';

const LATENCY_MS = Number(process.env.BENCH_CRM_LATENCY_MS ?? 40);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const LOAD_REQUESTS = Number(process.env.BENCH_LOAD_REQUESTS ?? 300);
const LOAD_CONCURRENCY = Number(process.env.BENCH_LOAD_CONCURRENCY ?? 25);

const { acme } = ZENDESK_SANDBOX;
const jane = acme.users.jane;
const basic = `Basic ${Buffer.from(`${acme.credentials.email}/token:${acme.credentials.token}`).toString('base64')}`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: 0, latencyMs: LATENCY_MS, zendesk: { rateLimitPerMinute: 1_000_000 } });
  const environment = { CRM_SANDBOX: 'off', CRM_SANDBOX_URL: sandbox.url, LOG_LEVEL: 'error' };
  const app = await createBridgeApp({ config: loadBridgeConfig(environment), environment, logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const bridgeUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  const zendesk = `${sandbox.url}/zendesk/acme/api/v2`;
  const crm = (path: string) => fetch(`${zendesk}${path}`, { headers: { authorization: basic } }).then((r) => r.json());
  const body = JSON.stringify({
    auth: { subdomain: 'acme', email: acme.credentials.email, token: acme.credentials.token },
    meta: { interaction_types: ['case', 'note', 'task'] },
    data: { contact_emails: [jane.email] },
  });
  const bridge = () =>
    fetch(`${bridgeUrl}/zendesk/interactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
      async (r) => {
        if (r.status !== 200) throw new Error(`bridge answered ${r.status}`);
        return r.json();
      },
    );

  // Warm up sockets and JIT on both sides.
  for (let i = 0; i < 5; i++) await Promise.all([bridge(), crm('/users/me')]);

  const roundTrips: number[] = [];
  const naive: number[] = [];
  const bridged: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    roundTrips.push(await timed(() => crm('/users/me')));
    // What a hand-written integration does, one call after another: find the user, list tickets, read each
    // recent ticket's comments.
    naive.push(
      await timed(async () => {
        const { users } = (await crm(`/users/search?query=${encodeURIComponent(`email:${jane.email}`)}`)) as { users: { id: number }[] };
        const { tickets } = (await crm(`/users/${users[0]!.id}/tickets/requested?sort_by=created_at&sort_order=desc&per_page=50`)) as { tickets: { id: number }[] };
        for (const ticket of tickets.slice(0, 10)) await crm(`/tickets/${ticket.id}/comments?sort_order=desc`);
      }),
    );
    bridged.push(await timed(bridge));
  }

  const rtt = percentile(roundTrips, 50);
  const p50 = percentile(bridged, 50);
  console.log(`CRM latency added by the sandbox: ${LATENCY_MS} ms; ${SAMPLES} samples each`);
  console.log(`one CRM round trip        p50 ${rtt.toFixed(1)} ms   (reference)`);
  console.log(`naive sequential client   p50 ${percentile(naive, 50).toFixed(1)} ms   = ${(percentile(naive, 50) / rtt).toFixed(2)} round trips`);
  console.log(`bridge, case+note+task    p50 ${p50.toFixed(1)} ms   = ${(p50 / rtt).toFixed(2)} round trips (target ≤ 4: resolve, list, comments, + overhead)`);
  console.log(`bridge / naive            ratio ${(p50 / percentile(naive, 50)).toFixed(2)} (target < 0.5)`);

  // Load: many agents opening contacts at once.
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: LOAD_CONCURRENCY }, async () => {
      while (next < LOAD_REQUESTS) {
        next++;
        latencies.push(await timed(bridge));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const loadP95 = percentile(latencies, 95);
  console.log(
    `load: ${LOAD_REQUESTS} requests, ${LOAD_CONCURRENCY} at a time: ${(LOAD_REQUESTS / seconds).toFixed(0)} req/s, ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${loadP95.toFixed(1)} ms = ${(loadP95 / p50).toFixed(2)}× the unloaded p50 (target ≤ 3)`,
  );

  await printSalesforceCallsPerPop(bridgeUrl, sandbox);

  await app.close();
  await sandbox.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
