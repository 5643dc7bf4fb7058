/** The sandbox CRM as its own process, with BENCH_CRM_LATENCY_MS of added latency; it counts the CRM calls it serves. */
import { createSandbox } from '../../apps/crm-sandbox/src/sandbox.js';
import { loopbackUrl, serveParent } from './child.js';

const latencyMs = Number(process.env.BENCH_CRM_LATENCY_MS ?? 40);
// The benchmark makes thousands of calls a minute; Zendesk's 700/minute budget would turn them into 429s.
const app = await createSandbox({ latencyMs, zendesk: { rateLimitPerMinute: 100_000_000 } });
let served = 0;
app.addHook('onRequest', async () => {
  served++;
});
await app.listen({ port: 0, host: '127.0.0.1' });
serveParent(loopbackUrl(app.server.address()), () => ({ served }));
