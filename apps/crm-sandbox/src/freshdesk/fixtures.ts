import type { FreshdeskAccountData } from './model.js';
import { ACME_CONTACTS, GLOBEX_CONTACTS, seedAcme, seedGlobex, type ContactSpec } from './seed.js';

/**
 * What tests (the sandbox's, the connector's, end-to-end) need to know about the sandbox's Freshdesk data, so that
 * they name people instead of repeating magic numbers. Ticket and conversation ids are read from the seed itself.
 */
export interface FreshdeskSandboxPerson {
  id: number;
  name: string;
  email: string | null;
  /** As stored. */
  phone: string | null;
  mobile: string | null;
  /** Ids of the tickets this contact requested, newest first. */
  ticketIds: number[];
  /** The phone tickets among them (Talkdesk `call`s). */
  callIds: number[];
  /** Ids of the private notes on those tickets. */
  noteIds: number[];
}

export interface FreshdeskSandboxAccount {
  domain: string;
  /** For the bridge: `{ domain, api_key }`. */
  auth: { domain: string; api_key: string };
  plan: FreshdeskAccountData['plan'];
  agent: { id: number; name: string; email: string; phone: string | null };
}

function person(data: FreshdeskAccountData, spec: ContactSpec): FreshdeskSandboxPerson {
  const tickets = data.tickets
    .filter((ticket) => ticket.requester_id === spec.id)
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  const ticketIds = tickets.map((ticket) => ticket.id);
  return {
    id: spec.id,
    name: spec.name,
    email: spec.email,
    phone: spec.phone ?? null,
    mobile: spec.mobile ?? null,
    ticketIds,
    callIds: tickets.filter((ticket) => ticket.source === 3).map((ticket) => ticket.id),
    noteIds: data.conversations
      .filter((conversation) => conversation.private && ticketIds.includes(conversation.ticket_id))
      .map((conversation) => conversation.id),
  };
}

function account(data: FreshdeskAccountData): FreshdeskSandboxAccount {
  const { id, name, email, phone, apiKey } = data.agent;
  return {
    domain: data.domain,
    auth: { domain: data.domain, api_key: apiKey },
    plan: data.plan,
    agent: { id, name, email, phone },
  };
}

function buildFixture() {
  const acme = seedAcme();
  const globex = seedGlobex();
  const p = ACME_CONTACTS;
  const heavy = person(acme, p.heavy);
  const heavyCases = heavy.ticketIds.filter((id) => !heavy.callIds.includes(id));
  return {
    acme: {
      ...account(acme),
      contacts: {
        /** Jane Doe, jane.doe@example.com (and jane@example.com), +15555555555: the example request's contact. */
        jane: person(acme, p.jane),
        /** 130 tickets, every fifth by phone: the newest 50 cases span two pages of 50 tickets. */
        heavy: {
          ...heavy,
          caseBeyondFirstPageId: heavyCases.find((id) => !heavy.ticketIds.slice(0, 50).includes(id))!,
        },
        /** One number each, in E.164, national, international, digits, and a dotted spelling the bridge misses. */
        spellings: p.spellings.map((spec) => person(acme, spec)),
        sameName: { name: p.sameName[0].name, contacts: p.sameName.map((spec) => person(acme, spec)) },
        uniqueName: person(acme, p.uniqueName),
        noTickets: person(acme, p.noTickets),
        /** Found by its primary email; its secondary one is not searchable. */
        secondaryEmail: { ...person(acme, p.secondaryEmail), secondary: p.secondaryEmail.otherEmails[0]! },
        /** An email with a quote, which the filter query language cannot carry. */
        apostrophe: person(acme, p.apostrophe),
        /** A deleted contact, with an email, a phone and a ticket: never a contact. */
        deleted: person(acme, p.deleted),
        /** Robin Hale, whose name the autocomplete answers among ten other Robins (cut): not found by name. */
        crowdedName: person(acme, p.crowdedName),
      },
    },
    globex: {
      ...account(globex),
      contacts: { jane: person(globex, GLOBEX_CONTACTS.jane) },
    },
    /** A domain no account has. */
    unknownDomain: 'initech',
  };
}

export const FRESHDESK_SANDBOX = buildFixture();
