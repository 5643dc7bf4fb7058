import Fastify, { type FastifyInstance } from 'fastify';
import { dynamicsSandbox, type DynamicsSandboxOptions } from './dynamics/index.js';
import { installFaultInjection, type FaultInjector } from './faults/index.js';
import { freshdeskSandbox, type FreshdeskSandboxOptions } from './freshdesk/index.js';
import { hubspotSandbox, type HubspotSandboxOptions } from './hubspot/index.js';
import { salesforceHostPath, salesforceSandbox } from './salesforce/index.js';
import { SandboxUsage } from './usage.js';
import { zendeskSandbox, type ZendeskSandboxOptions } from './zendesk/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Each CRM account's requests and 429s so far (see usage.ts). */
    usage: SandboxUsage;
  }
}

export interface SandboxOptions {
  /** Added to every response, to feel like a CRM across the internet. */
  latencyMs?: number;
  /** HubSpot's search endpoints' limit per account: 5 a second, as HubSpot documents, unless set (`off`: none). */
  hubspotSearchPerSecond?: number | 'off';
  /**
   * HubSpot's rate limits (the fuzz suite raises the 190 calls per 10 s it would otherwise spend in seconds), and
   * portals to serve instead of the seeded ones (e.g. a generated population, hubspot/population.ts).
   */
  hubspot?: Pick<HubspotSandboxOptions, 'burstLimit' | 'dailyLimit' | 'portals'>;
  /**
   * Zendesk's options, e.g. `rateLimitPerMinute` (soak and load tests raise it above Zendesk's 700), or `tenants` to
   * serve instead of the seeded ones (e.g. a generated population, zendesk/population.ts).
   */
  zendesk?: Omit<ZendeskSandboxOptions, 'usage'>;
  /** Freshdesk's options, e.g. `plan` (fuzz and load tests raise the accounts' per-minute limits). */
  freshdesk?: FreshdeskSandboxOptions;
  /** Dynamics 365's options, e.g. `pageSize`. */
  dynamics?: DynamicsSandboxOptions;
  logger?: boolean;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:4010 */
  url: string;
  app: FastifyInstance;
  /** Fault rules for drills: `faults.add({ path: '/zendesk/acme/api/v2/tickets/', fault: 'status; code=503' })`. */
  faults: FaultInjector;
  /** CRM requests being answered now, and the most at once since the last reset: what a caller's fan-out costs. */
  inFlight: InFlightCounter;
  /** Each CRM account's requests and 429s so far, e.g. `usage.of('zendesk/acme')`. */
  usage: SandboxUsage;
  close(): Promise<void>;
}

/** Counts the requests the sandbox is answering at once. */
export class InFlightCounter {
  current = 0;
  max = 0;

  enter(): void {
    this.current++;
    this.max = Math.max(this.max, this.current);
  }

  leave(): void {
    this.current--;
  }

  reset(): void {
    this.max = this.current;
  }
}

/**
 * The CRM stand-in: Zendesk under /zendesk/{subdomain}, HubSpot under /hubspot, Salesforce under /salesforce/{host},
 * Freshdesk under /freshdesk/{domain}, Dynamics 365 under /dynamics/{host}. Fault injection (`app.faults`, the
 * `x-sandbox-fault` header, the `__fault` query parameter, `/__sandbox/faults`) is installed first, so it sees
 * every route.
 */
export async function createSandbox(
  options: SandboxOptions = {},
  inFlight = new InFlightCounter(),
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // A Salesforce org's calls may also come by its host name, as at Salesforce (with salesforceSandboxLookup as DNS).
    rewriteUrl: (request) => salesforceHostPath(request.headers.host, request.url ?? '/'),
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/__sandbox/')) {
      inFlight.enter();
      // The response's close: sent, or the connection dropped (hangs and resets included).
      reply.raw.once('close', () => inFlight.leave());
    }
  });
  installFaultInjection(app);
  const usage = new SandboxUsage();
  app.decorate('usage', usage);
  const latencyMs = options.latencyMs ?? 0;
  if (latencyMs > 0) {
    app.addHook('onRequest', async () => {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
    });
  }
  await app.register(zendeskSandbox, { ...options.zendesk, usage, prefix: '/zendesk' });
  await app.register(hubspotSandbox, {
    ...options.hubspot,
    usage,
    prefix: '/hubspot',
    searchPerSecond: options.hubspotSearchPerSecond,
  });
  await app.register(salesforceSandbox, { prefix: '/salesforce' });
  await app.register(freshdeskSandbox, { ...options.freshdesk, prefix: '/freshdesk' });
  await app.register(dynamicsSandbox, { ...options.dynamics, prefix: '/dynamics' });
  return app;
}

export async function startSandbox(
  options: SandboxOptions & { port?: number; host?: string } = {},
): Promise<RunningSandbox> {
  const inFlight = new InFlightCounter();
  const app = await createSandbox(options, inFlight);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    app,
    faults: app.faults,
    inFlight,
    usage: app.usage,
    close: () => app.close(),
  };
}
