import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { InvalidConfigurationError } from '#interactions';
import { loadBridgeConfig } from './bridge-config.js';
import { createBridgeApp } from './create-bridge-app.js';
import { startTracing } from './telemetry/tracing.js';

async function main(): Promise<void> {
  const environment = { ...process.env };
  const config = loadBridgeConfig(environment);
  // First, so that every span has a provider to go to (a no-op unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  startTracing(environment);
  // JSON: pino, with the request id on every line (telemetry/logging.ts). Text, for people: Nest's console logger.
  const textLogger =
    config.env.LOG_FORMAT === 'text' ? new ConsoleLogger('bridge', { logLevels: levelsFrom(config.env.LOG_LEVEL) }) : undefined;
  const logger = new Logger('bridge');

  if (config.env.CRM_SANDBOX === 'embedded') {
    // Loaded only when asked for: the production image does not ship the sandbox.
    const { startSandbox } = await import('#sandbox');
    const sandbox = await startSandbox({ port: config.env.SANDBOX_PORT, latencyMs: config.env.SANDBOX_LATENCY_MS });
    environment.CRM_SANDBOX_URL = sandbox.url;
  }

  const app = await createBridgeApp({ config, environment, logger: textLogger });
  if (environment.CRM_SANDBOX_URL && config.env.CRM_SANDBOX === 'embedded') {
    logger.log(`sandbox CRM on ${environment.CRM_SANDBOX_URL} (CRM_SANDBOX=embedded); connectors point at it`);
  }
  app.enableShutdownHooks();
  await app.listen(config.env.PORT, config.env.HOST);
  logger.log(`bridge listening on http://${config.env.HOST}:${config.env.PORT} (docs at /docs)`);
}

function levelsFrom(level: string): ('error' | 'warn' | 'log' | 'debug' | 'verbose')[] {
  const all = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return all.slice(0, all.indexOf(level as (typeof all)[number]) + 1);
}

main().catch((error: unknown) => {
  // A bad environment stops the process with one clear line, not a stack trace.
  if (error instanceof InvalidConfigurationError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
