import { Inject, Injectable } from '@nestjs/common';
import { CrmHttpClient } from '#crm-http';
import {
  Connector,
  INTERACTION_SETTINGS,
  textField,
  toE164,
  type AuthFields,
  type Contact,
  type CrmConnector,
  type InteractionPlan,
  type InteractionSettings,
  type PhoneNumber,
  type RequestContext,
  type UpstreamRecord,
} from '#interactions';
import { DynamicsApi } from './dynamics-api.js';
import { InjectDynamicsConfig, type DynamicsConfig } from './dynamics-config.js';
import { DYNAMICS_AUTH_FIELDS, readDynamicsCredentials } from './dynamics-credentials.js';
import { DYNAMICS_INTEGRATION } from './dynamics-integration.js';
import { readOrgUrl } from './dynamics-org-url.js';
import {
  CONTACT_EMAIL_COLUMNS,
  CONTACT_PHONE_COLUMNS,
  contactsByEmailFilter,
  contactsByNameFilter,
  contactsByPhoneFilter,
  guidOf,
} from './dynamics-queries.js';
import { DynamicsServiceProtection } from './dynamics-service-protection.js';

/** Candidates read per phone lookup: the wildcard match can find a few rows whose number is another one. */
const PHONE_CANDIDATES_PER_CONTACT = 4;

/**
 * Microsoft Dynamics 365, through the Dataverse Web API. A contact is an active Contact row: by id (a GUID) it reads
 * the row, by email, phone and name it queries `contacts` with `$filter`. Leads and Accounts are not looked up
 * (docs/crms/dynamics.md says why).
 */
@Injectable()
/**
 * Plan limit: Dataverse's service protection limit on the number of requests, 6,000 per user within a 5-minute
 * sliding window ("Service protection API limits",
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/api-limits). It is enforced per web server
 * and most environments have more than one, so 6,000 is the floor; CRM_PLAN_LIMITS raises it for an org known to
 * have more. Dataverse's `x-ms-ratelimit-*` headers are "intended for debugging purposes" and "should not" steer
 * how many requests are sent (same page), so they do not correct the budget. A sliding window: `rolling`.
 */
@Connector({
  name: 'dynamics',
  authFields: DYNAMICS_AUTH_FIELDS,
  planLimit: { limit: 6_000, windowSeconds: 300, window: 'rolling' },
  integration: DYNAMICS_INTEGRATION,
})
export class DynamicsConnector implements CrmConnector<DynamicsApi> {
  constructor(
    private readonly http: CrmHttpClient,
    @InjectDynamicsConfig() private readonly config: DynamicsConfig,
    private readonly protection: DynamicsServiceProtection,
    @Inject(INTERACTION_SETTINGS) private readonly settings: InteractionSettings,
  ) {}

  openSession(auth: AuthFields, context: RequestContext): DynamicsApi {
    return new DynamicsApi(this.http, readDynamicsCredentials(auth), this.config, context, this.protection);
  }

  planInteractions(api: DynamicsApi, plan: InteractionPlan): void {
    api.plan(plan);
  }

  /**
   * The org (its validated host), read from `org_url` alone: its pops all spend the allowance of the one user
   * Talkdesk's token is for, and a request with a malformed token still speaks for its org.
   */
  accountOf(auth: AuthFields): string | undefined {
    try {
      return typeof auth.org_url === 'string' ? readOrgUrl(auth.org_url).account : undefined;
    } catch {
      return undefined; // malformed: the request is answered 401 by openSession
    }
  }

  async verifyCredentials(api: DynamicsApi): Promise<void> {
    await api.whoAmI();
  }

  /** A contact's id is a GUID: anything else names no row, and costs no call. */
  async findContactById(api: DynamicsApi, id: string): Promise<Contact | undefined> {
    const guid = guidOf(id);
    if (!guid) return undefined;
    const row = await api.contactById(guid);
    return row && isActive(row) ? toContact(row) : undefined;
  }

  async findContactsByEmail(api: DynamicsApi, emails: string[]): Promise<Contact[]> {
    const rows = await api.contactsWhere(contactsByEmailFilter(emails), this.settings.maxContacts);
    return rows.map(toContact);
  }

  /**
   * One query for every number of the request, matching each number's national digits in any spelling (see
   * contactsByPhoneFilter). A row whose number only shares those digits in order is dropped here.
   */
  async findContactsByPhone(api: DynamicsApi, numbers: PhoneNumber[]): Promise<Contact[]> {
    const digits = [...new Set(numbers.map((number) => number.nationalDigits).filter((d) => /^\d{4,15}$/.test(d)))];
    if (digits.length === 0) return [];
    const wanted = new Set(numbers.map((number) => number.e164));
    const rows = await api.contactsWhere(
      contactsByPhoneFilter(digits),
      this.settings.maxContacts * PHONE_CANDIDATES_PER_CONTACT,
    );
    return rows.map(toContact).filter((contact) => contact.phones.some((phone) => wanted.has(toE164(phone) ?? '')));
  }

  /** Two are enough to tell the core the name is not unique. */
  async findContactsByName(api: DynamicsApi, name: string): Promise<Contact[]> {
    const rows = await api.contactsWhere(contactsByNameFilter(name.trim()), 2);
    return rows.map(toContact);
  }
}

/** statecode 0 is Active; an inactive (deactivated) contact is not someone to pop. */
function isActive(row: UpstreamRecord): boolean {
  return textField(row, 'statecode') === '0';
}

function toContact(row: UpstreamRecord): Contact {
  return {
    id: textField(row, 'contactid') ?? '',
    name: textField(row, 'fullname'),
    emails: CONTACT_EMAIL_COLUMNS.flatMap((column) => textField(row, column) ?? []),
    phones: CONTACT_PHONE_COLUMNS.flatMap((column) => textField(row, column) ?? []),
  };
}
