import { Inject, Injectable } from '@nestjs/common';
import { CrmHttpClient } from '#crm-http';
import {
  Connector,
  INTERACTION_SETTINGS,
  textField,
  toE164,
  type AuthFields,
  type Contact,
  type InteractionPlan,
  type InteractionSettings,
  type PhoneNumber,
  type RequestContext,
  type UpstreamRecord,
  type CrmConnector,
} from '#interactions';
import { SalesforceApi } from './salesforce-api.js';
import { SalesforceApiUsage } from './salesforce-api-usage.js';
import { InjectSalesforceConfig, type SalesforceConfig } from './salesforce-config.js';
import { readSalesforceCredentials, SALESFORCE_AUTH_FIELDS } from './salesforce-credentials.js';
import { readInstanceUrl } from './salesforce-instance-url.js';
import { SALESFORCE_INTEGRATION } from './salesforce-integration.js';
import { PHONE_FIELDS, personObjectOf, type PersonObject } from './salesforce-queries.js';
import { SALESFORCE_ID } from './salesforce-query-text.js';

/**
 * Salesforce: a contact is a Contact, or an open Lead when no Contact matches. By id it reads the record
 * (`003…` Contact, `00Q…` Lead), by email and name it queries (SOQL), by phone it searches (SOSL). Lookups that are
 * queries or reads carry the request's interaction queries in the same composite call (see SalesforceApi).
 */
@Injectable()
/**
 * Plan limit: a rolling 24-hour allocation per org, 100,000 requests plus 1,000 per licence on Enterprise Edition;
 * `Sforce-Limit-Info: api-usage=used/limit` on every REST answer corrects it.
 * https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html
 */
@Connector({
  name: 'salesforce',
  authFields: SALESFORCE_AUTH_FIELDS,
  planLimit: { limit: 100_000, windowSeconds: 86_400 },
  integration: SALESFORCE_INTEGRATION,
})
export class SalesforceConnector implements CrmConnector<SalesforceApi> {
  constructor(
    private readonly http: CrmHttpClient,
    @InjectSalesforceConfig() private readonly config: SalesforceConfig,
    private readonly usage: SalesforceApiUsage,
    @Inject(INTERACTION_SETTINGS) private readonly settings: InteractionSettings,
  ) {}

  openSession(auth: AuthFields, context: RequestContext): SalesforceApi {
    return new SalesforceApi(this.http, readSalesforceCredentials(auth), this.config, context, this.usage);
  }

  planInteractions(api: SalesforceApi, plan: InteractionPlan): void {
    api.plan(plan);
  }

  /**
   * Salesforce's daily allocation is per org (its validated host), whichever user's token spends it. Read from the
   * instance_url alone: a request with a malformed token still speaks for its org.
   */
  accountOf(auth: AuthFields): string | undefined {
    try {
      return readInstanceUrl(typeof auth.instance_url === 'string' ? auth.instance_url : '').host;
    } catch {
      return undefined; // malformed: the request is answered 401 by openSession
    }
  }

  async verifyCredentials(api: SalesforceApi): Promise<void> {
    await api.verify();
  }

  async findContactById(api: SalesforceApi, id: string): Promise<Contact | undefined> {
    const object = personObjectOf(id);
    if (!object || !SALESFORCE_ID.test(id)) return undefined; // Neither a Contact nor a Lead id: no call.
    const record = await api.personById(object, id);
    return record ? toContact(record, object) : undefined;
  }

  async findContactsByEmail(api: SalesforceApi, emails: string[]): Promise<Contact[]> {
    return this.people(api, 'Email', emails, this.settings.maxContacts);
  }

  /**
   * One SOSL search for all the request's numbers, built from their national digits (format-insensitive in
   * Salesforce). Contacts before Leads: Leads only when no Contact holds one of the numbers.
   */
  async findContactsByPhone(api: SalesforceApi, numbers: PhoneNumber[]): Promise<Contact[]> {
    const digits = [...new Set(numbers.map((number) => number.nationalDigits).filter((d) => /^\d{4,15}$/.test(d)))];
    if (digits.length === 0) return [];
    const wanted = new Set(numbers.map((number) => number.e164));
    const found = await api.searchPhones(digits, this.settings.maxContacts * 2);
    const holdsNumber = (contact: Contact) => contact.phones.some((phone) => wanted.has(toE164(phone) ?? ''));
    const contacts = found.flatMap((record) => personOf(record, 'Contact')).filter(holdsNumber);
    return contacts.length > 0 ? contacts : found.flatMap((record) => personOf(record, 'Lead')).filter(holdsNumber);
  }

  /** Two are enough to tell the core the name is not unique. */
  async findContactsByName(api: SalesforceApi, name: string): Promise<Contact[]> {
    return this.people(api, 'Name', [name.trim()], 2);
  }

  private async people(
    api: SalesforceApi,
    field: 'Email' | 'Name',
    values: string[],
    limit: number,
  ): Promise<Contact[]> {
    const records = await api.peopleWhere(field, values, limit);
    return records.flatMap((record) => {
      const object = personObjectOf(textField(record, 'Id') ?? '');
      return object ? [toContact(record, object)] : [];
    });
  }
}

function personOf(record: UpstreamRecord, object: PersonObject): Contact[] {
  const type =
    record.attributes && typeof record.attributes === 'object' ? (record.attributes as UpstreamRecord).type : undefined;
  return type === object ? [toContact(record, object)] : [];
}

function toContact(record: UpstreamRecord, object: PersonObject): Contact {
  const email = textField(record, 'Email');
  return {
    id: textField(record, 'Id') ?? '',
    name: textField(record, 'Name'),
    emails: email ? [email] : [],
    phones: PHONE_FIELDS[object].flatMap((field) => textField(record, field) ?? []),
  };
}
