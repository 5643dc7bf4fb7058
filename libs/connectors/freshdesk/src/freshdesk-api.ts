import type { CrmHttpClient } from '#crm-http';
import {
  CredentialsError,
  ForbiddenError,
  isRecord,
  NotFoundError,
  RateLimitedError,
  recordsAt,
  textField,
  UpstreamError,
  type BridgeError,
  type RequestContext,
  type UpstreamRecord,
} from '#interactions';
import type { FreshdeskCredentials } from './freshdesk-credentials.js';
import type { FreshdeskListCooldowns, FreshdeskListEndpoint } from './freshdesk-list-cooldowns.js';

/**
 * Freshdesk pages lists: `page` from 1, `per_page` 30 by default and at most 100; the `link` header holds the next
 * page's URL while there is one, and is absent on the last (Freshdesk API reference, "Pagination",
 * https://developers.freshdesk.com/api/#pagination).
 */
export const MAX_PAGE_SIZE = 100;

/**
 * List All Tickets answers only tickets created in the past 30 days unless `updated_since` is given ("By default,
 * only tickets that have been created within the past 30 days will be returned. For older tickets, use the
 * updated_since filter": "List All Tickets", https://developers.freshdesk.com/api/#list_all_tickets). A date before
 * any Freshdesk account existed asks for all of them.
 */
export const ALL_TICKETS_SINCE = '2000-01-01T00:00:00Z';

/** Conversations of one ticket read at most (pages of 100), newest looked for among them. */
export const MAX_CONVERSATION_PAGES = 3;

/** A page of a list, and whether Freshdesk announced a next one in its `link` header. */
export interface FreshdeskPage {
  records: UpstreamRecord[];
  hasNext: boolean;
}

/**
 * The Freshdesk API v2 calls of one request, bound to its account, API key and deadline. Answers are checked at the
 * edge and returned as loose records for the mapping to read.
 */
export class FreshdeskApi {
  private readonly baseUrl: string;
  private readonly requestedTickets = new Map<string, FreshdeskTicketPages>();

  constructor(
    private readonly http: CrmHttpClient,
    readonly credentials: FreshdeskCredentials,
    apiUrlTemplate: string,
    readonly context: RequestContext,
    private readonly cooldowns: FreshdeskListCooldowns,
  ) {
    this.baseUrl = `${apiUrlTemplate.replaceAll('{domain}', credentials.domain).replace(/\/+$/, '')}/api/v2`;
  }

  /** GET /api/v2/agents/me: the agent the API key belongs to ("View Me", https://developers.freshdesk.com/api/#me). */
  async me(): Promise<UpstreamRecord> {
    const body = await this.onAccount(this.get('/agents/me'));
    if (!isRecord(body)) throw new UpstreamError('freshdesk agents/me: the answer is not an object');
    return body;
  }

  /**
   * GET /api/v2/contacts/{id}, or undefined when Freshdesk has none ("View a Contact",
   * https://developers.freshdesk.com/api/#view_contact). A deleted contact is still answered, with `deleted: true`.
   */
  async contact(id: string): Promise<UpstreamRecord | undefined> {
    try {
      const body = await this.get(`/contacts/${encodeURIComponent(id)}`);
      if (!isRecord(body)) throw new UpstreamError('freshdesk contacts/{id}: the answer is not an object');
      return body;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * GET /api/v2/search/contacts?query="…", the first page (30 contacts): a lookup wants the best few, not everyone
   * ("Filter Contacts", https://developers.freshdesk.com/api/#filter_contacts: answers `{results, total}`; deleted
   * contacts are left out; a new contact is found after a few minutes of indexing).
   */
  async filterContacts(query: string): Promise<UpstreamRecord[]> {
    const body = await this.onAccount(this.get('/search/contacts', { query }));
    return recordsAt(body, 'results', 'freshdesk search/contacts');
  }

  /**
   * GET /api/v2/contacts?email=…, the first page: the exact `email` filter of List All Contacts, which answers
   * unblocked, undeleted contacts ("List All Contacts", https://developers.freshdesk.com/api/#list_all_contacts). It
   * counts toward the plan's per-minute "Contacts List" limit, so it is only used for an address the filter query
   * language cannot carry (freshdesk-contact-query.ts).
   */
  async contactsWithEmail(email: string): Promise<UpstreamRecord[]> {
    const body = await this.onAccount(this.list('contacts', '/contacts', { email }));
    return arrayOfRecords(body, 'freshdesk contacts?email');
  }

  /**
   * GET /api/v2/contacts/autocomplete?term=…: contacts whose name has a word starting with `term`, as `{id, name}`
   * ("Search Contacts", https://developers.freshdesk.com/api/#autocomplete_contacts).
   */
  async autocompleteContacts(term: string): Promise<UpstreamRecord[]> {
    const body = await this.onAccount(this.get('/contacts/autocomplete', { term }));
    return arrayOfRecords(body, 'freshdesk contacts/autocomplete');
  }

  /**
   * The tickets a contact requested, newest first, read page by page only as far as the callers iterate. The `case`,
   * `call` and `note` providers of one request share the pages.
   */
  tickets(requesterId: string, pageSize: number): FreshdeskTicketPages {
    let pages = this.requestedTickets.get(requesterId);
    if (!pages) {
      pages = new FreshdeskTicketPages(this, requesterId, Math.min(MAX_PAGE_SIZE, Math.max(1, pageSize)));
      this.requestedTickets.set(requesterId, pages);
    }
    return pages;
  }

  /**
   * A page of GET /api/v2/tickets?requester_id=…, newest first, with each ticket's description ("List All Tickets":
   * `requester_id`, `order_by=created_at`, `order_type=desc`, `include=description`, which Freshdesk charges as
   * extra API credits, reported in `X-Ratelimit-Used-CurrentRequest`).
   */
  async ticketPage(requesterId: string, page: number, perPage: number): Promise<FreshdeskPage> {
    return this.listPage('tickets', '/tickets', {
      requester_id: requesterId,
      order_by: 'created_at',
      order_type: 'desc',
      updated_since: ALL_TICKETS_SINCE,
      include: 'description',
      per_page: perPage,
      page,
    });
  }

  /**
   * The conversations (replies and notes) of one ticket, at most MAX_CONVERSATION_PAGES pages of 100 ("List All
   * Conversations of a Ticket", https://developers.freshdesk.com/api/#list_all_ticket_notes). Their order is not
   * documented, so every page read is kept and the caller sorts.
   */
  async conversations(ticketId: string): Promise<UpstreamRecord[]> {
    const records: UpstreamRecord[] = [];
    for (let page = 1; page <= MAX_CONVERSATION_PAGES; page++) {
      const answer = await this.listPage(undefined, `/tickets/${encodeURIComponent(ticketId)}/conversations`, {
        per_page: MAX_PAGE_SIZE,
        page,
      });
      records.push(...answer.records);
      if (!answer.hasNext) break;
    }
    return records;
  }

  /** One page of a list answer (a JSON array), and whether its `link` header names a next one. */
  private async listPage(
    endpoint: FreshdeskListEndpoint | undefined,
    path: string,
    params: Record<string, string | number>,
  ): Promise<FreshdeskPage> {
    const headers: { link?: unknown } = {};
    const body = await this.list(endpoint, path, params, (received) => (headers.link = received.link));
    return {
      records: arrayOfRecords(body, `freshdesk ${path.replace(/\/\d+\//, '/{id}/')}`),
      hasNext: /rel="?next"?/i.test(String(headers.link ?? '')),
    };
  }

  /**
   * A call to one of the lists with a per-endpoint limit of its own ("Tickets List", "Contacts List"): while
   * Freshdesk has said, with a 429 and `Retry-After`, that the account's allowance of it is spent, no further call
   * is made until then (FreshdeskListCooldowns).
   */
  private async list(
    endpoint: FreshdeskListEndpoint | undefined,
    path: string,
    params: Record<string, string | number>,
    onResponseHeaders?: (headers: Record<string, unknown>) => void,
  ): Promise<unknown> {
    if (!endpoint) return this.get(path, params, onResponseHeaders);
    const waitSeconds = this.cooldowns.waitSeconds(this.credentials.domain, endpoint);
    if (waitSeconds > 0) {
      throw new RateLimitedError(`freshdesk ${endpoint} list calls are rate limited for the account`, {
        retryAfterSeconds: waitSeconds,
      });
    }
    try {
      return await this.get(path, params, onResponseHeaders);
    } catch (error) {
      if (error instanceof RateLimitedError) {
        this.cooldowns.limited(this.credentials.domain, endpoint, error.retryAfterSeconds);
      }
      throw error;
    }
  }

  /**
   * `agents/me`, the contact searches and lists exist on every account: a 404 there means the domain names no
   * account, whatever the body says.
   */
  private async onAccount(call: Promise<unknown>): Promise<unknown> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof NotFoundError) throw new CredentialsError('freshdesk has no account at this domain');
      throw error;
    }
  }

  private get(
    path: string,
    params?: Record<string, string | number>,
    onResponseHeaders?: (headers: Record<string, unknown>) => void,
  ): Promise<unknown> {
    return this.http.request(
      {
        method: 'GET',
        url: `${this.baseUrl}${path}`,
        params,
        authorization: this.credentials.authorization,
        read: true,
        readRefusal: readFreshdeskRefusal,
        onResponseHeaders,
      },
      this.context,
    );
  }
}

/** A list answer: a JSON array of objects (an item that is not one is left for the mapping to drop). */
function arrayOfRecords(body: unknown, what: string): UpstreamRecord[] {
  if (!Array.isArray(body)) throw new UpstreamError(`${what}: the answer is not an array`);
  return body.map((item) => (isRecord(item) ? item : {}));
}

/**
 * Freshdesk's refusals, read from its error body `{code, message}` or `{description, errors: [{field, message,
 * code}]}` (Freshdesk API reference, "Error Handling", https://developers.freshdesk.com/api/#error): a 403
 * `access_denied` (the agent's role may not read this), `require_feature` (the plan lacks the feature) or
 * `account_suspended` is a missing permission, never a credentials problem a token refresh could fix. Its code is
 * one of Freshdesk's fixed names, safe to repeat; its message is not repeated.
 */
export function readFreshdeskRefusal(status: number, body: string): BridgeError | undefined {
  if (status !== 403) return undefined;
  const parsed = parseJson(body);
  const code = isRecord(parsed) ? textField(parsed, 'code') : undefined;
  const known = code && /^[a-z_]{1,40}$/.test(code) ? code : undefined;
  return new ForbiddenError(
    `freshdesk refused a read (HTTP 403${known ? `, ${known}` : ''}): the API key's agent lacks a permission`,
    { permission: known },
  );
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Lazily fetched, shared pages of a contact's requested tickets, newest first. */
export class FreshdeskTicketPages {
  private readonly pages: Promise<FreshdeskPage>[] = [];

  constructor(
    private readonly api: FreshdeskApi,
    private readonly requesterId: string,
    private readonly pageSize: number,
  ) {}

  /** Tickets newest first; stops fetching when the caller stops iterating, at the last page, or after `maxPages`. */
  async *newestFirst(maxPages: number): AsyncGenerator<UpstreamRecord> {
    for (let index = 0; index < maxPages; index++) {
      if (index > 0 && !(await this.pages[index - 1]!).hasNext) return;
      this.pages[index] ??= this.api.ticketPage(this.requesterId, index + 1, this.pageSize);
      const page = await this.pages[index]!;
      yield* page.records;
      if (!page.hasNext) return;
    }
  }
}
