import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The requests one CRM account received, and how many of them it refused for its rate limits (429). */
export interface TenantUsage {
  requests: number;
  tooManyRequests: number;
}

/**
 * What each account was asked, as the vendor counts it against the account's limits: every request that reached a
 * tenant (`zendesk/acme`, `hubspot/acme`), whoever sent it, and the 429s among them. Requests that name no tenant
 * (an unknown subdomain or token) and faults injected by drills are not the account's and are not counted.
 * Benchmarks read it (`sandbox.usage`) to see what an account bore, independently of the bridge's own counts.
 */
export class SandboxUsage {
  private readonly tenants = new Map<string, TenantUsage>();

  record(tenant: string, status: number): void {
    let usage = this.tenants.get(tenant);
    if (!usage) {
      usage = { requests: 0, tooManyRequests: 0 };
      this.tenants.set(tenant, usage);
    }
    usage.requests++;
    if (status === 429) usage.tooManyRequests++;
  }

  /** One tenant's counts so far, e.g. `of('zendesk/acme')`; zeros for a tenant never asked. */
  of(tenant: string): TenantUsage {
    const usage = this.tenants.get(tenant);
    return usage ? { ...usage } : { requests: 0, tooManyRequests: 0 };
  }
}

/**
 * Counts a CRM plugin's requests in `usage` (when given) under `{crm}/{tenant}`: the plugin names the tenant of each
 * request it serves with the function returned, and the request is counted with its final status.
 */
export function countTenantRequests(
  app: FastifyInstance,
  crm: string,
  usage: SandboxUsage | undefined,
): (request: FastifyRequest, tenant: string) => void {
  const tenantOf = new WeakMap<FastifyRequest, string>();
  if (usage) {
    app.addHook('onResponse', async (request, reply) => {
      const tenant = tenantOf.get(request);
      if (tenant !== undefined) usage.record(`${crm}/${tenant}`, reply.statusCode);
    });
  }
  return (request, tenant) => void tenantOf.set(request, tenant);
}
