import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FilterQueryError, matches, parseFilterQuery } from './filter-query.js';
import type { FreshdeskAccountData, FreshdeskContactRecord, FreshdeskPlan, FreshdeskTicketRecord } from './model.js';
import { FreshdeskRateLimiter, rateLimitHeaders, type LimitedList } from './rate-limit.js';
import { seedFreshdeskAccounts } from './seed.js';

export { FRESHDESK_SANDBOX } from './fixtures.js';
export type { FreshdeskAccountData, FreshdeskPlan } from './model.js';
export { seedFreshdeskAccounts } from './seed.js';

export interface FreshdeskSandboxOptions {
  /** Replaces every account's limits (load and fuzz tests raise them); each account's own plan otherwise. */
  plan?: Partial<Omit<FreshdeskPlan, 'name'>>;
  /** The clock (ms), for the rate limits and the tickets list's 30-day default. */
  now?: () => number;
  /** Serve these accounts instead of the seeded ones. */
  accounts?: FreshdeskAccountData[];
}

const API_PREFIX = '/api/v2/';
/** Filter Contacts answers 30 contacts a page, and pages 1 to 10. */
const SEARCH_PAGE_SIZE = 30;
const SEARCH_MAX_PAGE = 10;
/** The contacts' autocomplete answers at most this many (the reference gives no number: the sandbox cuts short). */
export const AUTOCOMPLETE_MAX = 10;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
const THIRTY_DAYS_MS = 30 * 24 * 3_600_000;
/** Each `include` of the tickets list costs 2 more credits. */
const INCLUDE_CREDITS = 2;

type Query = Record<string, string>;

class ValidationFailed extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly code = 'invalid_value',
  ) {
    super(message);
  }
}

class NotFound extends Error {}

interface Answer {
  body: unknown;
  link?: string;
}

/**
 * Freshdesk's API v2, one account per domain: a real `https://acme.freshdesk.com/api/v2/contacts/1` is
 * `{prefix}/acme/api/v2/contacts/1` here. Basic authentication with an API key, the JSON shapes, filters, the filter
 * query language, pagination (`page`, `per_page`, the `link` header), error bodies and the per-minute limits follow
 * Freshdesk's API reference (https://developers.freshdesk.com/api/); where it is silent, the sandbox does the least
 * convenient thing Freshdesk could (conversations oldest first, exact and case-sensitive matching, an autocomplete
 * cut at AUTOCOMPLETE_MAX, a 404 page in HTML for a domain no account has).
 */
export const freshdeskSandbox: FastifyPluginAsync<FreshdeskSandboxOptions> = async (app, options) => {
  const accounts = new Map((options.accounts ?? seedFreshdeskAccounts()).map((account) => [account.domain, account]));
  const now = options.now ?? Date.now;
  const limiter = new FreshdeskRateLimiter(now);

  app.get<{ Params: { domain: string } }>('/:domain/*', async (request, reply) => {
    const account = accounts.get(request.params.domain);
    if (!account) return reply.code(404).type('text/html; charset=utf-8').send(NO_HELPDESK_PAGE);
    const plan = { ...account.plan, ...options.plan };
    const path = request.url.split('?', 1)[0]!;
    const apiAt = path.indexOf(API_PREFIX);
    const route = apiAt < 0 ? '' : path.slice(apiAt + API_PREFIX.length).replace(/\/+$/, '');
    const query = queryOf(request);
    const { credits, list } = costOf(route, query);

    const verdict = limiter.take(account.domain, plan, credits, list);
    reply.headers(rateLimitHeaders(verdict));
    if (!verdict.allowed) {
      return reply
        .code(429)
        .header('retry-after', String(verdict.retryAfterSeconds))
        .type('text/plain; charset=utf-8')
        .send('Rate limit exceeded');
    }
    if (!authenticated(request.headers.authorization, account.agent.apiKey)) {
      return reply.code(401).send({
        code: 'invalid_credentials',
        message: 'You have to be logged in to perform this action.',
      });
    }

    try {
      const answer = handle(account, route, query, now());
      if (answer.link) {
        const base = `${request.protocol}://${request.host}${path.slice(0, apiAt)}${API_PREFIX}${route}`;
        reply.header('link', `<${base}?${answer.link}>; rel="next"`);
      }
      return reply.code(200).send(answer.body);
    } catch (error) {
      if (error instanceof ValidationFailed) return validationFailed(reply, error);
      if (error instanceof FilterQueryError) {
        return validationFailed(reply, new ValidationFailed('query', error.message));
      }
      if (error instanceof NotFound) return reply.code(404).send();
      throw error;
    }
  });
};

/** What a call costs: credits, and which list's own allowance it uses. */
function costOf(route: string, query: Query): { credits: number; list?: LimitedList } {
  if (route === 'tickets') {
    const includes = (query.include ?? '').split(',').filter(Boolean).length;
    return { credits: 1 + INCLUDE_CREDITS * includes, list: 'tickets' };
  }
  if (route === 'contacts') return { credits: 1, list: 'contacts' };
  return { credits: 1 };
}

function handle(account: FreshdeskAccountData, route: string, query: Query, now: number): Answer {
  let match: RegExpExecArray | null;
  if (route === 'agents/me') return { body: agentJson(account) };
  if (route === 'contacts') return listContacts(account, query);
  if (route === 'contacts/autocomplete') return autocomplete(account, query);
  if ((match = /^contacts\/(\d+)$/.exec(route))) {
    const contact = account.contacts.find((candidate) => candidate.id === Number(match![1]));
    if (!contact) throw new NotFound();
    return { body: contactJson(contact) };
  }
  if (route === 'search/contacts') return filterContacts(account, query);
  if (route === 'tickets') return listTickets(account, query, now);
  if ((match = /^tickets\/(\d+)\/conversations$/.exec(route))) return conversations(account, Number(match[1]), query);
  throw new NotFound();
}

function listContacts(account: FreshdeskAccountData, query: Query): Answer {
  allowOnly(query, ['email', 'phone', 'mobile', 'state', 'company_id', 'updated_since', 'page', 'per_page']);
  if (query.state !== undefined && !['blocked', 'deleted', 'unverified', 'verified'].includes(query.state)) {
    throw new ValidationFailed('state', 'It should be one of these values: blocked,deleted,unverified,verified');
  }
  const contacts = account.contacts.filter(
    (contact) =>
      (query.state === 'deleted' ? contact.deleted === true : contact.deleted !== true) &&
      (query.email === undefined || contact.email === query.email) &&
      (query.phone === undefined || contact.phone === query.phone) &&
      (query.mobile === undefined || contact.mobile === query.mobile),
  );
  return paged(contacts.map(contactJson), query);
}

function autocomplete(account: FreshdeskAccountData, query: Query): Answer {
  allowOnly(query, ['term']);
  const words = (query.term ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new ValidationFailed('term', 'It should not be blank', 'missing_field');
  const found = account.contacts.filter((contact) => {
    const names = contact.name.toLowerCase().split(/\s+/);
    return words.every((word) => names.some((name) => name.startsWith(word)));
  });
  return { body: found.slice(0, AUTOCOMPLETE_MAX).map(({ id, name }) => ({ id, name })) };
}

function filterContacts(account: FreshdeskAccountData, query: Query): Answer {
  allowOnly(query, ['query', 'page']);
  if (query.query === undefined) throw new ValidationFailed('query', 'It should not be blank', 'missing_field');
  const page = pageNumber(query.page);
  if (page > SEARCH_MAX_PAGE) throw new ValidationFailed('page', `It should be between 1 and ${SEARCH_MAX_PAGE}`);
  const condition = parseFilterQuery(query.query);
  const found = account.contacts.filter((contact) => contact.deleted !== true && matches(condition, contact));
  const results = found.slice((page - 1) * SEARCH_PAGE_SIZE, page * SEARCH_PAGE_SIZE).map(contactJson);
  return { body: { results, total: found.length } };
}

function listTickets(account: FreshdeskAccountData, query: Query, now: number): Answer {
  allowOnly(query, [
    'requester_id',
    'email',
    'company_id',
    'updated_since',
    'order_by',
    'order_type',
    'include',
    'filter',
    'page',
    'per_page',
  ]);
  const orderBy = query.order_by ?? 'created_at';
  if (!['created_at', 'updated_at', 'due_by', 'status'].includes(orderBy)) {
    throw new ValidationFailed('order_by', 'It should be one of these values: created_at,due_by,updated_at,status');
  }
  const orderType = query.order_type ?? 'desc';
  if (!['asc', 'desc'].includes(orderType)) {
    throw new ValidationFailed('order_type', 'It should be one of these values: asc,desc');
  }
  const includes = (query.include ?? '').split(',').filter(Boolean);
  for (const include of includes) {
    if (!['description', 'requester', 'stats'].includes(include)) {
      throw new ValidationFailed('include', 'It should be one of these values: description,requester,stats');
    }
  }
  if (query.requester_id !== undefined && !/^\d+$/.test(query.requester_id)) {
    throw new ValidationFailed('requester_id', 'It should be a/an Positive Integer', 'datatype_mismatch');
  }
  const since = query.updated_since === undefined ? undefined : Date.parse(query.updated_since);
  if (since !== undefined && Number.isNaN(since)) {
    throw new ValidationFailed('updated_since', 'It should be in the YYYY-MM-DDTHH:MM:SSZ format');
  }
  const tickets = account.tickets
    .filter(
      (ticket) =>
        !ticket.spam &&
        (query.requester_id === undefined || ticket.requester_id === Number(query.requester_id)) &&
        // Without updated_since, only the tickets created in the past 30 days.
        (since === undefined
          ? Date.parse(ticket.created_at) >= now - THIRTY_DAYS_MS
          : Date.parse(ticket.updated_at) >= since),
    )
    .sort((a, b) => compareTickets(a, b, orderBy as keyof FreshdeskTicketRecord) * (orderType === 'desc' ? -1 : 1));
  return paged(
    tickets.map((ticket) => ticketJson(ticket, includes.includes('description'))),
    query,
  );
}

function compareTickets(a: FreshdeskTicketRecord, b: FreshdeskTicketRecord, key: keyof FreshdeskTicketRecord): number {
  const [x, y] = [a[key] ?? '', b[key] ?? ''];
  return x < y ? -1 : x > y ? 1 : a.id - b.id;
}

function conversations(account: FreshdeskAccountData, ticketId: number, query: Query): Answer {
  allowOnly(query, ['page', 'per_page']);
  if (!account.tickets.some((ticket) => ticket.id === ticketId)) throw new NotFound();
  // The reference gives no order: oldest first, the least convenient for a reader of the newest.
  const thread = account.conversations
    .filter((conversation) => conversation.ticket_id === ticketId)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
  return paged(thread, query);
}

/** One page of `items` (`page`, `per_page` at most 100), and the query of the next page when there is one. */
function paged(items: unknown[], query: Query): Answer {
  const page = pageNumber(query.page);
  const perPage = query.per_page === undefined ? DEFAULT_PER_PAGE : Number(query.per_page);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new ValidationFailed('per_page', `It should be a/an Positive Integer less than or equal to ${MAX_PER_PAGE}`);
  }
  const body = items.slice((page - 1) * perPage, page * perPage);
  if (page * perPage >= items.length) return { body };
  const next = new URLSearchParams({
    ...withoutSandboxParameters(query),
    page: String(page + 1),
    per_page: String(perPage),
  });
  return { body, link: next.toString() };
}

function pageNumber(raw: string | undefined): number {
  const page = raw === undefined ? 1 : Number(raw);
  if (!Number.isInteger(page) || page < 1) throw new ValidationFailed('page', 'It should be a/an Positive Integer');
  return page;
}

/** Freshdesk refuses a parameter it does not know. */
function allowOnly(query: Query, known: string[]): void {
  for (const key of Object.keys(query)) {
    if (!key.startsWith('__') && !known.includes(key))
      throw new ValidationFailed(key, 'Unexpected/invalid field in request', 'invalid_field');
  }
}

function withoutSandboxParameters(query: Query): Query {
  return Object.fromEntries(Object.entries(query).filter(([key]) => !key.startsWith('__')));
}

function agentJson(account: FreshdeskAccountData) {
  const { agent } = account;
  return {
    id: agent.id,
    available: true,
    occasional: false,
    ticket_scope: 1,
    created_at: '2024-01-02T09:00:00Z',
    updated_at: '2026-06-01T09:00:00Z',
    contact: { active: true, email: agent.email, name: agent.name, phone: agent.phone, mobile: null },
  };
}

function contactJson(contact: FreshdeskContactRecord) {
  return { ...contact };
}

function ticketJson(ticket: FreshdeskTicketRecord, withDescription: boolean) {
  const { description, description_text, ...rest } = ticket;
  return withDescription ? { ...rest, description, description_text } : rest;
}

/** `Basic base64({api_key}:{anything})`: the key is the user name, the password is not checked. */
function authenticated(authorization: string | undefined, apiKey: string): boolean {
  const [scheme = '', credential = ''] = (authorization ?? '').trim().split(/\s+/);
  if (scheme.toLowerCase() !== 'basic') return false;
  const decoded = Buffer.from(credential, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = Buffer.from(colon < 0 ? decoded : decoded.slice(0, colon));
  const expected = Buffer.from(apiKey);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** The error body of "Error Handling" (https://developers.freshdesk.com/api/#error). */
function validationFailed(reply: FastifyReply, error: ValidationFailed): FastifyReply {
  return reply.code(400).send({
    description: 'Validation failed',
    errors: [{ field: error.field, message: error.message, code: error.code }],
  });
}

/** The query as single strings (the first of repeated parameters). */
function queryOf(request: FastifyRequest): Query {
  const query: Query = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') query[key] = first;
  }
  return query;
}

/** What a domain without an account serves: a page for people, not the API's JSON. */
const NO_HELPDESK_PAGE = '<!DOCTYPE html><html><body><h1>There is no helpdesk here!</h1></body></html>';
