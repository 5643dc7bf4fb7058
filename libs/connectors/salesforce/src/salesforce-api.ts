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
import { classifySalesforceRefusal, readSalesforceNetworkFailure, subrequestError } from './salesforce-errors.js';
import {
  LINK_FIELD,
  QUERIES_OF_TYPE,
  TASK_QUERY_LIMIT,
  interactionSoql,
  isCallTask,
  isSalesforceType,
  personFields,
  personLookupSoql,
  personObjectOf,
  phoneSearchSosl,
  REFERENCE_END,
  REFERENCE_START,
  type PersonObject,
  type SalesforceQuery,
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
  query: SalesforceQuery;
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
 * composite request together with the planned types' queries (one per object: Case, Task for both `task` and `call`,
 * ContentNote and classic Note for `note`; with the lookup, Salesforce's 5 queries), each referring to the looked-up record
 * (`@{people.records[0].Id}`: the `.` and `[n]` operators of "Composite Request Body", REST API Developer Guide,
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/requests_composite.htm). The providers,
 * called afterwards as for any CRM, find their first page waiting.
 * Contacts that were not folded in that way (found by phone, or several matches) are read together: the providers'
 * requests of one tick are gathered into one composite, one query per object for all the contacts.
 */
export class SalesforceApi {
  /** e.g. `https://acme.my.salesforce.com`, or the sandbox's stand-in for that host. */
  private readonly apiRoot: string;
  private readonly retryAfterSeconds: number;
  private planned: SalesforceQuery[] = [];
  private plannedLimit = 0;
  private readonly prefetched = new Map<string, FirstPage>();
  /** Each query's read for a contact, shared by the types it answers (one Task query for `task` and `call`). */
  private readonly reads = new Map<string, Promise<UpstreamRecord[]>>();
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
   * The Lightning record page: `{instance_url}/lightning/r/{Object}/{Id}/view` (the Record Page URL format
   * of "pageReference Types", Lightning Aura Components Developer Guide,
   * https://developer.salesforce.com/docs/atlas.en-us.lightning.meta/lightning/components_navigation_page_definitions.htm).
   */
  recordUrl(object: string, id: string): string {
    return `${this.credentials.origin}/lightning/r/${object}/${encodeURIComponent(id)}/view`;
  }

  plan(plan: InteractionPlan): void {
    this.planned = [...new Set(plan.types.filter(isSalesforceType).flatMap((type) => QUERIES_OF_TYPE[type]))];
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
   * Contacts whose `field` (Email or Name) is one of `values`, else open Leads: Contacts before Leads
   * (docs/contract.md, "Salesforce"). Each lookup is one composite with the planned types' queries for its first
   * record.
   */
  async peopleWhere(field: 'Email' | 'Name', values: string[], limit: number): Promise<UpstreamRecord[]> {
    for (const object of ['Contact', 'Lead'] as const) {
      const lookup = this.querySubrequest('people', personLookupSoql(object, field, values, limit));
      const results = await this.composite([lookup, ...this.foldedQueries(object, 'people.records[0].Id')]);
      const found = results.get('people')!;
      if (found.status !== 200) throw this.failure(found, `${object} lookup`);
      const people = recordsAt(found.body, 'records', `salesforce ${object} lookup`, limit);
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
    // LIMIT `limit` for each of the two objects RETURNING names.
    return recordsAt(body, 'searchRecords', 'salesforce phone search', 2 * limit);
  }

  /**
   * The contact's newest records of one query (`limit` of them; for the Task query, up to `limit` Tasks and `limit`
   * calls): the page folded into the lookup when there is one, else one query in a composite shared with the other
   * providers' requests of this tick. Read once per contact, however many types ask for it.
   */
  records(query: SalesforceQuery, contact: Contact, limit: number): Promise<UpstreamRecord[]> {
    const key = `${query}:${contact.id}:${limit}`;
    let read = this.reads.get(key);
    if (!read) {
      read = this.read(query, contact, limit);
      this.reads.set(key, read);
    }
    return read;
  }

  private read(query: SalesforceQuery, contact: Contact, limit: number): Promise<UpstreamRecord[]> {
    const object = personObjectOf(contact.id);
    if (query === 'Case' && object === 'Lead') return Promise.resolve([]); // Cases belong to Contacts only.
    const folded = this.prefetched.get(`${query}:${contact.id}`);
    if (folded && limit === this.plannedLimit) {
      this.prefetched.delete(`${query}:${contact.id}`);
      if (!folded.ok) return Promise.reject(this.failure(folded.result, `${query} query`));
      const total = queryLimit(query, this.plannedLimit);
      return this.allPages(folded.body, enough(query, [contact.id], limit), total, `${query} query`).then((records) =>
        query === 'Task' ? records : records.slice(0, limit),
      );
    }
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.readWaiting());
      this.waiting.push({ query, contact, limit, resolve, reject });
    });
  }

  /** The planned queries for a person another subrequest of the same composite finds. */
  private foldedQueries(object: PersonObject, reference: string): Subrequest[] {
    return this.planned
      .filter((query) => !(query === 'Case' && object === 'Lead'))
      .map((query) =>
        this.querySubrequest(query, interactionSoql(query, { reference }, queryLimit(query, this.plannedLimit))),
      );
  }

  private keepFolded(results: Map<string, SubResult>, personId: string | undefined): void {
    if (!personId) return;
    for (const query of this.planned) {
      const result = results.get(query);
      if (!result) continue;
      this.prefetched.set(
        `${query}:${personId}`,
        result.status === 200 ? { ok: true, body: result.body } : { ok: false, result },
      );
    }
  }

  /** One composite for every request waiting: one query per object, for all its contacts, split by the link field. */
  private async readWaiting(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = [];
    const byQuery = new Map<SalesforceQuery, Waiting[]>();
    for (const entry of waiting) byQuery.set(entry.query, [...(byQuery.get(entry.query) ?? []), entry]);
    const wanted = new Map<SalesforceQuery, { isEnough: (records: UpstreamRecord[]) => boolean; total: number }>();
    const subrequests = [...byQuery].map(([query, entries]) => {
      const ids = [...new Set(entries.map((entry) => entry.contact.id))];
      const limit = Math.max(...entries.map((entry) => entry.limit));
      const total = query === 'Task' ? TASK_QUERY_LIMIT : limit * ids.length;
      wanted.set(query, { isEnough: enough(query, ids, limit), total });
      return this.querySubrequest(query, interactionSoql(query, { ids } satisfies Who, total));
    });
    let results: Map<string, SubResult>;
    try {
      results = await this.composite(subrequests);
    } catch (error) {
      for (const entry of waiting) entry.reject(error);
      return;
    }
    await Promise.all(
      [...byQuery].map(async ([query, entries]) => {
        try {
          const result = results.get(query)!;
          if (result.status !== 200) throw this.failure(result, `${query} query`);
          const { isEnough, total } = wanted.get(query)!;
          const records = await this.allPages(result.body, isEnough, total, `${query} query`);
          splitByContact(query, entries, records);
        } catch (error) {
          for (const entry of entries) entry.reject(error);
        }
      }),
    );
  }

  /**
   * The records of a query answer, following `nextRecordsUrl` until they are enough or none are left: "the returned
   * batch can include fewer records than the limit" ("Query", REST API Developer Guide,
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm). Never more than
   * the query's LIMIT (`total`), which no answer of Salesforce's exceeds: pages past it are not asked for.
   */
  private async allPages(
    firstPage: unknown,
    isEnough: (records: UpstreamRecord[]) => boolean,
    total: number,
    what: string,
  ): Promise<UpstreamRecord[]> {
    const records = recordsAt(firstPage, 'records', `salesforce ${what}`, total);
    let page = firstPage;
    while (records.length < total && !isEnough(records) && isRecord(page) && page.done === false) {
      const next = textField(page, 'nextRecordsUrl');
      if (!next || !QUERY_LOCATOR.test(next)) throw new UpstreamError(`salesforce ${what}: unusable nextRecordsUrl`);
      page = await this.get(next);
      for (const record of recordsAt(page, 'records', `salesforce ${what}`, total - records.length))
        records.push(record);
    }
    return records;
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
      readNetworkFailure: readSalesforceNetworkFailure,
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

/** The SOQL LIMIT of a query for `limit` items per type. */
function queryLimit(query: SalesforceQuery, limit: number): number {
  return query === 'Task' ? TASK_QUERY_LIMIT : limit;
}

/**
 * When a query's pages read so far are enough for its contacts (`ids`): `limit` records each (all of them together
 * for ContentNotes, which do not name their person), and for the Task query `limit` Tasks and `limit` calls each.
 */
function enough(query: SalesforceQuery, ids: string[], limit: number): (records: UpstreamRecord[]) => boolean {
  if (query !== 'Task') return (records) => records.length >= limit * ids.length;
  return (records) =>
    ids.every((id) => {
      const own = records.filter((record) => textField(record, 'WhoId') === id);
      const calls = own.filter(isCallTask).length;
      return calls >= limit && own.length - calls >= limit;
    });
}

/**
 * Hands each contact its records. Cases, Tasks and classic Notes name their person (ContactId, WhoId, ParentId); a
 * ContentNote read through the ContentDocumentLink semi-join does not, so the ContentNotes go, once, to the first
 * contact that asked: the core merges every contact's items anyway, and a note linked to two matched contacts must
 * not appear twice. Task records are not cut here: the task and call providers each keep their own newest `limit`.
 */
function splitByContact(query: SalesforceQuery, entries: Waiting[], records: UpstreamRecord[]): void {
  const field = LINK_FIELD[query];
  entries.forEach((entry, index) => {
    const own = field
      ? records.filter((record) => textField(record, field) === entry.contact.id)
      : index === 0
        ? records
        : [];
    entry.resolve(query === 'Task' ? own : own.slice(0, field ? entry.limit : entry.limit * entries.length));
  });
}
