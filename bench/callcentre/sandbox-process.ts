/**
 * The sandbox CRM of the contact-centre bench, in its own process: the seeded accounts plus one generated account
 * (`peak`) holding the population, with the account's plan and the CRM's latency. Before it reports ready, it writes
 * the population's callers with their ground truth (ground-truth.ts) to BENCH_CALLERS_FILE, computed from the very
 * data it serves. It reports the account's requests and 429s (sandbox usage counts) when asked.
 */
import { writeFileSync } from 'node:fs';
import { generateHubspotPopulation } from '../../apps/crm-sandbox/src/hubspot/population.js';
import { seedHubspotPortals } from '../../apps/crm-sandbox/src/hubspot/seed.js';
import { createSandbox } from '../../apps/crm-sandbox/src/sandbox.js';
import { generateZendeskPopulation } from '../../apps/crm-sandbox/src/zendesk/population.js';
import { seedZendeskTenants } from '../../apps/crm-sandbox/src/zendesk/seed.js';
import { loopbackUrl, serveParent } from '../processes/child.js';
import { hubspotCallers, zendeskCallers } from './ground-truth.js';
import { PEAK, type SandboxProcessConfig } from './options.js';

const config = JSON.parse(process.env.BENCH_SANDBOX_CONFIG ?? '') as SandboxProcessConfig;
const population = { seed: config.seed, size: config.population, maxTickets: config.maxTickets, key: PEAK };
let app;
if (config.crm === 'zendesk') {
  const tenant = generateZendeskPopulation({ ...population, subdomain: PEAK, rateLimitPerMinute: config.zendeskPlan });
  writeFileSync(config.callersFile, JSON.stringify(zendeskCallers(tenant, config.rules)));
  app = await createSandbox({ latencyMs: config.latencyMs, zendesk: { tenants: [...seedZendeskTenants(), tenant] } });
} else {
  const portal = generateHubspotPopulation(population);
  writeFileSync(config.callersFile, JSON.stringify(hubspotCallers(portal, config.rules)));
  app = await createSandbox({
    latencyMs: config.latencyMs,
    hubspot: { portals: [...seedHubspotPortals(), portal], burstLimit: config.hubspotBurst },
    hubspotSearchPerSecond: config.hubspotSearchPerSecond,
  });
}
const sandbox = app;
await sandbox.listen({ port: 0, host: '127.0.0.1' });
serveParent(loopbackUrl(sandbox.server.address()), () => {
  const usage = sandbox.usage.of(`${config.crm}/${PEAK}`);
  return { requests: usage.requests, tooManyRequests: usage.tooManyRequests };
});
