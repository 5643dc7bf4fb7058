import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { InvalidConfigurationError } from '#interactions';
import type { RunningSandbox } from '#sandbox';
import { loadBridgeConfig } from './bridge-config.js';
import { checkConnectorEnvironments } from './connectors.js';
import { createBridgeApp } from './create-bridge-app.js';
import { importEmbeddedSandbox } from './embedded-sandbox.js';
import { shutDownGracefully } from './shutdown.js';
import { textLoggerFor } from './telemetry/logging.js';
import { startTracing } from './telemetry/tracing.js';

async function main(): Promise<void> {
  const environment = { ...process.env };
  const config = loadBridgeConfig(environment);
  checkConnectorEnvironments(environment);
  // First, so that every span has a provider to go to (a no-op unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  startTracing(environment);
  // JSON: pino, a request's lines with its id (telemetry/logging.ts). Text, for people: Nest's console logger.
  const textLogger = textLoggerFor(config.env);
  const logger = new Logger('bridge');

  let sandbox: RunningSandbox | undefined;
  if (config.env.CRM_SANDBOX === 'embedded') {
    // Loaded only when asked for: the production image does not ship the sandbox (refused in one line there).
    const { startSandbox } = await importEmbeddedSandbox();
    sandbox = await startSandbox({ port: config.env.SANDBOX_PORT, latencyMs: config.env.SANDBOX_LATENCY_MS });
    environment.CRM_SANDBOX_URL = sandbox.url;
  }

  const app = await createBridgeApp({ config, environment, logger: textLogger });
  if (sandbox) logger.log(`sandbox CRM on ${sandbox.url} (CRM_SANDBOX=embedded); connectors point at it`);
  await app.listen(config.env.PORT, config.env.HOST);
  const address = app.getHttpAdapter().getInstance().server.address();
  const port = typeof address === 'object' && address ? address.port : config.env.PORT;
  logger.log(`bridge listening on http://${config.env.HOST}:${port} (docs at /docs)`);

  // Not Nest's enableShutdownHooks(): its close() tears the CRM sockets down before the listener (see shutdown.ts).
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const boundMs = config.env.SHUTDOWN_TIMEOUT_MS;
    setTimeout(() => {
      logger.error(`shutdown did not finish within SHUTDOWN_TIMEOUT_MS (${boundMs} ms); exiting anyway`);
      process.exit(1);
    }, boundMs).unref();
    // Ctrl-C in a terminal has no load balancer to wait for.
    const drainDelayMs = signal === 'SIGTERM' ? config.env.SHUTDOWN_DRAIN_DELAY_MS : 0;
    shutDownGracefully(app, { drainDelayMs, logger })
      .then(() => sandbox?.close())
      .then(() => {
        logger.log(`stopped (${signal})`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  // A bad environment stops the process with one clear line (the variable and its problem, never its value).
  if (error instanceof InvalidConfigurationError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
