import { Injectable } from '@nestjs/common';
import { CrmHttpClient } from '#crm-http';
import {
  CrmConnector,
  CredentialsError,
  textField,
  type AuthFields,
  type Contact,
  type RequestContext,
  type UpstreamRecord,
} from '#interactions';
import { ZendeskApi } from './zendesk-api.js';
import { InjectZendeskConfig, type ZendeskConfig } from './zendesk-config.js';
import { readZendeskCredentials, ZENDESK_AUTH_FIELDS } from './zendesk-credentials.js';

/** Zendesk Support: a contact is a Zendesk user; lookups use GET /users/{id} and GET /users/search. */
@Injectable()
@CrmConnector({ name: 'zendesk', authFields: ZENDESK_AUTH_FIELDS })
export class ZendeskConnector implements CrmConnector<ZendeskApi> {
  constructor(
    private readonly http: CrmHttpClient,
    @InjectZendeskConfig() private readonly config: ZendeskConfig,
  ) {}

  openSession(auth: AuthFields, context: RequestContext): ZendeskApi {
    return new ZendeskApi(this.http, readZendeskCredentials(auth), this.config.apiUrlTemplate, context);
  }

  async verifyCredentials(api: ZendeskApi): Promise<void> {
    const me = await api.me();
    // Zendesk answers anonymous callers with a user whose id is null.
    if (textField(me, 'id') === undefined) throw new CredentialsError('zendesk did not recognise these credentials');
  }

  async findContactById(api: ZendeskApi, id: string): Promise<Contact | undefined> {
    if (!/^\d{1,20}$/.test(id)) return undefined; // Zendesk user ids are numbers; anything else cannot exist.
    const user = await api.user(id);
    return user ? toContact(user) : undefined;
  }

  async findContactsByEmail(api: ZendeskApi, emails: string[]): Promise<Contact[]> {
    return this.search(api, emails.map((email) => `email:${quoted(email)}`));
  }

  async findContactsByPhone(api: ZendeskApi, spellings: string[]): Promise<Contact[]> {
    return this.search(api, spellings.map((phone) => `phone:${quoted(phone)}`));
  }

  async findContactsByName(api: ZendeskApi, name: string): Promise<Contact[]> {
    return this.search(api, [`name:${quoted(name)}`]);
  }

  /** Zendesk's search has no OR across values: one query per value, concurrently. */
  private async search(api: ZendeskApi, queries: string[]): Promise<Contact[]> {
    const pages = await Promise.all(queries.map((query) => api.searchUsers(query)));
    return pages.flat().flatMap((user) => {
      const contact = toContact(user);
      return contact ? [contact] : [];
    });
  }
}

function toContact(user: UpstreamRecord): Contact | undefined {
  const id = textField(user, 'id');
  if (!id) return undefined;
  const email = textField(user, 'email');
  const phone = textField(user, 'phone');
  return { id, name: textField(user, 'name'), emails: email ? [email] : [], phones: phone ? [phone] : [] };
}

/** A value for Zendesk's search syntax: quoted when it has spaces, without quotes of its own. */
function quoted(value: string): string {
  const clean = value.replace(/"/g, '').trim();
  return /\s/.test(clean) ? `"${clean}"` : clean;
}
