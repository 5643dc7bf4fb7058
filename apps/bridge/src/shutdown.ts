import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShutdownState } from './health/health.controller.js';

/**
 * The shutdown sequence (docs/contract.md, "Shutdown"), in this order:
 * 1. readiness answers 503 at once, and every answer carries `Connection: close` (ShutdownState);
 * 2. the bridge keeps serving for `drainDelayMs`, so the load balancer notices and stops sending;
 * 3. the listener closes: idle kept-alive connections are closed, the requests in flight finish, each within its
 *    own deadline, and their connections close after the answer;
 * 4. only then do the modules shut down, the outbound CRM sockets last, since nothing uses them any more.
 * Nest's own close() (enableShutdownHooks) runs the modules' destroy hooks before it closes the listener: it tore
 * down the CRM sockets under the requests still in flight, which failed, were retried, and opened breakers.
 * The caller bounds the whole (SHUTDOWN_TIMEOUT_MS).
 */
export async function shutDownGracefully(
  app: NestFastifyApplication,
  { drainDelayMs, logger }: { drainDelayMs: number; logger: LoggerService },
): Promise<void> {
  app.get(ShutdownState).begin();
  logger.log(
    `shutting down: readiness answers 503; serving for ${drainDelayMs} ms more while the load balancer notices`,
  );
  await sleep(drainDelayMs);
  logger.log('shutting down: no new connections; finishing the requests in flight');
  await app.getHttpAdapter().getInstance().close();
  await app.close();
}
