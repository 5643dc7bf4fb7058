import type { CrmHttpClient } from '#crm-http';
import {
  NotFoundError,
  UpstreamError,
  isRecord,
  recordsAt,
  type InteractionPlan,
  type RequestContext,
  type UpstreamRecord,
} from '#interactions';
import { DATAVERSE_API_VERSION, type DynamicsConfig } from './dynamics-config.js';
import type { DynamicsCredentials } from './dynamics-credentials.js';
import { readDataverseRefusal } from './dynamics-errors.js';
import {
  CONTACT_COLUMNS,
  isDynamicsType,
  TYPE_QUERIES,
  typeQueryOptions,
  type DynamicsType,
} from './dynamics-queries.js';
import type { DynamicsServiceProtection } from './dynamics-service-protection.js';

type QueryOptions = Record<string, string | number>;

/**
 * The Dataverse Web API calls of one request, bound to its org, token and deadline.
 *
 * Every call is a GET with JSON answers. Once the contact is known, each asked type is one query, sent at once. For a
 * pop by id the contact's id is known before the lookup, so the core's plan (planInteractions) lets the asked types'
 * queries go out together with the lookup: one round trip. Every answer may hold fewer rows than asked with an
 * `@odata.nextLink` to the rest ("Page results using OData": "up to 5,000 records may be returned for each request"),
 * which is followed, on the org's own host only, until the rows asked for are there.
 */
export class DynamicsApi {
  /** `https://contoso.crm.dynamics.com/api/data/v9.2`, or the sandbox's stand-in for that host. */
  private readonly apiRoot: string;
  private planned: DynamicsType[] = [];
  private plannedLimit = 0;
  /** Each type's read for a contact, shared by whoever asks (a pop by id starts them before the lookup answers). */
  private readonly reads = new Map<string, Promise<UpstreamRecord[]>>();

  constructor(
    private readonly http: CrmHttpClient,
    readonly credentials: DynamicsCredentials,
    config: DynamicsConfig,
    readonly context: RequestContext,
    private readonly protection: DynamicsServiceProtection,
  ) {
    const root = config.apiUrlTemplate.replaceAll('{host}', credentials.host).replace(/\/+$/, '');
    this.apiRoot = `${root}/api/data/${DATAVERSE_API_VERSION}`;
  }

  /**
   * The record's page in the org's web client: `main.aspx?etn={table}&pagetype=entityrecord&id={GUID in braces}`
   * ("Open apps, forms, views, dialogs, and reports with a URL",
   * https://learn.microsoft.com/en-us/power-apps/developer/model-driven-apps/open-forms-views-dialogs-reports-url).
   */
  recordUrl(entity: string, id: string): string {
    return `${this.credentials.origin}/main.aspx?etn=${encodeURIComponent(entity)}&pagetype=entityrecord&id=%7B${encodeURIComponent(id)}%7D`;
  }

  plan(plan: InteractionPlan): void {
    this.planned = [...new Set(plan.types.filter(isDynamicsType))];
    this.plannedLimit = plan.limitPerType;
  }

  /**
   * `GET WhoAmI`, the cheapest call that needs a valid token ("WhoAmI Function",
   * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/reference/whoami): it answers the
   * caller's `UserId`.
   */
  async whoAmI(): Promise<void> {
    const body = await this.get(`${this.apiRoot}/WhoAmI`);
    if (!isRecord(body) || typeof body.UserId !== 'string') throw new UpstreamError('dynamics WhoAmI: no UserId');
  }

  /**
   * `GET contacts({id})`, with the planned types' queries for the same id sent at once. Undefined when the org has
   * no such contact (404). `id` is a checked, lower-case GUID.
   */
  async contactById(id: string): Promise<UpstreamRecord | undefined> {
    for (const type of this.planned) void this.records(type, id, this.plannedLimit).catch(() => undefined);
    try {
      const body = await this.get(`${this.apiRoot}/contacts(${id})`, { $select: CONTACT_COLUMNS.join(',') });
      if (!isRecord(body)) throw new UpstreamError('dynamics contact read: the answer is not a row');
      return body;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** `GET contacts?$filter=…`: at most `top` rows, the most recently modified first. */
  async contactsWhere(filter: string, top: number): Promise<UpstreamRecord[]> {
    return this.rows(
      'contacts',
      { $select: CONTACT_COLUMNS.join(','), $filter: filter, $orderby: 'modifiedon desc', $top: top },
      top,
    );
  }

  /** The contact's `limit` newest rows of one type, read once per request however many ask. */
  records(type: DynamicsType, contactId: string, limit: number): Promise<UpstreamRecord[]> {
    const key = `${type}:${contactId}:${limit}`;
    let read = this.reads.get(key);
    if (!read) {
      read = this.rows(TYPE_QUERIES[type].entitySet, typeQueryOptions(type, contactId, limit), limit);
      this.reads.set(key, read);
    }
    return read;
  }

  /** The rows of a collection query, following `@odata.nextLink` until `wanted` rows are there or none are left. */
  private async rows(entitySet: string, options: QueryOptions, wanted: number): Promise<UpstreamRecord[]> {
    const what = `dynamics ${entitySet} query`;
    let page = await this.get(`${this.apiRoot}/${entitySet}`, options);
    const rows = recordsAt(page, 'value', what);
    while (rows.length < wanted) {
      const next = isRecord(page) ? page['@odata.nextLink'] : undefined;
      if (next === undefined) break;
      page = await this.get(this.nextLink(next, entitySet, what));
      rows.push(...recordsAt(page, 'value', what));
    }
    return rows.slice(0, wanted);
  }

  /**
   * A next page's URL as Dataverse gives it: to be used as it is ("Don't change the @odata.nextLink URL value or
   * append any query options to it"), but only on this org's API and the same entity set, so an answer can never
   * send the token elsewhere.
   */
  private nextLink(link: unknown, entitySet: string, what: string): string {
    const prefix = `${this.apiRoot}/${entitySet}?`;
    if (typeof link !== 'string' || !link.startsWith(prefix) || /[\s#]/.test(link)) {
      throw new UpstreamError(`${what}: unusable @odata.nextLink`);
    }
    return link;
  }

  private get(url: string, params?: QueryOptions): Promise<unknown> {
    const org = this.credentials.account;
    return this.protection.send(org, () =>
      this.http.request(
        {
          method: 'GET',
          url,
          params,
          authorization: this.credentials.authorization,
          read: true,
          readRefusal: readDataverseRefusal,
          onResponseHeaders: (headers) => this.protection.observe(org, headers),
        },
        this.context,
      ),
    );
  }
}
