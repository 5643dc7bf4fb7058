/**
 * The bridge as its own process, configured as in production (main.ts) except that it listens on a free loopback
 * port and points at the benchmark's sandbox (BENCH_SANDBOX_URL). Logging stays on at LOG_LEVEL (default `log`,
 * one line per request, as deployed); the parent sends stdout to /dev/null.
 */
import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { loadBridgeConfig } from '../../apps/bridge/src/bridge-config.js';
import { createBridgeApp } from '../../apps/bridge/src/create-bridge-app.js';
import { loopbackUrl, serveParent } from './child.js';

// The inbound limits off: the benchmark sends one tenant's pops from one address far faster than Talkdesk would.
const environment = {
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0',
  RATE_LIMIT_PER_TENANT_PER_MINUTE: '0',
  ...process.env,
  CRM_SANDBOX: 'off',
  CRM_SANDBOX_URL: process.env.BENCH_SANDBOX_URL,
};
const config = loadBridgeConfig(environment);
const all = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
const logger = new ConsoleLogger('bridge', {
  json: config.env.LOG_FORMAT === 'json',
  logLevels: all.slice(0, all.indexOf(config.env.LOG_LEVEL as (typeof all)[number]) + 1),
});
const app = await createBridgeApp({ config, environment, logger });
app.enableShutdownHooks();
await app.listen(0, '127.0.0.1');
serveParent(loopbackUrl(app.getHttpServer().address()));
