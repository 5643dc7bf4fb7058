/**
 * The bridge as its own process, configured as main.ts configures it (pino's JSON lines with LOG_FORMAT=json, the
 * image's default and the benchmark's; Nest's console logger with `text`; tracing started, a no-op without
 * OTEL_EXPORTER_OTLP_ENDPOINT) except that it listens on a free loopback port and points at the benchmark's sandbox
 * (BENCH_SANDBOX_URL). Logging stays on at LOG_LEVEL (default `log`, one line per request, as deployed); the parent
 * sends stdout to /dev/null. Unless BENCH_BRIDGE_DEFAULTS=project, every pop does its full work (SHARING_OFF) and
 * inbound limits are off; with it, the project's defaults hold for whatever the environment leaves unset (the
 * contact-centre bench measures what a customer gets).
 */
import 'reflect-metadata';
import { INBOUND_LIMITS_OFF, loadBridgeConfig, SHARING_OFF } from '../../apps/bridge/src/bridge-config.js';
import { createBridgeApp } from '../../apps/bridge/src/create-bridge-app.js';
import { textLoggerFor } from '../../apps/bridge/src/telemetry/logging.js';
import { startTracing } from '../../apps/bridge/src/telemetry/tracing.js';
import { loopbackUrl, serveParent } from './child.js';

const environment = {
  ...(process.env.BENCH_BRIDGE_DEFAULTS === 'project' ? {} : { ...SHARING_OFF, ...INBOUND_LIMITS_OFF }),
  ...process.env,
  CRM_SANDBOX: 'off',
  CRM_SANDBOX_URL: process.env.BENCH_SANDBOX_URL,
};
const config = loadBridgeConfig(environment);
startTracing(environment);
const app = await createBridgeApp({ config, environment, logger: textLoggerFor(config.env) });
app.enableShutdownHooks();
await app.listen(0, '127.0.0.1');
serveParent(loopbackUrl(app.getHttpServer().address()));
