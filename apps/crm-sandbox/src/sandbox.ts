import Fastify, { type FastifyInstance } from 'fastify';
import { installFaultInjection, type FaultInjector } from './faults/index.js';
import { hubspotSandbox } from './hubspot/index.js';
import { salesforceSandbox } from './salesforce/index.js';
import { zendeskSandbox, type ZendeskSandboxOptions } from './zendesk/index.js';

export interface SandboxOptions {
  /** Added to every response, to feel like a CRM across the internet. */
  latencyMs?: number;
  /** HubSpot's search endpoints allow only a few calls per second and account; off (undefined) unless asked. */
  hubspotSearchPerSecond?: number;
  /** Zendesk's options, e.g. `rateLimitPerMinute` (soak and load tests raise it above Zendesk's 700). */
  zendesk?: ZendeskSandboxOptions;
  logger?: boolean;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:4010 */
  url: string;
  app: FastifyInstance;
  /** Fault rules for drills: `faults.add({ path: '/zendesk/acme/api/v2/tickets/', fault: 'status; code=503' })`. */
  faults: FaultInjector;
  close(): Promise<void>;
}

/**
 * The CRM stand-in: Zendesk under /zendesk/{subdomain}, HubSpot under /hubspot, Salesforce under /salesforce/{host}. Fault injection (`app.faults`, the
 * `x-sandbox-fault` header, the `__fault` query parameter, `/__sandbox/faults`) is installed first, so it sees
 * every route.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  installFaultInjection(app);
  const latencyMs = options.latencyMs ?? 0;
  if (latencyMs > 0) {
    app.addHook('onRequest', async () => {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
    });
  }
  await app.register(zendeskSandbox, { ...options.zendesk, prefix: '/zendesk' });
  await app.register(hubspotSandbox, { prefix: '/hubspot', searchPerSecond: options.hubspotSearchPerSecond });
  await app.register(salesforceSandbox, { prefix: '/salesforce' });
  return app;
}

export async function startSandbox(
  options: SandboxOptions & { port?: number; host?: string } = {},
): Promise<RunningSandbox> {
  const app = await createSandbox(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${host}:${port}`, app, faults: app.faults, close: () => app.close() };
}
