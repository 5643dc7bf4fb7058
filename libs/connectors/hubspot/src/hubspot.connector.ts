import { Injectable, Logger } from '@nestjs/common';
import { CrmHttpClient } from '#crm-http';
import {
  Connector,
  type CrmConnector,
  type AuthFields,
  type Contact,
  type PhoneNumber,
  type RequestContext,
} from '#interactions';
import { HubspotApi, type HubspotFilterGroup } from './hubspot-api.js';
import { InjectHubspotConfig, type HubspotConfig } from './hubspot-config.js';
import { emailGroups, hubspotContact, nameGroups, packSearchRequests, phoneGroups } from './hubspot-contact-search.js';
import { HUBSPOT_AUTH_FIELDS, readHubspotCredentials } from './hubspot-credentials.js';
import { HUBSPOT_INTEGRATION } from './hubspot-integration.js';
import { HubspotMetadataCache } from './hubspot-metadata-cache.js';
import { HUBSPOT_DERIVED_AUTH_FIELDS, portalAuthFields, readAuthPortal } from './hubspot-portal.js';

/** HubSpot CRM: a contact is a HubSpot contact; lookups use GET /crm/v3/objects/contacts/{id} and the search API. */
@Injectable()
/**
 * Plan limit: 100 requests per 10 seconds per app and account on Free/Starter (190 on Professional and Enterprise);
 * `X-HubSpot-RateLimit-Max` / `-Remaining` on every answer correct it.
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
@Connector({
  name: 'hubspot',
  authFields: HUBSPOT_AUTH_FIELDS,
  planLimit: { limit: 100, windowSeconds: 10 },
  derivedAuthFields: HUBSPOT_DERIVED_AUTH_FIELDS,
  integration: HUBSPOT_INTEGRATION,
})
export class HubspotConnector implements CrmConnector<HubspotApi> {
  private readonly logger = new Logger(HubspotConnector.name);

  constructor(
    private readonly http: CrmHttpClient,
    @InjectHubspotConfig() private readonly config: HubspotConfig,
    private readonly metadata: HubspotMetadataCache,
  ) {}

  openSession(auth: AuthFields, context: RequestContext): HubspotApi {
    const credentials = readHubspotCredentials(auth);
    const { portal, malformed } = readAuthPortal(auth);
    if (malformed) {
      this.logger.warn(
        `[${context.requestId}] hubspot: auth.hubspot_portal_id or auth.hubspot_app_host is malformed; ignored, the portal is read as without them`,
      );
    }
    return new HubspotApi(this.http, credentials, this.config, this.metadata, context, portal);
  }

  /**
   * GET /account-info/v3/details: HubSpot answers 401 for a token it does not accept. Its portal is the validator's
   * answer, which Talkdesk sends back in `auth` so that pops need not ask again.
   */
  async verifyCredentials(api: HubspotApi): Promise<AuthFields> {
    return portalAuthFields(await api.verifyAccount());
  }

  async findContactById(api: HubspotApi, id: string): Promise<Contact | undefined> {
    if (!/^\d{1,20}$/.test(id)) return undefined; // HubSpot record ids are numbers; anything else cannot exist.
    const record = await api.contact(id);
    return record ? hubspotContact(record) : undefined;
  }

  async findContactsByEmail(api: HubspotApi, emails: string[]): Promise<Contact[]> {
    return this.search(api, emailGroups(emails));
  }

  async findContactsByPhone(api: HubspotApi, numbers: PhoneNumber[]): Promise<Contact[]> {
    return this.search(api, phoneGroups(numbers));
  }

  async findContactsByName(api: HubspotApi, name: string): Promise<Contact[]> {
    return this.search(api, nameGroups(name));
  }

  /**
   * One search request when the groups fit HubSpot's limits (the usual case), else a few, one after the other:
   * the search API has its own, tighter rate limit per account.
   */
  private async search(api: HubspotApi, groups: HubspotFilterGroup[]): Promise<Contact[]> {
    const contacts: Contact[] = [];
    for (const filterGroups of packSearchRequests(groups)) {
      for (const record of await api.searchContacts(filterGroups)) {
        const contact = hubspotContact(record);
        if (contact) contacts.push(contact);
      }
    }
    return contacts;
  }
}
