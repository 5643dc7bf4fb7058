import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  CorrelationIds,
  INVALID_CREDENTIALS,
  MISSING_CREDENTIALS,
  errorAnswer,
  type HubspotErrorAnswer,
} from './errors.js';
import type { HubspotPortalData } from './model.js';
import {
  DEFAULT_BURST_LIMIT,
  DEFAULT_DAILY_LIMIT,
  DEFAULT_SEARCH_PER_SECOND,
  HubspotRateLimits,
  rateLimitBody,
} from './rate-limit.js';
import { HUBSPOT_ROUTES, type HubspotRoute } from './routes.js';
import { seedHubspotPortals } from './seed.js';
import { HubspotStore } from './store.js';
import { countTenantRequests, type SandboxUsage } from '../usage.js';

export { HUBSPOT_SANDBOX } from './fixtures.js';
export type { HubspotSandboxContact, HubspotSandboxFixture } from './fixtures.js';
export type { HubspotPortalData, HubspotRecord } from './model.js';
export { OBJECT_TYPES, resolveObjectType, type HubspotObjectType, type ObjectTypeName } from './object-types.js';
export { seedHubspotPortals } from './seed.js';

export interface HubspotSandboxOptions {
  /**
   * Search calls per second and portal before 429 (`policyName: 'SECONDLY'`): HubSpot's documented limit (5) unless
   * set; `off` for a test that needs searches unlimited, and says why.
   */
  searchPerSecond?: number | 'off';
  /** Requests per rolling 10 seconds and token before 429 (`TEN_SECONDLY_ROLLING`); HubSpot's private apps get 190. */
  burstLimit?: number;
  /** Requests per day and portal (`DAILY`). */
  dailyLimit?: number;
  /** The rate limiters' and batch timestamps' clock (ms), for tests. */
  now?: () => number;
  /** Serve these portals instead of the seeded ones. */
  portals?: HubspotPortalData[];
  /** Counts each portal's requests and 429s (as `hubspot/{key}`). */
  usage?: SandboxUsage;
}

/**
 * HubSpot's CRM API for one or more portals: a real `https://api.hubapi.com/crm/v3/objects/contacts/123` is
 * `{prefix}/crm/v3/objects/contacts/123` here. A private-app token (`Authorization: Bearer …`) picks the portal.
 * Paths, JSON shapes, paging, error bodies and rate limits follow HubSpot's documentation (routes.ts, search.ts,
 * rate-limit.ts); the data is the seed's (seed.ts, named for tests in fixtures.ts).
 */
export const hubspotSandbox: FastifyPluginAsync<HubspotSandboxOptions> = async (app, options) => {
  const store = new HubspotStore(options.portals ?? seedHubspotPortals());
  const now = options.now ?? Date.now;
  const limits = new HubspotRateLimits({
    burstLimit: options.burstLimit ?? DEFAULT_BURST_LIMIT,
    dailyLimit: options.dailyLimit ?? DEFAULT_DAILY_LIMIT,
    searchPerSecond: options.searchPerSecond ?? DEFAULT_SEARCH_PER_SECOND,
    now,
  });
  const correlationIds = new CorrelationIds();
  const assigned = new WeakMap<FastifyRequest, string>();
  const correlationOf = (request: FastifyRequest): string => {
    let id = assigned.get(request);
    if (!id) {
      id = correlationIds.next();
      assigned.set(request, id);
    }
    return id;
  };
  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    answer: HubspotErrorAnswer | { status: number; body: unknown },
  ) => reply.code(answer.status).header('x-hubspot-correlation-id', correlationOf(request)).send(answer.body);
  const prefix = app.prefix;
  const forPortal = countTenantRequests(app, 'hubspot', options.usage);

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?', 1)[0];
    return send(
      request,
      reply,
      errorAnswer(
        404,
        'OBJECT_NOT_FOUND',
        `No HubSpot API endpoint at ${request.method} ${path}.`,
        correlationOf(request),
      ),
    );
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return send(
        request,
        reply,
        errorAnswer(status, 'VALIDATION_ERROR', `Invalid request: ${error.message}`, correlationOf(request)),
      );
    }
    request.log.error(error);
    return send(request, reply, errorAnswer(500, 'INTERNAL_ERROR', 'internal error', correlationOf(request)));
  });

  const serve = (route: HubspotRoute) => async (request: FastifyRequest, reply: FastifyReply) => {
    const correlationId = correlationOf(request);
    const token = bearerToken(request.headers.authorization);
    const portal = token === undefined ? undefined : store.byToken(token);
    if (token === undefined || !portal) {
      const message = token === undefined ? MISSING_CREDENTIALS : INVALID_CREDENTIALS;
      return send(request, reply, errorAnswer(401, 'INVALID_AUTHENTICATION', message, correlationId));
    }

    forPortal(request, portal.key);
    const outcome = route.search ? limits.takeSearch(portal.key) : limits.takeStandard(token, portal.key);
    void reply.headers(outcome.headers);
    if (outcome.refused) {
      // HubSpot's "API usage guidelines and limits" document the JSON body and the X-HubSpot-RateLimit-* headers,
      // not a Retry-After, so the sandbox sends none: a client must back off on its own.
      return send(request, reply, { status: 429, body: rateLimitBody(outcome.refused.policy, correlationId) });
    }

    if (route.method === 'POST' && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      const message = `Unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '')}: send application/json.`;
      return send(request, reply, errorAnswer(415, 'VALIDATION_ERROR', message, correlationId));
    }

    const answer = route.handle({
      portal,
      correlationId,
      base: `${request.protocol}://${request.host}${prefix}`,
      params: (request.params ?? {}) as Record<string, string>,
      query: (request.query ?? {}) as Record<string, unknown>,
      body: request.body,
      now,
    });
    return send(request, reply, answer);
  };

  for (const route of HUBSPOT_ROUTES) app.route({ method: route.method, url: route.url, handler: serve(route) });
};

/** The token of `Authorization: Bearer <token>`; undefined for no header or another scheme. */
function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
