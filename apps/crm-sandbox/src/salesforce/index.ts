import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import dns from 'node:dns';
import type { Server } from 'node:http';
import { MalformedQuery } from './query-lexer.js';
import { presentRecord, runSosl, runSoql } from './query-engine.js';
import type { SalesforceOrg } from './org.js';
import { RECORD_ID, objectName, type SObject } from './schema.js';
import { seedAcme, seedGlobex } from './seed.js';

export { SALESFORCE_SANDBOX } from './fixtures.js';
export type { SalesforceOrg } from './org.js';

/**
 * Salesforce's REST API for two seeded orgs, each under the sandbox as `/salesforce/{instance host}`: the bridge's
 * server configuration (SALESFORCE_API_URL, defaulted from CRM_SANDBOX_URL) sends an org's calls, after its
 * instance_url passed the connector's checks, to `<sandbox>/salesforce/<host>` instead of `https://<host>`.
 *
 * Served: GET /services/data/vNN.0 (resources), /query?q= (SOQL) and /query/{locator}, /search?q= (SOSL),
 * /sobjects/{Object}/{id}, and POST /composite with references. Bearer tokens per org (401 INVALID_SESSION_ID),
 * a daily allowance (403 REQUEST_LIMIT_EXCEEDED) reported in `Sforce-Limit-Info` on every answer, and Salesforce's
 * error bodies, `[{ "message", "errorCode" }]`.
 */
export interface SalesforceSandboxOptions {
  /**
   * Records per query batch. Salesforce's default is 2,000, but "the returned batch can include fewer records than
   * the limit" ("Query", REST API Developer Guide); the stand-in uses 20 so connectors must follow nextRecordsUrl.
   */
  batchSize?: number;
}

export interface SalesforceSandboxState {
  orgs: Map<string, SalesforceOrg>;
  org(host: string): SalesforceOrg;
}

const STATES = new WeakMap<Server, SalesforceSandboxState>();

/** The orgs of a running sandbox (its Fastify app), for tests: spend an allowance, switch an object off. */
export function salesforceSandboxOf(app: FastifyInstance): SalesforceSandboxState {
  const state = STATES.get(app.server);
  if (!state) throw new Error('this sandbox has no Salesforce stand-in');
  return state;
}

/** Salesforce's domains for org hosts, as the bridge's connector lists them (salesforce-instance-url.ts). */
const SALESFORCE_DOMAINS = ['.salesforce.com', '.force.com'];

type LookupCallback = (error: NodeJS.ErrnoException | null, address?: unknown, family?: number) => void;
/** `dns.lookup`'s shape, loosely: (hostname, options?, callback). */
export type DnsLookup = (hostname: string, options: unknown, callback?: LookupCallback) => void;

/**
 * The path under which an org's call is served when it arrives by the org's host name (`Host: acme.my.salesforce.com`,
 * any port), as at Salesforce: `/salesforce/{host}` and the call's own path. Other hosts' calls keep their path.
 */
export function salesforceHostPath(hostHeader: string | undefined, url: string): string {
  const host = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
  return SALESFORCE_DOMAINS.some((domain) => host.endsWith(domain)) ? `/salesforce/${host}${url}` : url;
}

/**
 * Salesforce's DNS as far as this sandbox's orgs go, in `dns.lookup`'s shape, for tests that reach the orgs by their
 * host names (SALESFORCE_API_URL=`http://{host}:<port>`, served by salesforceHostPath) with this as the process's `dns.lookup`:
 * an org's host resolves to the sandbox's address; any other name under Salesforce's domains does not exist
 * (ENOTFOUND), as the My Domain of an org that does not exist never resolves (Salesforce's CLI library looks a My
 * Domain up in DNS and reports a name that does not resolve as "The org cannot be found": MyDomainResolver,
 * https://github.com/forcedotcom/sfdx-core/blob/main/src/status/myDomainResolver.ts); other names go to `fallback`.
 */
export function salesforceSandboxLookup(app: FastifyInstance, address: string, fallback: DnsLookup): DnsLookup {
  const { orgs } = salesforceSandboxOf(app);
  return (hostname, options, callback) => {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    const host = hostname.toLowerCase();
    if (!SALESFORCE_DOMAINS.some((domain) => host.endsWith(domain))) {
      return fallback(hostname, options, callback);
    }
    if (!orgs.has(host)) {
      const missing = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: dns.NOTFOUND,
        syscall: 'getaddrinfo',
        hostname,
      });
      process.nextTick(done, missing);
      return;
    }
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
    if (all) process.nextTick(done, null, [{ address, family: 4 }]);
    else process.nextTick(done, null, address, 4);
  };
}

interface Answer {
  status: number;
  body: unknown;
}

const error = (status: number, errorCode: string, message: string): Answer => ({
  status,
  body: [{ message, errorCode }],
});
const NOT_FOUND = () => error(404, 'NOT_FOUND', 'The requested resource does not exist');
/** Versions the stand-in answers; others are 404, as Salesforce does for a version it does not have. */
const VERSION = /^v(\d{2})\.0$/;

export const salesforceSandbox: FastifyPluginAsync<SalesforceSandboxOptions> = async (app, options) => {
  const orgs = new Map([seedAcme(), seedGlobex()].map((org) => [org.host, org]));
  const batchSize = options.batchSize ?? 20;
  STATES.set(app.server, {
    orgs,
    org: (host) => {
      const org = orgs.get(host);
      if (!org) throw new Error(`no sandbox org at ${host}`);
      return org;
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/:host/*',
    handler: async (request, reply) => {
      const { host } = request.params as { host: string };
      const org = orgs.get(host);
      if (!org) {
        // No org has this host name, so no server answers for it: its name does not even resolve
        // (salesforceSandboxLookup). Reached by path, the nearest an HTTP server comes is to drop the connection
        // unanswered.
        reply.hijack();
        request.raw.socket.destroy();
        return;
      }
      const answer = authorise(org, request.headers.authorization) ?? spend(org);
      const marker = `/${host}`;
      const rest = request.url.slice(request.url.indexOf(marker) + marker.length);
      const result = answer ?? dispatch(org, request.method, rest, request.body, batchSize, true);
      return reply
        .code(result.status)
        .header('Sforce-Limit-Info', `api-usage=${org.apiUsed}/${org.apiLimit}`)
        .type('application/json;charset=UTF-8')
        .send(JSON.stringify(result.body));
    },
  });
};

function authorise(org: SalesforceOrg, header: string | undefined): Answer | undefined {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  if (token === org.token) return undefined;
  return error(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
}

/** Every authenticated call spends one of the org's daily calls; a composite counts once, whatever it holds. */
function spend(org: SalesforceOrg): Answer | undefined {
  if (org.apiUsed >= org.apiLimit) return error(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  org.apiUsed++;
  return undefined;
}

function dispatch(
  org: SalesforceOrg,
  method: string,
  rest: string,
  body: unknown,
  batchSize: number,
  topLevel: boolean,
): Answer {
  const url = new URL(rest, 'http://sandbox.invalid');
  const match = /^\/services\/data\/([^/]+)(\/.*)?$/.exec(url.pathname);
  const version = match?.[1] ?? '';
  const versionNumber = Number(VERSION.exec(version)?.[1]);
  if (!match || !(versionNumber >= 31 && versionNumber <= 62)) return NOT_FOUND();
  org.apiVersion = version;
  const path = (match[2] ?? '').replace(/\/+$/, '');
  try {
    if (method === 'POST' && path === '/composite' && topLevel) return composite(org, version, body, batchSize);
    if (method !== 'GET') return error(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed.`);
    if (path === '')
      return {
        status: 200,
        body: {
          query: `/services/data/${version}/query`,
          search: `/services/data/${version}/search`,
          sobjects: `/services/data/${version}/sobjects`,
          composite: `/services/data/${version}/composite`,
        },
      };
    if (path === '/query') return firstBatch(org, version, runSoql(org, requiredQ(url)), batchSize);
    const locator = /^\/query\/([A-Za-z0-9]+)-(\d+)$/.exec(path);
    if (locator) return nextBatch(org, version, locator[1]!, Number(locator[2]), batchSize);
    if (path === '/search') return { status: 200, body: { searchRecords: runSosl(org, requiredQ(url)) } };
    const sobject = /^\/sobjects\/([^/]+)\/([^/]+)$/.exec(path);
    if (sobject)
      return readRecord(
        org,
        decodeURIComponent(sobject[1]!),
        decodeURIComponent(sobject[2]!),
        url.searchParams.get('fields') ?? undefined,
      );
    return NOT_FOUND();
  } catch (thrown) {
    if (thrown instanceof MalformedQuery) return error(400, thrown.errorCode, thrown.message);
    throw thrown;
  }
}

function requiredQ(url: URL): string {
  const q = url.searchParams.get('q');
  if (!q) throw new MalformedQuery('A query string has to be specified');
  return q;
}

function firstBatch(org: SalesforceOrg, version: string, records: SObject[], batchSize: number): Answer {
  if (records.length <= batchSize) return { status: 200, body: { totalSize: records.length, done: true, records } };
  const locator = org.keepCursor(records);
  return {
    status: 200,
    body: {
      totalSize: records.length,
      done: false,
      nextRecordsUrl: `/services/data/${version}/query/${locator}-${batchSize}`,
      records: records.slice(0, batchSize),
    },
  };
}

function nextBatch(org: SalesforceOrg, version: string, locator: string, offset: number, batchSize: number): Answer {
  const records = org.takeCursor(locator);
  if (!records || offset >= records.length) return error(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  const end = offset + batchSize;
  const done = end >= records.length;
  if (!done) org.keepCursorAs(locator, records);
  return {
    status: 200,
    body: {
      totalSize: records.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${locator}-${end}` }),
      records: records.slice(offset, end),
    },
  };
}

function readRecord(org: SalesforceOrg, name: string, id: string, fields: string | undefined): Answer {
  const object = objectName(name);
  if (!object || org.disabled(object)) return error(404, 'NOT_FOUND', `The requested resource does not exist`);
  const record = RECORD_ID.test(id) ? org.record(object, id) : undefined;
  if (!record) return NOT_FOUND();
  return { status: 200, body: presentRecord(org, object, record, fields) };
}

/**
 * POST /composite: subrequests in order, each a GET on the resources above; `@{ref.field}` and
 * `@{ref.records[0].Id}` in a URL are replaced by an earlier answer's value. With `allOrNone: false`, a subrequest
 * whose reference cannot be resolved (its source failed or has no such value) is not run and answers 400
 * PROCESSING_HALTED; the others run. With `allOrNone: true`, any failure turns every other answer into 400
 * PROCESSING_HALTED. Limits: 25 subrequests, 5 of them queries ("Send Multiple Requests Using Composite", REST API
 * Developer Guide). Where Salesforce does not document the failure of a reference, the stand-in does the least
 * convenient thing: the dependent subrequest fails, and the connector must not rely on its error code.
 */
function composite(org: SalesforceOrg, version: string, body: unknown, batchSize: number): Answer {
  const input = body as { allOrNone?: unknown; compositeRequest?: unknown } | undefined;
  const subrequests = input?.compositeRequest;
  if (!Array.isArray(subrequests) || subrequests.length === 0)
    return error(400, 'JSON_PARSER_ERROR', 'compositeRequest is required');
  if (subrequests.length > 25)
    return error(400, 'LIMIT_EXCEEDED', 'A composite request can contain at most 25 subrequests');
  const queries = subrequests.filter((sub) => typeof sub?.url === 'string' && /\/query(All)?[/?]/.test(sub.url)).length;
  if (queries > 5) return error(400, 'LIMIT_EXCEEDED', 'A composite request can contain at most 5 query operations');
  const answers = new Map<string, Answer>();
  const results: { body: unknown; httpHeaders: object; httpStatusCode: number; referenceId: string }[] = [];
  for (const sub of subrequests as { method?: unknown; url?: unknown; referenceId?: unknown }[]) {
    const referenceId =
      typeof sub.referenceId === 'string' && /^[A-Za-z0-9_]+$/.test(sub.referenceId) ? sub.referenceId : undefined;
    if (!referenceId || answers.has(referenceId) || typeof sub.url !== 'string' || typeof sub.method !== 'string') {
      return error(400, 'INVALID_INPUT', 'each subrequest needs a method, a url and a unique referenceId');
    }
    if (!sub.url.startsWith(`/services/data/${version}/`))
      return error(400, 'INVALID_INPUT', "subrequests use the composite request's version");
    const resolved = resolveReferences(sub.url, answers);
    const answer =
      'halted' in resolved ? resolved.halted : dispatch(org, sub.method, resolved.url, undefined, batchSize, false);
    answers.set(referenceId, answer);
    results.push({ body: answer.body, httpHeaders: {}, httpStatusCode: answer.status, referenceId });
  }
  if (input?.allOrNone === true && results.some((result) => result.httpStatusCode >= 400)) {
    for (const result of results) {
      if (result.httpStatusCode < 400) {
        result.httpStatusCode = 400;
        result.body = [
          {
            errorCode: 'PROCESSING_HALTED',
            message: 'The transaction was rolled back since another operation in the same transaction failed.',
          },
        ];
      }
    }
  }
  return { status: 200, body: { compositeResponse: results } };
}

function resolveReferences(url: string, answers: Map<string, Answer>): { url: string } | { halted: Answer } {
  let halted: Answer | undefined;
  const replaced = url.replace(
    /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])+)\}/g,
    (whole, ref: string, path: string) => {
      const source = answers.get(ref);
      let value: unknown = source && source.status < 300 ? source.body : undefined;
      for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
        if (value === undefined || value === null) break;
        value = step.startsWith('[')
          ? (value as unknown[])[Number(step.slice(1, -1))]
          : (value as Record<string, unknown>)[step.slice(1)];
      }
      if (typeof value !== 'string' && typeof value !== 'number') {
        halted ??= error(
          400,
          'PROCESSING_HALTED',
          `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`,
        );
        return whole;
      }
      return encodeURIComponent(String(value));
    },
  );
  return halted ? { halted } : { url: replaced };
}
