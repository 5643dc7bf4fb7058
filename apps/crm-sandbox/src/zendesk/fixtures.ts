import {
  ACME_CAST,
  ACME_PEOPLE,
  ACME_REGULARS,
  GLOBEX_CAST,
  GLOBEX_PEOPLE,
  type PersonSpec,
  type TenantCast,
} from './cast.js';
import type { ZendeskCredentials, ZendeskTenantData } from './model.js';
import { seedAcme, seedGlobex } from './seed.js';

/**
 * What tests (the sandbox's, the connector's, end-to-end) need to know about the sandbox's Zendesk data, so that
 * they name people instead of repeating magic numbers. Ids, names, emails and phones come from cast.ts; ticket ids
 * are read from the seed itself, so they cannot drift from what the sandbox serves.
 */

export interface ZendeskSandboxPerson {
  id: number;
  name: string;
  email: string | null;
  /** As stored (one spelling of the number). */
  phone: string | null;
  /** Ids of the tickets this user requested, ascending (= oldest first). */
  ticketIds: number[];
  /** The tickets of `type: task` among them. */
  taskIds: number[];
  /** The tickets among them that carry internal notes (comments with `public: false`). */
  noteTicketIds: number[];
}

export interface ZendeskSandboxTenant {
  subdomain: string;
  /** Basic `{email}/token:{token}`, or Bearer `{accessToken}`; for the bridge: `{ subdomain, email, token }` or `{ subdomain, access_token }`. */
  credentials: ZendeskCredentials;
  /** The agent the credentials belong to (what `users/me` returns). */
  agent: { id: number; name: string; email: string };
}

export interface AcmeSandbox extends ZendeskSandboxTenant {
  users: {
    /**
     * Jane Doe, jane.doe@example.com, +15555555555: the example request's contact. Every priority and status, 2 tasks,
     * notes.
     */
    jane: ZendeskSandboxPerson;
    /** 80 tickets, 12 of them tasks: the newest 50 cases span two pages of 50 tickets. */
    heavy: ZendeskSandboxPerson & {
      /** The newest case (non-task ticket) that is not on the first page of 50 tickets, newest first. */
      caseBeyondFirstPageId: number;
    };
    /** No email; each phone is a different spelling of a US number. */
    phoneOnly: ZendeskSandboxPerson[];
    /** Two users with one email address. */
    sharedEmail: { email: string; users: ZendeskSandboxPerson[] };
    /** Two users with one name. */
    sameName: { name: string; users: ZendeskSandboxPerson[] };
    /** The only user with this name. */
    uniqueName: ZendeskSandboxPerson;
    /** A user without tickets. */
    noTickets: ZendeskSandboxPerson;
    /** Has a secondary email and phone besides `email`/`phone`. */
    secondaryIdentities: ZendeskSandboxPerson & { secondaryEmail: string; secondaryPhone: string };
    /** A suspended end user, with tickets: searchable, never a contact. */
    suspended: ZendeskSandboxPerson;
    /** Kwame Mensah, a regular, phone stored as `+1 404-555-0127`. */
    kwame: ZendeskSandboxPerson;
  };
  /** The phone of the admin the credentials belong to: an agent, never a contact. */
  agentPhone: string;
}

export interface GlobexSandbox extends ZendeskSandboxTenant {
  users: {
    /** jane.doe@example.com again, but another user (other id, name, phone and tickets) than acme's. */
    jane: ZendeskSandboxPerson;
  };
}

export interface ZendeskSandboxFixture {
  acme: AcmeSandbox;
  globex: GlobexSandbox;
  /** A subdomain no tenant has. */
  unknownSubdomain: string;
}

function person(data: ZendeskTenantData, spec: PersonSpec): ZendeskSandboxPerson {
  const threads = data.threads.filter((thread) => thread.ticket.requester_id === spec.id);
  return {
    id: spec.id,
    name: spec.name,
    email: spec.email,
    phone: spec.phone,
    ticketIds: threads.map((thread) => thread.ticket.id),
    taskIds: threads.filter((thread) => thread.ticket.type === 'task').map((thread) => thread.ticket.id),
    noteTicketIds: threads
      .filter((thread) => thread.comments.some((comment) => !comment.public))
      .map((thread) => thread.ticket.id),
  };
}

function tenant(cast: TenantCast): ZendeskSandboxTenant {
  const agent = cast.agents[0];
  return {
    subdomain: cast.subdomain,
    credentials: { ...cast.credentials },
    agent: { id: agent.id, name: agent.name, email: agent.email ?? cast.credentials.email },
  };
}

/** Newest first by `created_at`, as the bridge reads them (`sort_by=created_at&sort_order=desc`). */
function caseBeyondFirstPage(data: ZendeskTenantData, userId: number, pageSize: number): number {
  const newestFirst = data.threads
    .map((thread) => thread.ticket)
    .filter((ticket) => ticket.requester_id === userId)
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  const beyond = newestFirst.slice(pageSize).find((ticket) => ticket.type !== 'task');
  if (!beyond) throw new Error('the heavy user has no case beyond the first page');
  return beyond.id;
}

function buildFixture(): ZendeskSandboxFixture {
  const acme = seedAcme();
  const globex = seedGlobex();
  const p = ACME_PEOPLE;
  return {
    acme: {
      ...tenant(ACME_CAST),
      users: {
        jane: person(acme, p.jane),
        heavy: { ...person(acme, p.heavy), caseBeyondFirstPageId: caseBeyondFirstPage(acme, p.heavy.id, 50) },
        phoneOnly: p.phoneOnly.map((spec) => person(acme, spec)),
        sharedEmail: { email: p.sharedEmail[0].email, users: p.sharedEmail.map((spec) => person(acme, spec)) },
        sameName: { name: p.sameName[0].name, users: p.sameName.map((spec) => person(acme, spec)) },
        uniqueName: person(acme, p.uniqueName),
        noTickets: person(acme, p.noTickets),
        secondaryIdentities: {
          ...person(acme, p.secondaryIdentities),
          secondaryEmail: p.secondaryIdentities.secondary.emails[0],
          secondaryPhone: p.secondaryIdentities.secondary.phones[0],
        },
        suspended: person(acme, p.suspended),
        kwame: person(
          acme,
          ACME_REGULARS.find((regular) => regular.name === 'Kwame Mensah')!,
        ),
      },
      agentPhone: ACME_CAST.agents[0].phone!,
    },
    globex: {
      ...tenant(GLOBEX_CAST),
      users: { jane: person(globex, GLOBEX_PEOPLE.jane) },
    },
    unknownSubdomain: 'initech',
  };
}

export const ZENDESK_SANDBOX: ZendeskSandboxFixture = buildFixture();
