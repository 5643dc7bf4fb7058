import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { identifyCaller, unauthorized } from './auth.js';
import type { ZendeskTenantData } from './model.js';
import { PaginationError, type Query } from './pagination.js';
import { INVALID_ENDPOINT, RATE_LIMITED_TEXT, noHelpDesk } from './present.js';
import { MinuteRateLimiter, rateLimitHeaders } from './rate-limit.js';
import { matchRoute, type ApiCall } from './routes.js';
import { seedZendeskTenants } from './seed.js';
import { ZendeskStore } from './store.js';
import { countTenantRequests, type SandboxUsage } from '../usage.js';

export { ZENDESK_SANDBOX } from './fixtures.js';
export type { ZendeskTenantData } from './model.js';
export { seedZendeskTenants } from './seed.js';

export interface ZendeskSandboxOptions {
  /** Requests per minute and tenant before 429 (Zendesk Enterprise's budget: 700). */
  rateLimitPerMinute?: number;
  /** The rate limiter's clock (ms), for tests. */
  now?: () => number;
  /** Serve these tenants instead of the seeded ones. */
  tenants?: ZendeskTenantData[];
  /** Counts each tenant's requests and 429s (as `zendesk/{subdomain}`). */
  usage?: SandboxUsage;
}

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 700;

const API_PREFIX = '/api/v2/';

/**
 * Zendesk Support's API, one account per subdomain: a real `https://acme.zendesk.com/api/v2/users/123.json` is
 * `{prefix}/acme/api/v2/users/123.json` here (`.json` optional, as at Zendesk). Auth, JSON shapes, pagination,
 * error bodies and rate-limit headers follow Zendesk's documentation; the data is the seed's (seed.ts).
 */
export const zendeskSandbox: FastifyPluginAsync<ZendeskSandboxOptions> = async (app, options) => {
  const store = new ZendeskStore(options.tenants ?? seedZendeskTenants());
  const limiter = new MinuteRateLimiter(options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE, options.now);
  const forTenant = countTenantRequests(app, 'zendesk', options.usage);

  app.setNotFoundHandler(async (_request, reply) => {
    return reply.code(404).headers(rateLimitHeaders(limiter.peek())).send(INVALID_ENDPOINT);
  });

  app.get<{ Params: { subdomain: string } }>('/:subdomain/*', async (request, reply) => {
    const tenant = store.tenant(request.params.subdomain);
    if (!tenant) {
      return reply.code(404).headers(rateLimitHeaders(limiter.peek())).send(noHelpDesk(request.params.subdomain));
    }

    forTenant(request, tenant.subdomain);
    const budget = limiter.take(tenant.subdomain, tenant.data.rateLimitPerMinute);
    reply.headers(rateLimitHeaders(budget));
    if (!budget.allowed) {
      return reply
        .code(429)
        .header('retry-after', String(budget.resetSeconds))
        .type('text/plain; charset=utf-8')
        .send(RATE_LIMITED_TEXT);
    }

    const caller = identifyCaller(request.headers.authorization, tenant.data);
    if (caller.kind === 'rejected') return sendUnauthorized(reply, caller.scheme);

    const path = request.url.split('?', 1)[0]!;
    const apiAt = path.indexOf(API_PREFIX);
    const matched = apiAt < 0 ? undefined : matchRoute(routePath(path.slice(apiAt + API_PREFIX.length)));
    if (!matched) return reply.code(404).send(INVALID_ENDPOINT);
    if (caller.kind === 'anonymous' && !matched.route.anonymous) return sendUnauthorized(reply, 'basic');

    const base = `${request.protocol}://${request.host}${path.slice(0, apiAt)}`;
    const call: ApiCall = {
      tenant,
      caller,
      query: queryOf(request),
      base,
      link: (listPath) => (query) => `${base}${API_PREFIX}${listPath}.json${queryString(query)}`,
    };
    try {
      const answer = matched.route.handle(call, matched.params);
      return reply.code(answer.status).send(answer.body);
    } catch (error) {
      if (error instanceof PaginationError) {
        return reply.code(400).send({ error: 'InvalidPaginationParameter', description: error.message });
      }
      throw error;
    }
  });
};

function sendUnauthorized(reply: FastifyReply, scheme: 'basic' | 'bearer'): FastifyReply {
  const { headers, body } = unauthorized(scheme);
  return reply.code(401).headers(headers).send(body);
}

/** `users/123.json` → `users/123`: Zendesk answers with and without the suffix. */
function routePath(path: string): string {
  return path.replace(/\/+$/, '').replace(/\.json$/i, '');
}

/** The query as single strings (the first of repeated parameters). */
function queryOf(request: FastifyRequest): Query {
  const query: Query = {};
  const raw = (request.query ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') query[key] = first;
  }
  return query;
}

/**
 * `?a=1&page[size]=50`, brackets left readable as in Zendesk's own links. The sandbox's own parameters
 * (`__fault`, …) are not carried into links, so a fault asked for one page does not follow the caller to the next.
 */
function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (!key.startsWith('__')) params.append(key, value);
  const text = params.toString().replace(/%5B/g, '[').replace(/%5D/g, ']');
  return text ? `?${text}` : '';
}
