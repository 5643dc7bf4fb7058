import { Injectable } from '@nestjs/common';
import { CrmHttpClient } from '#crm-http';
import {
  Connector,
  CredentialsError,
  textField,
  type AuthFields,
  type Contact,
  type CrmConnector,
  type PhoneNumber,
  type RequestContext,
  type UpstreamRecord,
} from '#interactions';
import { FreshdeskApi } from './freshdesk-api.js';
import { InjectFreshdeskConfig, type FreshdeskConfig } from './freshdesk-config.js';
import { anyOf, emailTerms, isQuotable, phoneTerms } from './freshdesk-contact-query.js';
import { FRESHDESK_AUTH_FIELDS, readFreshdeskCredentials, readFreshdeskDomain } from './freshdesk-credentials.js';
import { FRESHDESK_INTEGRATION } from './freshdesk-integration.js';
import { FreshdeskListCooldowns } from './freshdesk-list-cooldowns.js';

/**
 * Contacts in an autocomplete answer from which it is treated as possibly cut. Freshdesk documents no maximum for
 * it; an answer this long may have left out a namesake, and a name only counts when it is certainly unique.
 */
export const AUTOCOMPLETE_POSSIBLY_CUT = 10;

/**
 * Freshdesk: a contact is a Freshdesk contact (agents are not contacts: they have an API of their own) that is not
 * deleted. Lookups use View a Contact, Filter Contacts (one query for several values) and, by name, the contacts'
 * autocomplete.
 */
@Injectable()
/**
 * Plan limit: 200 calls a minute per account on the Growth plan (400 Pro, 700 Enterprise; 50 during a trial), shared by
 * every integration of the account, with per-minute limits of their own on the tickets and contacts lists ("What are
 * the rate limits for the API calls to Freshdesk?", https://support.freshdesk.com/support/solutions/articles/225439;
 * "Rate Limit", https://developers.freshdesk.com/api/#ratelimit). `X-Ratelimit-Total` and `X-Ratelimit-Remaining` on
 * every answer correct it.
 */
@Connector({
  name: 'freshdesk',
  authFields: FRESHDESK_AUTH_FIELDS,
  planLimit: { limit: 200, windowSeconds: 60 },
  integration: FRESHDESK_INTEGRATION,
})
export class FreshdeskConnector implements CrmConnector<FreshdeskApi> {
  constructor(
    private readonly http: CrmHttpClient,
    @InjectFreshdeskConfig() private readonly config: FreshdeskConfig,
    private readonly cooldowns: FreshdeskListCooldowns,
  ) {}

  openSession(auth: AuthFields, context: RequestContext): FreshdeskApi {
    return new FreshdeskApi(
      this.http,
      readFreshdeskCredentials(auth),
      this.config.apiUrlTemplate,
      context,
      this.cooldowns,
    );
  }

  /**
   * Freshdesk's allowance is per account (domain), whatever API key calls. Read from the domain alone: a request with
   * a malformed key still speaks for its account (and its refusal counts toward that account's lockout at the edge).
   */
  accountOf(auth: AuthFields): string | undefined {
    try {
      return readFreshdeskDomain(auth);
    } catch {
      return undefined; // malformed: the request is answered 401 by openSession
    }
  }

  async verifyCredentials(api: FreshdeskApi): Promise<void> {
    const me = await api.me();
    if (textField(me, 'id') === undefined) throw new CredentialsError('freshdesk did not recognise this API key');
  }

  async findContactById(api: FreshdeskApi, id: string): Promise<Contact | undefined> {
    if (!/^\d{1,20}$/.test(id)) return undefined; // Freshdesk contact ids are numbers; anything else cannot exist.
    const contact = await api.contact(id);
    return contact && isCustomer(contact) ? toContact(contact) : undefined;
  }

  /**
   * Every address in as few Filter Contacts queries as the 512-character limit allows; an address the query
   * language cannot carry (a quote in it) through List All Contacts' exact `email` filter instead, one call each.
   */
  async findContactsByEmail(api: FreshdeskApi, emails: string[]): Promise<Contact[]> {
    const unquotable = emails.filter((email) => !isQuotable(email));
    const found = await Promise.all([
      ...anyOf(emailTerms(emails)).map((query) => api.filterContacts(query)),
      ...unquotable.map((email) => api.contactsWithEmail(email)),
    ]);
    return contactsOf(found.flat());
  }

  /** Every number's standard spellings, in `phone` and `mobile`, in as few queries as the limit allows. */
  async findContactsByPhone(api: FreshdeskApi, numbers: PhoneNumber[]): Promise<Contact[]> {
    const found = await Promise.all(anyOf(phoneTerms(numbers)).map((query) => api.filterContacts(query)));
    return contactsOf(found.flat());
  }

  /**
   * The autocomplete's contacts with exactly this name. When there is exactly one, it is read (View a Contact) to
   * make sure it is a live contact and to learn its emails and numbers; several are returned as they are, and the
   * core, finding the name ambiguous, uses none. A possibly cut answer finds nobody.
   */
  async findContactsByName(api: FreshdeskApi, name: string): Promise<Contact[]> {
    const candidates = await api.autocompleteContacts(name);
    if (candidates.length >= AUTOCOMPLETE_POSSIBLY_CUT) return [];
    const wanted = normaliseName(name);
    const exact = candidates.filter(
      (candidate) =>
        textField(candidate, 'id') !== undefined && normaliseName(textField(candidate, 'name') ?? '') === wanted,
    );
    if (exact.length !== 1) return exact.map(toContact);
    const contact = await this.findContactById(api, textField(exact[0]!, 'id')!);
    return contact ? [contact] : [];
  }
}

/**
 * Not deleted: View a Contact answers a deleted contact with `deleted: true` ("View a Contact",
 * https://developers.freshdesk.com/api/#view_contact); the lists and Filter Contacts leave them out already.
 */
function isCustomer(contact: UpstreamRecord): boolean {
  return contact.deleted !== true;
}

/** The contacts found, once each, customers only. */
function contactsOf(records: UpstreamRecord[]): Contact[] {
  const byId = new Map<string, Contact>();
  for (const record of records) {
    const id = textField(record, 'id');
    if (id !== undefined && !byId.has(id) && isCustomer(record)) byId.set(id, toContact(record));
  }
  return [...byId.values()];
}

/**
 * A Freshdesk contact as the core's Contact: its `email` and `other_emails`, its `phone` and `mobile` ("Contacts",
 * contact properties, https://developers.freshdesk.com/api/#contacts).
 */
function toContact(record: UpstreamRecord): Contact {
  const others = Array.isArray(record.other_emails) ? record.other_emails : [];
  const emails = [
    textField(record, 'email'),
    ...others.map((email) => (typeof email === 'string' ? email : undefined)),
  ];
  const phones = [textField(record, 'phone'), textField(record, 'mobile')];
  const present = (values: (string | undefined)[]) => [
    ...new Set(values.filter((value): value is string => Boolean(value?.trim()))),
  ];
  return {
    id: textField(record, 'id')!,
    name: textField(record, 'name'),
    emails: present(emails),
    phones: present(phones),
  };
}

/** As the core compares names (contact-resolution.ts): Unicode-normalised, spaces collapsed, case-insensitive. */
function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}
