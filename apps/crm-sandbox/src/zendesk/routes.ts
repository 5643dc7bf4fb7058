import type { Caller } from './auth.js';
import { paginate, type LinkBuilder, type Query } from './pagination.js';
import { ANONYMOUS_USER, RECORD_NOT_FOUND, presentIdentity, presentTicket, presentUser } from './present.js';
import { MAX_QUERY_WORDS, queryWords } from './search.js';
import { sortComments, sortTickets, ticketSortSpec } from './sorting.js';
import type { ZendeskTenant } from './store.js';

/** One authenticated API call, as the handlers see it. */
export interface ApiCall {
  tenant: ZendeskTenant;
  caller: Exclude<Caller, { kind: 'rejected' }>;
  query: Query;
  /** The API's base as the caller reached it, e.g. `http://127.0.0.1:4010/zendesk/acme`. */
  base: string;
  /** Links to a list under `/api/v2/{path}.json` with other query parameters. */
  link(path: string): LinkBuilder;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface ApiRoute {
  /** Matched against the path after `/api/v2/`, without `.json`. */
  pattern: RegExp;
  /** Whether callers without credentials may use it (only `users/me`). */
  anonymous?: boolean;
  /** A list endpoint: its answers add the `ratelimit-*` headers (rate-limit.ts). */
  list?: boolean;
  handle(call: ApiCall, params: string[]): ApiAnswer;
}

const ok = (body: unknown): ApiAnswer => ({ status: 200, body });
const notFound = (): ApiAnswer => ({ status: 404, body: RECORD_NOT_FOUND });

/** Zendesk ids are positive integers; anything else names no record. */
function recordId(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,19}$/.test(raw) ? Number(raw) : undefined;
}

/** GET /api/v2/users/me: the credentials' agent, or the anonymous user. */
function me(call: ApiCall): ApiAnswer {
  return ok({ user: call.caller.kind === 'agent' ? presentUser(call.caller.user, call.base) : ANONYMOUS_USER });
}

/** GET /api/v2/users/{id} */
function showUser(call: ApiCall, [rawId]: string[]): ApiAnswer {
  const id = recordId(rawId);
  const user = id === undefined ? undefined : call.tenant.user(id);
  return user ? ok({ user: presentUser(user, call.base) }) : notFound();
}

/** GET /api/v2/users/search?query=… (search syntax, see search.ts) or ?external_id=… */
function searchUsers(call: ApiCall): ApiAnswer {
  const externalId = call.query['external_id'];
  const query = call.query['query'] ?? '';
  if (externalId === undefined && queryWords(query) > MAX_QUERY_WORDS) {
    // Zendesk documents the limit, not its error: an InvalidValue 400 like the other refused parameters here.
    return {
      status: 400,
      body: { error: 'InvalidValue', description: `There is a ${MAX_QUERY_WORDS} word limit in a search query` },
    };
  }
  const users = externalId !== undefined ? call.tenant.withExternalId(externalId) : call.tenant.search(query);
  const page = paginate('users', users, call.query, call.link('users/search'));
  return ok({ ...page, users: (page['users'] as typeof users).map((user) => presentUser(user, call.base)) });
}

/**
 * GET /api/v2/users/show_many?ids=1,2,3 (up to 100 ids), with `include=identities` the users' identities beside
 * them ("Side-loading related records": users sideload `identities`). Unknown ids are left out.
 */
function showManyUsers(call: ApiCall): ApiAnswer {
  const ids = (call.query['ids'] ?? '').split(',').map((raw) => recordId(raw.trim()));
  if (ids.length > 100) return { status: 400, body: { error: 'InvalidValue', description: 'At most 100 ids' } };
  const users = ids.flatMap((id) => {
    const user = id === undefined ? undefined : call.tenant.user(id);
    return user ? [user] : [];
  });
  const body: Record<string, unknown> = { users: users.map((user) => presentUser(user, call.base)) };
  const include = (call.query['include'] ?? '').split(',').map((name) => name.trim());
  if (include.includes('identities')) {
    body.identities = users
      .flatMap((user) => call.tenant.identitiesOf(user.id))
      .map((identity) => presentIdentity(identity, call.base));
  }
  return ok({ ...body, next_page: null, previous_page: null, count: users.length });
}

/** GET /api/v2/users/{id}/identities (User Identities API). */
function userIdentities(call: ApiCall, [rawId]: string[]): ApiAnswer {
  const id = recordId(rawId);
  if (id === undefined || !call.tenant.user(id)) return notFound();
  const identities = call.tenant.identitiesOf(id).map((identity) => presentIdentity(identity, call.base));
  return ok({ identities, next_page: null, previous_page: null, count: identities.length });
}

/** GET /api/v2/users/{id}/tickets/requested */
function requestedTickets(call: ApiCall, [rawId]: string[]): ApiAnswer {
  const id = recordId(rawId);
  if (id === undefined || !call.tenant.user(id)) return notFound();
  const tickets = sortTickets(call.tenant.requestedBy(id), ticketSortSpec(call.query));
  const page = paginate('tickets', tickets, call.query, call.link(`users/${id}/tickets/requested`));
  return ok({
    ...page,
    tickets: (page['tickets'] as typeof tickets).map((ticket) => presentTicket(ticket, call.base)),
  });
}

/** GET /api/v2/tickets/{id} */
function showTicket(call: ApiCall, [rawId]: string[]): ApiAnswer {
  const id = recordId(rawId);
  const thread = id === undefined ? undefined : call.tenant.thread(id);
  return thread ? ok({ ticket: presentTicket(thread.ticket, call.base) }) : notFound();
}

/** GET /api/v2/tickets/{id}/comments: oldest first unless `sort_order=desc`. */
function ticketComments(call: ApiCall, [rawId]: string[]): ApiAnswer {
  const id = recordId(rawId);
  const thread = id === undefined ? undefined : call.tenant.thread(id);
  if (!thread) return notFound();
  return ok(
    paginate('comments', sortComments(thread.comments, call.query), call.query, call.link(`tickets/${id}/comments`)),
  );
}

/** In match order: `users/me` and `users/search` before `users/{id}`. */
export const API_ROUTES: readonly ApiRoute[] = [
  { pattern: /^users\/me$/, anonymous: true, handle: me },
  { pattern: /^users\/search$/, list: true, handle: searchUsers },
  { pattern: /^users\/show_many$/, list: true, handle: showManyUsers },
  { pattern: /^users\/([^/]+)\/identities$/, list: true, handle: userIdentities },
  { pattern: /^users\/([^/]+)\/tickets\/requested$/, list: true, handle: requestedTickets },
  { pattern: /^users\/([^/]+)$/, handle: showUser },
  { pattern: /^tickets\/([^/]+)\/comments$/, list: true, handle: ticketComments },
  { pattern: /^tickets\/([^/]+)$/, handle: showTicket },
];

export function matchRoute(path: string): { route: ApiRoute; params: string[] } | undefined {
  for (const route of API_ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map((param) => safeDecode(param ?? '')) };
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
