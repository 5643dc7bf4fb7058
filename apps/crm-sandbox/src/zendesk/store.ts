import type { ZendeskIdentity, ZendeskTenantData, ZendeskThread, ZendeskTicket, ZendeskUser } from './model.js';
import { searchUsers } from './search.js';

/** One tenant's records, indexed for the routes. Read-only: the sandbox serves its seed and never changes it. */
export class ZendeskTenant {
  private readonly users = new Map<number, ZendeskUser>();
  private readonly threads = new Map<number, ZendeskThread>();
  private readonly requested = new Map<number, ZendeskTicket[]>();
  private readonly identities = new Map<number, ZendeskIdentity[]>();
  private readonly usersById: ZendeskUser[];

  constructor(readonly data: ZendeskTenantData) {
    for (const user of data.users) this.users.set(user.id, user);
    for (const thread of data.threads) {
      this.threads.set(thread.ticket.id, thread);
      const list = this.requested.get(thread.ticket.requester_id) ?? [];
      list.push(thread.ticket);
      this.requested.set(thread.ticket.requester_id, list);
    }
    for (const identity of data.identities) {
      const list = this.identities.get(identity.user_id) ?? [];
      list.push(identity);
      this.identities.set(identity.user_id, list);
    }
    this.usersById = [...data.users].sort((a, b) => a.id - b.id);
  }

  get subdomain(): string {
    return this.data.subdomain;
  }

  user(id: number): ZendeskUser | undefined {
    return this.users.get(id);
  }

  thread(ticketId: number): ZendeskThread | undefined {
    return this.threads.get(ticketId);
  }

  /** The tickets a user requested, by ascending id. */
  requestedBy(userId: number): readonly ZendeskTicket[] {
    return this.requested.get(userId) ?? [];
  }

  /** Users matching a search-syntax query (see search.ts), by ascending id. */
  search(query: string): ZendeskUser[] {
    return searchUsers(this.usersById, query, (userId) => this.identitiesOf(userId));
  }

  /** A user's identities, in the data's order (primary first). */
  identitiesOf(userId: number): readonly ZendeskIdentity[] {
    return this.identities.get(userId) ?? [];
  }

  withExternalId(externalId: string): ZendeskUser[] {
    return this.usersById.filter((user) => user.external_id === externalId);
  }
}

/** The tenants by subdomain. */
export class ZendeskStore {
  private readonly tenants = new Map<string, ZendeskTenant>();

  constructor(data: readonly ZendeskTenantData[]) {
    for (const tenant of data) this.tenants.set(tenant.subdomain.toLowerCase(), new ZendeskTenant(tenant));
  }

  tenant(subdomain: string): ZendeskTenant | undefined {
    return this.tenants.get(subdomain.toLowerCase());
  }
}
