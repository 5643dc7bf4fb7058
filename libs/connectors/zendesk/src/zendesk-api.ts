import type { CrmHttpClient } from '#crm-http';
import {
  CredentialsError,
  ForbiddenError,
  NotFoundError,
  UpstreamError,
  isRecord,
  recordAt,
  recordsAt,
  textField,
  type RequestContext,
  type BridgeError,
  type UpstreamRecord,
} from '#interactions';
import type { ZendeskCredentials } from './zendesk-credentials.js';

/** Zendesk caps offset pages at 100 items. */
const MAX_PAGE_SIZE = 100;

/**
 * The Zendesk Support API calls of one request, bound to its tenant, credentials and deadline.
 * Answers are checked at the edge (recordsAt) and returned as loose records for the mapping to read.
 */
export class ZendeskApi {
  private readonly baseUrl: string;
  private readonly requestedTickets = new Map<string, TicketPages>();

  constructor(
    private readonly http: CrmHttpClient,
    readonly credentials: ZendeskCredentials,
    apiUrlTemplate: string,
    readonly context: RequestContext,
  ) {
    this.baseUrl = apiUrlTemplate.replaceAll('{subdomain}', credentials.subdomain).replace(/\/+$/, '');
  }

  /** GET /api/v2/users/me: who these credentials are. */
  async me(): Promise<UpstreamRecord> {
    return recordAt(await this.onAccount(this.get('/api/v2/users/me')), 'user', 'zendesk users/me');
  }

  /** GET /api/v2/users/{id}, or undefined when Zendesk has no such user. */
  async user(id: string): Promise<UpstreamRecord | undefined> {
    try {
      return recordAt(await this.get(`/api/v2/users/${encodeURIComponent(id)}`), 'user', 'zendesk users/{id}');
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** GET /api/v2/users/search?query=…, first page: a contact lookup wants the best few, not everyone. */
  async searchUsers(query: string): Promise<UpstreamRecord[]> {
    return recordsAt(
      await this.onAccount(this.get('/api/v2/users/search', { query })),
      'users',
      'zendesk users/search',
      MAX_PAGE_SIZE,
    );
  }

  /**
   * The identities (every email and phone, primary or not) of these users, in one call: GET /api/v2/users/show_many
   * with the `identities` sideload ("Side-loading related records",
   * https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/side_loading/; show_many takes up to
   * 100 ids). Each identity has `user_id`, `type` (`email`, `phone_number`, …) and `value` (User Identities API).
   */
  async identitiesOf(userIds: string[]): Promise<UpstreamRecord[]> {
    const body = await this.get('/api/v2/users/show_many', {
      ids: userIds.slice(0, 100).join(','),
      include: 'identities',
    });
    return recordsAt(body, 'identities', 'zendesk users/show_many identities');
  }

  /** GET /api/v2/tickets/{id}/comments, newest first, one page. */
  async comments(ticketId: string, limit: number): Promise<UpstreamRecord[]> {
    const perPage = Math.min(MAX_PAGE_SIZE, limit);
    const body = await this.get(`/api/v2/tickets/${encodeURIComponent(ticketId)}/comments`, {
      sort_order: 'desc',
      per_page: perPage,
    });
    return recordsAt(body, 'comments', 'zendesk ticket comments', perPage);
  }

  /**
   * The tickets a user requested, newest first, read page by page only as far as the caller iterates.
   * The `case`, `task` and `note` providers of one request share the pages.
   */
  tickets(userId: string, pageSize: number): TicketPages {
    let pages = this.requestedTickets.get(userId);
    if (!pages) {
      pages = new TicketPages(this, userId, Math.min(MAX_PAGE_SIZE, pageSize));
      this.requestedTickets.set(userId, pages);
    }
    return pages;
  }

  /**
   * `users/me` and `users/search` exist on every account: a 404 there means the subdomain names no account, whatever
   * the body says (readZendeskRefusal also reads Zendesk's "No help desk" body on any path).
   */
  private async onAccount(call: Promise<unknown>): Promise<unknown> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof NotFoundError) throw new CredentialsError('zendesk has no account at this subdomain');
      throw error;
    }
  }

  async get(path: string, params?: Record<string, string | number>): Promise<unknown> {
    return this.http.request(
      {
        method: 'GET',
        url: `${this.baseUrl}${path}`,
        params,
        authorization: this.credentials.authorization,
        read: true,
        readRefusal: readZendeskRefusal,
      },
      this.context,
    );
  }

  /** Follows a `next_page` link. It must stay on this tenant's API, or it is not followed. */
  async getNextPage(url: string): Promise<unknown> {
    if (!url.startsWith(`${this.baseUrl}/`))
      throw new UpstreamError(`zendesk next_page leaves the tenant's API: ${url}`);
    return this.http.request(
      {
        method: 'GET',
        url,
        authorization: this.credentials.authorization,
        read: true,
        readRefusal: readZendeskRefusal,
      },
      this.context,
    );
  }
}

/**
 * Zendesk's refusals that the generic reading gets wrong:
 * - 404 with `{"error": {"title": "No help desk at {subdomain}.zendesk.com", …}}`: the subdomain names no account,
 *   so the `auth` is wrong (401), not the record. This is the body Zendesk serves for an unclaimed subdomain (and the
 *   sandbox's, apps/crm-sandbox/src/zendesk/present.ts); no API reference page documents it, so `onAccount` does
 *   not depend on it;
 * - 403 `{"error": "Forbidden", "description": "…"}`: these credentials may not read this (a restricted agent, a
 *   token without the scope). Its description is repeated only when it is plain prose, without ids or addresses.
 */
export function readZendeskRefusal(status: number, body: string): BridgeError | undefined {
  const parsed = parseJson(body);
  if (status === 404 && isRecord(parsed) && isRecord(parsed.error)) {
    const title = textField(parsed.error, 'title') ?? '';
    if (/^No help desk at /i.test(title)) return new CredentialsError('zendesk has no account at this subdomain');
  }
  if (status === 403) {
    const description = isRecord(parsed) ? textField(parsed, 'description') : undefined;
    // Plain prose only: no digits (ids), no `@` (addresses), no dot between letters (host names).
    const prose =
      description && /^[A-Za-z ,.'’:;()-]{1,200}$/.test(description) && !/[A-Za-z]\.[A-Za-z]/.test(description);
    const said = prose ? `: ${description.trim()}` : '';
    return new ForbiddenError(`zendesk refused a read (HTTP 403), the credentials lack a permission${said}`, {
      permission: said ? description!.trim() : undefined,
    });
  }
  return undefined;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Lazily fetched, shared pages of GET /api/v2/users/{id}/tickets/requested (offset pagination, `next_page`). */
export class TicketPages {
  private readonly pages: Promise<{ tickets: UpstreamRecord[]; next?: string }>[] = [];

  constructor(
    private readonly api: ZendeskApi,
    private readonly userId: string,
    private readonly pageSize: number,
  ) {}

  /** Tickets newest first; stops fetching when the caller stops iterating or after `maxPages`. */
  async *newestFirst(maxPages: number): AsyncGenerator<UpstreamRecord> {
    for (let index = 0; index < maxPages; index++) {
      const page = await this.page(index);
      if (!page) return;
      yield* page.tickets;
      if (!page.next) return;
    }
  }

  private async page(index: number): Promise<{ tickets: UpstreamRecord[]; next?: string } | undefined> {
    if (index > 0) {
      const previous = await this.page(index - 1);
      if (!previous?.next) return undefined;
    }
    this.pages[index] ??= this.fetch(index);
    return this.pages[index];
  }

  private async fetch(index: number): Promise<{ tickets: UpstreamRecord[]; next?: string }> {
    const body =
      index === 0
        ? await this.api.get(`/api/v2/users/${encodeURIComponent(this.userId)}/tickets/requested`, {
            sort_by: 'created_at',
            sort_order: 'desc',
            per_page: this.pageSize,
          })
        : await this.api.getNextPage((await this.pages[index - 1]!).next!);
    const tickets = recordsAt(body, 'tickets', 'zendesk requested tickets', this.pageSize);
    const next = isRecord(body) ? textField(body, 'next_page') : undefined;
    return { tickets, next: next || undefined };
  }
}
