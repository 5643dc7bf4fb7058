import type { CrmHttpClient } from '#crm-http';
import {
  InternalError,
  UpstreamError,
  isRecord,
  recordsAt,
  textField,
  type Contact,
  type InteractionPlan,
  type RequestContext,
  type UpstreamRecord,
} from '#interactions';
import { parseLimitInfo, type SalesforceApiUsage } from './salesforce-api-usage.js';
import { SALESFORCE_API_VERSION, type SalesforceConfig } from './salesforce-config.js';
import type { SalesforceCredentials } from './salesforce-credentials.js';
import { classifySalesforceRefusal, subrequestError } from './salesforce-errors.js';
import {
  LINK_FIELD,
  interactionSoql,
  isSalesforceType,
  personFields,
  personLookupSoql,
  personObjectOf,
  phoneSearchSosl,
  REFERENCE_END,
  REFERENCE_START,
  type PersonObject,
  type SalesforceType,
  type Who,
} from './salesforce-queries.js';

/** Splits a query's text at the connector's own reference marks: odd parts are reference paths. */
const REFERENCE_MARK = new RegExp(`${REFERENCE_START}([A-Za-z0-9_.[\\]]+)${REFERENCE_END}`);

/**
 * Composite limits ("Send Multiple Requests Using Composite", REST API Developer Guide,
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm):
 * up to 25 subrequests per call, up to 5 of them queries; the whole series counts as one call against the org's
 * API limit. With `allOrNone: false` a failed subrequest fails only the subrequests that reference it; the composite
 * itself answers 200 with each subrequest's status and body.
 */
export const COMPOSITE_MAX_SUBREQUESTS = 25;
export const COMPOSITE_MAX_QUERIES = 5;

const DATA_PATH = `/services/data/${SALESFORCE_API_VERSION}`;
/** Query locators the connector follows (`nextRecordsUrl`): on this org, this version, nothing else. */
const QUERY_LOCATOR = new RegExp(`^${DATA_PATH.replaceAll('.', '\\.')}/query/[A-Za-z0-9-]{1,64}$`);

interface Subrequest {
  method: 'GET';
  url: string;
  referenceId: string;
}

/** A subrequest's answer: its own status and body. */
interface SubResult {
  status: number;
  body: unknown;
}

/** A query's first page as a composite returned it, or why it failed; read by the provider that asks for it. */
type FirstPage = { ok: true; body: unknown } | { ok: false; result: SubResult };

interface Waiting {
  type: SalesforceType;
  contact: Contact;
  limit: number;
  resolve: (records: UpstreamRecord[]) => void;
  reject: (error: unknown) => void;
}

/**
 * The Salesforce REST calls of one request, bound to its org, token and deadline.
 *
 * A screen pop is built to cost one API call. The core tells the session which types it will fetch
 * (planInteractions) before it resolves the contact; a lookup that is a query or a record read then goes out in one
 * composite request together with one query per planned type, each referring to the looked-up record
 * (`@{people.records[0].Id}`: the `.` and `[n]` operators of "Composite Request Body", REST API Developer Guide,
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/requests_composite.htm). The providers,
 * called afterwards as for any CRM, find their first page waiting.
 * Contacts that were not folded in that way (found by phone, or several matches) are read together: the providers'
 * requests of one tick are gathered into one composite, one query per type for all the contacts.
 */
export class SalesforceApi {
  /** e.g. `https://acme.my.salesforce.com`, or the sandbox's stand-in for that host. */
  private readonly apiRoot: string;
  private readonly retryAfterSeconds: number;
  private planned: SalesforceType[] = [];
  private plannedLimit = 0;
  private readonly prefetched = new Map<string, FirstPage>();
  private waiting: Waiting[] = [];

  constructor(
    private readonly http: CrmHttpClient,
    readonly credentials: SalesforceCredentials,
    config: SalesforceConfig,
    readonly context: RequestContext,
    private readonly usage: SalesforceApiUsage,
  ) {
    this.apiRoot = config.apiUrlTemplate.replaceAll('{host}', credentials.host).replace(/\/+$/, '');
    this.retryAfterSeconds = config.limitRetryAfterSeconds;
  }

  /**
   * The Lightning record page: `{instance_url}/lightning/r/{Object}/{Id}/view` (product.md; the Record Page URL format
   * of "pageReference Types", Lightning Aura Components Developer Guide,
   * https://developer.salesforce.com/docs/atlas.en-us.lightning.meta/lightning/components_navigation_page_definitions.htm).
   */
  recordUrl(object: string, id: string): string {
    return `${this.credentials.origin}/lightning/r/${object}/${encodeURIComponent(id)}/view`;
  }

  plan(plan: InteractionPlan): void {
    this.planned = plan.types.filter(isSalesforceType);
    this.plannedLimit = plan.limitPerType;
  }

  /** GET /services/data/vNN.0: the cheapest call that needs a valid session. */
  async verify(): Promise<void> {
    await this.get(DATA_PATH);
  }

  /**
   * GET /sobjects/{Contact|Lead}/{id}, with the planned types' queries in the same composite. Undefined when the
   * org has no such record (the record read answers 404; the queries that refer to it are not run).
   */
  async personById(object: PersonObject, id: string): Promise<UpstreamRecord | undefined> {
    const lookup: Subrequest = {
      method: 'GET',
      url: `${DATA_PATH}/sobjects/${object}/${encodeURIComponent(id)}?fields=${personFields(object).join(',')}`,
      referenceId: 'person',
    };
    const results = await this.composite([lookup, ...this.foldedQueries(object, 'person.Id')]);
    const found = results.get('person')!;
    if (found.status === 404) return undefined;
    if (found.status !== 200 || !isRecord(found.body)) throw this.failure(found, `${object} read`);
    this.keepFolded(results, textField(found.body, 'Id'));
    return found.body;
  }

  /**
   * Contacts whose `field` (Email or Name) is one of `values`, else open Leads: Contacts before Leads (product.md).
   * Each lookup is one composite with the planned types' queries for its first record.
   */
  async peopleWhere(field: 'Email' | 'Name', values: string[], limit: number): Promise<UpstreamRecord[]> {
    for (const object of ['Contact', 'Lead'] as const) {
      const lookup = this.querySubrequest('people', personLookupSoql(object, field, values, limit));
      const results = await this.composite([lookup, ...this.foldedQueries(object, 'people.records[0].Id')]);
      const found = results.get('people')!;
      if (found.status !== 200) throw this.failure(found, `${object} lookup`);
      const people = recordsAt(found.body, 'records', `salesforce ${object} lookup`);
      if (people.length > 0) {
        this.keepFolded(results, textField(people[0]!, 'Id'));
        return people;
      }
    }
    return [];
  }

  /** One SOSL search (GET /search) for every number: Contacts and open Leads, each with its phone fields. */
  async searchPhones(digits: string[], limit: number): Promise<UpstreamRecord[]> {
    const body = await this.get(`${DATA_PATH}/search/`, { q: phoneSearchSosl(digits, limit) });
    return recordsAt(body, 'searchRecords', 'salesforce phone search');
  }

  /**
   * The contact's newest `limit` records of one type: the page folded into the lookup when there is one, else one
   * query in a composite shared with the other providers' requests of this tick.
   */
  interactions(type: SalesforceType, contact: Contact, limit: number): Promise<UpstreamRecord[]> {
    const object = personObjectOf(contact.id);
    if (type === 'case' && object === 'Lead') return Promise.resolve([]); // Cases belong to Contacts only.
    const folded = this.prefetched.get(`${type}:${contact.id}`);
    if (folded && limit === this.plannedLimit) {
      this.prefetched.delete(`${type}:${contact.id}`);
      if (!folded.ok) return Promise.reject(this.failure(folded.result, `${type} query`));
      return this.allPages(folded.body, limit, `${type} query`);
    }
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.readWaiting());
      this.waiting.push({ type, contact, limit, resolve, reject });
    });
  }

  /** The planned types' queries for a person another subrequest of the same composite finds. */
  private foldedQueries(object: PersonObject, reference: string): Subrequest[] {
    return this.planned
      .filter((type) => !(type === 'case' && object === 'Lead'))
      .map((type) => this.querySubrequest(type, interactionSoql(type, { reference }, this.plannedLimit)));
  }

  private keepFolded(results: Map<string, SubResult>, personId: string | undefined): void {
    if (!personId) return;
    for (const type of this.planned) {
      const result = results.get(type);
      if (!result) continue;
      this.prefetched.set(
        `${type}:${personId}`,
        result.status === 200 ? { ok: true, body: result.body } : { ok: false, result },
      );
    }
  }

  /** One composite for every request waiting: one query per type, for all its contacts, split by the link field. */
  private async readWaiting(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = [];
    const byType = new Map<SalesforceType, Waiting[]>();
    for (const entry of waiting) byType.set(entry.type, [...(byType.get(entry.type) ?? []), entry]);
    const wanted = new Map<SalesforceType, number>();
    const subrequests = [...byType].map(([type, entries]) => {
      const ids = [...new Set(entries.map((entry) => entry.contact.id))];
      const total = Math.max(...entries.map((entry) => entry.limit)) * ids.length;
      wanted.set(type, total);
      return this.querySubrequest(type, interactionSoql(type, { ids } satisfies Who, total));
    });
    let results: Map<string, SubResult>;
    try {
      results = await this.composite(subrequests);
    } catch (error) {
      for (const entry of waiting) entry.reject(error);
      return;
    }
    await Promise.all(
      [...byType].map(async ([type, entries]) => {
        try {
          const result = results.get(type)!;
          if (result.status !== 200) throw this.failure(result, `${type} query`);
          const records = await this.allPages(result.body, wanted.get(type)!, `${type} query`);
          splitByContact(type, entries, records);
        } catch (error) {
          for (const entry of entries) entry.reject(error);
        }
      }),
    );
  }

  /**
   * The records of a query answer, following `nextRecordsUrl` until `wanted` are read or none are left: "the returned
   * batch can include fewer records than the limit" ("Query", REST API Developer Guide,
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm).
   */
  private async allPages(firstPage: unknown, wanted: number, what: string): Promise<UpstreamRecord[]> {
    const records = recordsAt(firstPage, 'records', `salesforce ${what}`);
    let page = firstPage;
    while (records.length < wanted && isRecord(page) && page.done === false) {
      const next = textField(page, 'nextRecordsUrl');
      if (!next || !QUERY_LOCATOR.test(next)) throw new UpstreamError(`salesforce ${what}: unusable nextRecordsUrl`);
      page = await this.get(next);
      records.push(...recordsAt(page, 'records', `salesforce ${what}`));
    }
    return records.slice(0, wanted);
  }

  /**
   * A GET /query subrequest. The connector's own references (marked by REFERENCE_START/END) become literal `@{…}`;
   * everything else, values included, is URL-encoded, so a value reading `@{…}` is never taken for a reference.
   */
  private querySubrequest(referenceId: string, soql: string): Subrequest {
    const q = soql
      .split(REFERENCE_MARK)
      .map((part, index) => (index % 2 === 1 ? `@{${part}}` : encodeURIComponent(part)))
      .join('');
    return { method: 'GET', url: `${DATA_PATH}/query/?q=${q}`, referenceId };
  }

  /** POST /composite, allOrNone false; the subrequests' answers by reference id. */
  private async composite(subrequests: Subrequest[]): Promise<Map<string, SubResult>> {
    const queries = subrequests.filter((sub) => sub.url.startsWith(`${DATA_PATH}/query`)).length;
    if (subrequests.length > COMPOSITE_MAX_SUBREQUESTS || queries > COMPOSITE_MAX_QUERIES) {
      throw new InternalError(
        `a composite of ${subrequests.length} subrequests and ${queries} queries exceeds Salesforce's limits`,
      );
    }
    const body = await this.http.request(
      {
        ...this.callOptions(),
        method: 'POST',
        url: `${this.apiRoot}${DATA_PATH}/composite`,
        body: { allOrNone: false, compositeRequest: subrequests },
        read: true, // every subrequest is a GET
      },
      this.context,
    );
    const results = new Map<string, SubResult>();
    for (const result of recordsAt(body, 'compositeResponse', 'salesforce composite')) {
      const referenceId = textField(result, 'referenceId');
      const status = result.httpStatusCode;
      if (referenceId && typeof status === 'number') results.set(referenceId, { status, body: result.body });
    }
    for (const sub of subrequests) {
      if (!results.has(sub.referenceId))
        throw new UpstreamError(`salesforce composite: no answer for ${sub.referenceId}`);
    }
    return results;
  }

  private async get(path: string, params?: Record<string, string>): Promise<unknown> {
    return this.http.request(
      { ...this.callOptions(), method: 'GET', url: `${this.apiRoot}${path}`, params, read: true },
      this.context,
    );
  }

  private callOptions() {
    return {
      authorization: this.credentials.authorization,
      readRefusal: classifySalesforceRefusal(this.retryAfterSeconds),
      onResponseHeaders: (headers: Record<string, unknown>) => {
        const usage = parseLimitInfo(headers['sforce-limit-info']);
        if (usage) this.usage.record(this.credentials.tenantKey, usage);
      },
    };
  }

  private failure(result: SubResult, what: string) {
    return subrequestError(result.status, result.body, what, this.retryAfterSeconds);
  }
}

/**
 * Hands each contact its records. Cases and tasks name their person (ContactId, WhoId); a note read through the
 * ContentDocumentLink semi-join does not, so one type's notes go, once, to the first contact that asked: the core
 * merges every contact's items anyway, and a note linked to two matched contacts must not appear twice.
 */
function splitByContact(type: SalesforceType, entries: Waiting[], records: UpstreamRecord[]): void {
  const field = LINK_FIELD[type];
  entries.forEach((entry, index) => {
    const own = field
      ? records.filter((record) => textField(record, field) === entry.contact.id)
      : index === 0
        ? records
        : [];
    entry.resolve(own.slice(0, field ? entry.limit : entry.limit * entries.length));
  });
}
