import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Server } from 'node:http';
import { answerBatch, parseBatch } from './batch.js';
import type { DynamicsOrg } from './org.js';
import { seedAcme, seedGlobex } from './seed.js';
import { admit, count } from './service-protection.js';
import { answerWebApi, dataverseError, type Answer } from './web-api.js';

export { DYNAMICS_SANDBOX } from './fixtures.js';
export type { DynamicsOrg } from './org.js';

/**
 * The Dataverse Web API of two seeded Dynamics 365 orgs, each under the sandbox as `/dynamics/{org host}`: the
 * bridge's server configuration (DYNAMICS_API_URL, defaulted from CRM_SANDBOX_URL) sends an org's calls, once its
 * org_url passed the connector's checks, to `<sandbox>/dynamics/<host>` instead of `https://<host>`.
 *
 * Served under `/api/data/v9.2/`: `WhoAmI`, `contacts({id})`, the collection queries of contacts, incidents, tasks,
 * phonecalls and annotations (OData options parsed by a real grammar, anything else refused with Dataverse's error
 * body), `@odata.nextLink` paging, and `POST $batch`. Bearer tokens per org (401 with `WWW-Authenticate`, no body),
 * and the service protection limits per user (429 with `Retry-After`).
 */
export interface DynamicsSandboxOptions {
  /** Rows per page. Dataverse returns "up to 5,000"; the stand-in returns 20, so connectors must follow nextLink. */
  pageSize?: number;
}

export interface DynamicsSandboxState {
  orgs: Map<string, DynamicsOrg>;
  org(host: string): DynamicsOrg;
}

const STATES = new WeakMap<Server, DynamicsSandboxState>();

/** The orgs of a running sandbox (its Fastify app), for tests: lower a limit, count requests. */
export function dynamicsSandboxOf(app: FastifyInstance): DynamicsSandboxState {
  const state = STATES.get(app.server);
  if (!state) throw new Error('this sandbox has no Dynamics stand-in');
  return state;
}

export const dynamicsSandbox: FastifyPluginAsync<DynamicsSandboxOptions> = async (app, options) => {
  const orgs = new Map([seedAcme(), seedGlobex()].map((org) => [org.host, org]));
  const pageSize = options.pageSize ?? 20;
  STATES.set(app.server, {
    orgs,
    org: (host) => {
      const org = orgs.get(host);
      if (!org) throw new Error(`no sandbox org at ${host}`);
      return org;
    },
  });
  app.addContentTypeParser(/^multipart\/mixed/i, { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.route({
    method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    url: '/:host/*',
    handler: async (request, reply) => {
      const { host } = request.params as { host: string };
      const org = orgs.get(host);
      if (!org) return reply.code(404).type('text/plain').send(`no org at ${host}`);
      if (!authorised(org, request.headers.authorization)) {
        // Dataverse answers an unauthenticated call 401 with a Bearer challenge and no body.
        return reply
          .code(401)
          .header(
            'WWW-Authenticate',
            `Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize, resource_id=https://${host}/`,
          )
          .send();
      }
      const throttle = admit(org);
      if (throttle) {
        return send(reply, {
          ...dataverseError(429, throttle.code, throttle.message),
          headers: { 'Retry-After': String(throttle.retryAfterSeconds) },
        });
      }
      const counted = count(org);
      try {
        const marker = `/${host}`;
        const orgPath = request.url.slice(request.url.indexOf(marker) + marker.length);
        const orgRoot = `${request.protocol}://${request.headers.host}${request.url.slice(0, request.url.indexOf(marker) + marker.length)}`;
        const serviceRoot = `${orgRoot}/api/data/v9.2`;
        if (request.method === 'POST' && /^\/api\/data\/v9\.[0-2]\/\$batch$/.test(orgPath)) {
          const parsed = parseBatch(
            request.headers['content-type'],
            typeof request.body === 'string' ? request.body : '',
            orgRoot,
          );
          if ('refused' in parsed) return send(reply, parsed.refused);
          const prefer = String(request.headers.prefer ?? '');
          const batch = answerBatch(parsed.requests, /\bodata\.continue-on-error\b/.test(prefer), (part) =>
            answerWebApi(org, part.method, part.path, serviceRoot, pageSize),
          );
          return reply.code(batch.status).header('OData-Version', '4.0').type(batch.contentType).send(batch.body);
        }
        return send(reply, answerWebApi(org, request.method, orgPath, serviceRoot, pageSize));
      } finally {
        counted.done();
      }
    },
  });
};

function authorised(org: DynamicsOrg, header: string | undefined): boolean {
  return /^Bearer (.+)$/.exec(header ?? '')?.[1] === org.token;
}

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status).header('OData-Version', '4.0');
  for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
  if (answer.body === undefined) return reply.send();
  return reply.type('application/json; odata.metadata=minimal').send(JSON.stringify(answer.body));
}
