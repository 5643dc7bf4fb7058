import { Injectable } from '@nestjs/common';
import { CrmHttpClient } from '#crm-http';
import {
  Connector,
  CredentialsError,
  textField,
  toE164,
  type AuthFields,
  type Contact,
  type PhoneNumber,
  type RequestContext,
  type UpstreamRecord,
  type CrmConnector,
} from '#interactions';
import { ZendeskApi } from './zendesk-api.js';
import { InjectZendeskConfig, type ZendeskConfig } from './zendesk-config.js';
import { readZendeskCredentials, readZendeskSubdomain, ZENDESK_AUTH_FIELDS } from './zendesk-credentials.js';
import { ZENDESK_INTEGRATION } from './zendesk-integration.js';

/**
 * Zendesk Support: a contact is an active, unsuspended end user; lookups use GET /users/{id} and GET /users/search.
 *
 * Every search is restricted with `role:end-user`, as Zendesk's "Retrieving the Zendesk user id of a caller" guide
 * does (https://developer.zendesk.com/documentation/voice/talk-partner-edition/retrieving-the-zendesk-user-id-of-a-caller/),
 * and the answers are checked again (role, `active`, `suspended`: Users API, "JSON format"), so agents, admins,
 * suspended and deleted users are never contacts.
 */
@Injectable()
/**
 * Plan limit: 200 requests a minute per account on the Team plan (400 Growth/Professional, 700 Enterprise, 2,500
 * with the High Volume API add-on), shared by every integration of the account; `X-Rate-Limit` and
 * `X-Rate-Limit-Remaining` on every answer correct it. https://developer.zendesk.com/api-reference/introduction/rate-limits/
 */
@Connector({
  name: 'zendesk',
  authFields: ZENDESK_AUTH_FIELDS,
  planLimit: { limit: 200, windowSeconds: 60 },
  integration: ZENDESK_INTEGRATION,
})
export class ZendeskConnector implements CrmConnector<ZendeskApi> {
  constructor(
    private readonly http: CrmHttpClient,
    @InjectZendeskConfig() private readonly config: ZendeskConfig,
  ) {}

  openSession(auth: AuthFields, context: RequestContext): ZendeskApi {
    return new ZendeskApi(this.http, readZendeskCredentials(auth), this.config.apiUrlTemplate, context);
  }

  /**
   * Zendesk's allowance is per account (subdomain), shared by every credential of it. Read from the subdomain alone:
   * a request with a malformed token still speaks for its account (and its refusal counts toward that account's
   * lockout at the edge).
   */
  accountOf(auth: AuthFields): string | undefined {
    try {
      return readZendeskSubdomain(auth);
    } catch {
      return undefined; // malformed: the request is answered 401 by openSession
    }
  }

  async verifyCredentials(api: ZendeskApi): Promise<void> {
    const me = await api.me();
    // Zendesk answers anonymous callers with a user whose id is null.
    if (textField(me, 'id') === undefined) throw new CredentialsError('zendesk did not recognise these credentials');
  }

  async findContactById(api: ZendeskApi, id: string): Promise<Contact | undefined> {
    if (!/^\d{1,20}$/.test(id)) return undefined; // Zendesk user ids are numbers; anything else cannot exist.
    const user = await api.user(id);
    return user && isCustomer(user) ? toContact(user, []) : undefined;
  }

  async findContactsByEmail(api: ZendeskApi, emails: string[]): Promise<Contact[]> {
    const wanted = new Set(emails.map((email) => email.trim().toLowerCase()));
    const users = await this.search(api, anyOf('email', emails.map(quoted)));
    return this.withIdentities(api, users, (user) => wanted.has(textField(user, 'email')?.trim().toLowerCase() ?? ''));
  }

  /**
   * Every number in one search, format-insensitive: digits only, without `+` or country code, a leading `*` matching
   * every stored format (`+1 513.555.7611`, `(513) 555-7611`, …), as "Retrieving the Zendesk user id of a caller"
   * documents. The core keeps only the users whose number is the same in E.164.
   */
  async findContactsByPhone(api: ZendeskApi, numbers: PhoneNumber[]): Promise<Contact[]> {
    const wanted = new Set(numbers.map((number) => number.e164));
    const users = await this.search(
      api,
      anyOf(
        'phone',
        numbers.map((number) => `*${number.nationalDigits}`),
      ),
    );
    return this.withIdentities(api, users, (user) => wanted.has(toE164(textField(user, 'phone') ?? '') ?? ''));
  }

  async findContactsByName(api: ZendeskApi, name: string): Promise<Contact[]> {
    const users = await this.search(api, [`role:end-user name:${quoted(name)}`]);
    return users.map((user) => toContact(user, []));
  }

  /** The queries' first pages, concurrently (one query in all but outsized requests). Customers only. */
  private async search(api: ZendeskApi, queries: string[]): Promise<UpstreamRecord[]> {
    const pages = await Promise.all(queries.map((query) => api.searchUsers(query)));
    return pages.flat().filter((user) => textField(user, 'id') !== undefined && isCustomer(user));
  }

  /**
   * Zendesk's search matches every identity of a user, but a user carries only its primary `email` and `phone`.
   * The users found through another identity get theirs in one call for all of them (show_many with the
   * `identities` sideload), not one call per user; those found by their primary value need none.
   */
  private async withIdentities(
    api: ZendeskApi,
    users: UpstreamRecord[],
    foundByPrimary: (user: UpstreamRecord) => boolean,
  ): Promise<Contact[]> {
    const others = [...new Set(users.filter((user) => !foundByPrimary(user)).map((user) => textField(user, 'id')!))];
    const identities = others.length > 0 ? await api.identitiesOf(others) : [];
    // Grouped once: filtering every identity for every user takes time in their product.
    const byUser = new Map<string | undefined, UpstreamRecord[]>();
    for (const identity of identities) {
      const userId = textField(identity, 'user_id');
      const ofUser = byUser.get(userId);
      if (ofUser) ofUser.push(identity);
      else byUser.set(userId, [identity]);
    }
    return users.map((user) => toContact(user, byUser.get(textField(user, 'id')) ?? []));
  }
}

/** An end user that is neither deleted (`active: false`) nor suspended. */
function isCustomer(user: UpstreamRecord): boolean {
  return user.role === 'end-user' && user.active !== false && user.suspended !== true;
}

/** A user as the core's Contact: its primary email and phone, and those of its other identities. */
function toContact(user: UpstreamRecord, identities: UpstreamRecord[]): Contact {
  const of = (type: string) =>
    identities.filter((identity) => identity.type === type).map((identity) => textField(identity, 'value'));
  const emails = [textField(user, 'email'), ...of('email')];
  const phones = [textField(user, 'phone'), ...of('phone_number')];
  return {
    id: textField(user, 'id')!,
    name: textField(user, 'name'),
    emails: [...new Set(emails.filter((email): email is string => Boolean(email)))],
    phones: [...new Set(phones.filter((phone): phone is string => Boolean(phone)))],
  };
}

/**
 * End users holding any of `values` in one property, in as few searches as the query's limits allow: Zendesk ORs
 * the values of a property keyword given several times ("You can search for multiple values of a single property by
 * including the property keyword multiple times in a query … Search uses OR logic for matching in this case", and
 * "There is a 64 word limit in a search query": Zendesk Support search reference,
 * https://support.zendesk.com/hc/en-us/articles/4408886879258). `role:end-user` is a keyword of its own, so it is
 * AND-ed with them.
 */
function anyOf(keyword: 'email' | 'phone', values: string[]): string[] {
  const role = 'role:end-user';
  const queries: string[] = [];
  let terms: string[] = [];
  let words = searchWords(role);
  for (const value of new Set(values.filter((value) => value !== ''))) {
    const term = `${keyword}:${value}`;
    if (terms.length > 0 && words + searchWords(term) > MAX_SEARCH_WORDS) {
      queries.push(`${role} ${terms.join(' ')}`);
      terms = [];
      words = searchWords(role);
    }
    terms.push(term);
    words += searchWords(term);
  }
  if (terms.length > 0) queries.push(`${role} ${terms.join(' ')}`);
  return queries;
}

/**
 * The 64-word limit of a query. The reference does not say what a word is; counted the costly way, every run of
 * letters and digits between punctuation is one (`email:jane.doe@example.com`: 5), so a query the connector sends
 * is within the limit however Zendesk counts. With ten ordinary addresses (MAX_LOOKUPS_PER_REQUEST's default) a kind
 * is one search; long addresses take more.
 */
const MAX_SEARCH_WORDS = 64;

function searchWords(text: string): number {
  return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;
}

/** A value for Zendesk's search syntax: quoted when it has spaces, without quotes of its own. */
function quoted(value: string): string {
  const clean = value.replace(/"/g, '').trim();
  return /\s/.test(clean) ? `"${clean}"` : clean;
}
