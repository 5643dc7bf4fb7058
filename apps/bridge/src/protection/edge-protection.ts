import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectorRegistry } from '#interactions';
import { httpReason, type ErrorBody } from '../errors/bridge-exception.filter.js';
import { telemetryOf } from '../telemetry/request-telemetry.js';
import { CALLER_SECRET_AUTH_FIELD, CALLER_SECRET_HEADER } from './caller-secret.js';
import type { EdgeLimiters, RejectionReason } from './edge-limiters.js';
import { tenantKey } from './tenant-key.js';

/** Open to anyone, whatever the settings: Kubernetes' probes and Prometheus' scrape (which can be moved off, METRICS_PORT). */
const OPEN_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);
/**
 * The OpenAPI document and its UI (openapi.ts): no caller secret, since a browser cannot send a header to open a page
 * (the UI's "Authorize" adds it to the requests it tries). They show the API's shape and the connectors' names, no
 * data (SECURITY.md). Unlike the probes they count toward the per-address limit: strangers can reach them.
 */
const DOCS_ROUTE = /^\/docs(\/|$)/;
/**
 * The integration document Talkdesk's submission form asks for (integration.controller.ts): public like /docs for
 * the same reasons. It holds the caller secret's field name, never its value.
 */
const INTEGRATION_ROUTE = '/:connector/integration';
/** The refusals' messages, also the OpenAPI document's examples. */
export const CALLER_SECRET_MISSING = 'this bridge needs its caller secret';
export const ADDRESS_OVER_LIMIT = 'too many requests from this address';
export const TENANT_OVER_LIMIT = 'too many requests for this tenant';
export const LOCKED_OUT = 'these credentials were refused too often from this address; try again after Retry-After';
const TALKDESK_ROUTES = new Set(['/:connector/interactions', '/:connector/auth/validate']);

interface EdgeState {
  /** The caller secret is still to be found in the body's `auth` (it was not in the header). */
  secretInBody?: boolean;
  /** Set once the request passed the edge: its tenant (the per-tenant limit's and the lockout's key). */
  tenant?: string;
  /** The keyed hash of its credentials, when anything is counted per tenant. */
  credential?: string;
  /** Whether a CRM had accepted those credentials recently when the request arrived. */
  knownGood?: boolean;
}
const stateByRequest = new WeakMap<FastifyRequest, EdgeState>();

/**
 * The edge's defences, in this order, each before any CRM call:
 * 1. the caller secret (BRIDGE_CALLER_SECRET), on every route but the probes, /metrics, /docs and the integration
 *    documents: 401 before anything else;
 * 2. the per-address rate limit, on every request: 429 with Retry-After;
 * 3. once the body is parsed (Talkdesk's routes): the secret from `auth` when the header had none; then, for
 *    credentials a CRM accepted recently (known good, on any replica), the per-tenant limit, charged (429); for any
 *    other credentials, the lockout of this tenant and address (401), and the per-tenant limit checked but not
 *    charged (429 only while the tenant's own requests have spent it);
 * 4. after the answer: credentials the CRM accepted become known good (and the request is charged to its tenant if
 *    it was not already); every 401 of a Talkdesk route counts toward the lockout of its tenant and address, whether
 *    the CRM refused the credentials or the bridge did before any call (malformed), so that no refusal is free.
 * So a stranger, whatever it sends, spends only its own address's limit and locks only its own address; only what
 * the tenant's valid credentials ask for spends the tenant's limit (SECURITY.md).
 * Registered before the rest of the edge, so a refused request costs no parsing, validation or CRM call.
 */
export function installEdgeProtection(fastify: FastifyInstance, limiters: EdgeLimiters, registry: ConnectorRegistry) {
  const secret = limiters.callerSecret;

  fastify.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route !== undefined && OPEN_ROUTES.has(route)) return;
    if (secret.required && !(route !== undefined && (DOCS_ROUTE.test(route) || route === INTEGRATION_ROUTE))) {
      const given = request.headers[CALLER_SECRET_HEADER];
      if (given === undefined && talkdeskJson(request, route)) {
        stateByRequest.set(request, { secretInBody: true });
      } else if (!secret.accepts(given)) {
        return refuse(request, reply, 'caller_secret', 401, CALLER_SECRET_MISSING, limiters);
      }
    }
    const overLimit = await limiters.takeAddress(request.ip);
    if (overLimit) {
      return refuse(request, reply, 'address_limit', 429, ADDRESS_OVER_LIMIT, limiters, overLimit);
    }
  });

  fastify.addHook('preValidation', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || !TALKDESK_ROUTES.has(route)) return;
    const state = stateByRequest.get(request) ?? {};
    const auth = (request.body as { auth?: unknown } | null | undefined)?.auth;
    const authFields = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>) : undefined;
    const fromBody = authFields && Object.hasOwn(authFields, CALLER_SECRET_AUTH_FIELD) ? authFields : undefined;
    const given = fromBody?.[CALLER_SECRET_AUTH_FIELD];
    // Never passed on: not a CRM credential, and it must not reach a connector, a cache key or a log line.
    if (fromBody) delete fromBody[CALLER_SECRET_AUTH_FIELD];
    if (state.secretInBody && !secret.accepts(given)) {
      return refuse(request, reply, 'caller_secret', 401, CALLER_SECRET_MISSING, limiters);
    }

    const registered = registry.get((request.params as { connector?: string }).connector ?? '');
    const tenant = registered && tenantKey(registered, auth);
    if (!tenant) return; // an unknown connector (404) or a body without `auth` (400): answered further on
    const credential = limiters.credentialKey(registered.name, auth as Record<string, unknown>);
    const knownGood = await limiters.knownGood(credential);
    // A credential the CRM accepted recently is the tenant's own: a lockout of this address (which a stranger
    // sharing it could have caused) does not refuse it. Any other is a guess until the CRM says otherwise.
    const locked = knownGood ? undefined : await limiters.lockedOut(tenant, request.ip);
    if (locked) return refuse(request, reply, 'lockout', 401, LOCKED_OUT, limiters, locked);
    const overLimit = await limiters.admitTenant(tenant, knownGood);
    if (overLimit) {
      return refuse(request, reply, 'tenant_limit', 429, TENANT_OVER_LIMIT, limiters, overLimit);
    }
    stateByRequest.set(request, { ...state, tenant, credential, knownGood });
  });

  // Callback style: most answers have nothing to wait for, and an async hook costs a promise per request.
  fastify.addHook('onResponse', (request, reply, done) => {
    const state = stateByRequest.get(request);
    const tenant = state?.tenant;
    if (!tenant) return done();
    const status = reply.statusCode;
    if (status === 401) {
      // The CRM's verdict, or the bridge's on credentials it could not even send: either way a refusal to count.
      limiters
        .credentialsRejected(tenant, request.ip, state.knownGood ? state.credential : undefined)
        .then(() => done(), done);
      return;
    }
    const usage = telemetryOf(request);
    // Accepted: the CRM answered with these credentials, or the cache did (its entries are keyed by them and were
    // stored from an answer the CRM gave them). An answer that asked nothing of the CRM (a type the connector does
    // not have) says nothing about them.
    const accepted = status >= 200 && status < 300 && (usage.crmCalls > 0 || usage.cacheHits > 0);
    if (accepted && state.credential !== undefined) {
      limiters.credentialsAccepted(tenant, state.credential, state.knownGood === true).then(() => done(), done);
      return;
    }
    done();
  });
}

/** A POST with a JSON body to a Talkdesk route: its secret may be in `auth`, read once the body is parsed. */
function talkdeskJson(request: FastifyRequest, route: string | undefined): boolean {
  if (request.method !== 'POST' || route === undefined || !TALKDESK_ROUTES.has(route)) return false;
  const mime = String(request.headers['content-type'] ?? '').split(';')[0]!;
  return mime.trim().toLowerCase() === 'application/json';
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  reason: RejectionReason,
  status: 401 | 429,
  message: string,
  limiters: EdgeLimiters,
  refusal?: { retryAfterSeconds: number },
): FastifyReply {
  limiters.rejected(reason);
  if (refusal) reply.header('retry-after', String(refusal.retryAfterSeconds));
  const body: ErrorBody = { statusCode: status, error: httpReason(status), message, requestId: request.id };
  return reply.status(status).header('x-request-id', request.id).type('application/json; charset=utf-8').send(body);
}
