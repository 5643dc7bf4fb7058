import type { CrmConnector } from './connector.js';
import type { Contact, ContactQuery } from './interaction.js';
import { phoneSpellings, toE164 } from './phone-numbers.js';

/**
 * Finds the request's contact, in product.md's order, stopping at the first identifier that finds someone:
 * external id, then emails (exact), then phones (the same number, however spelled), then the name, but only when
 * exactly one contact has exactly that name: a wrong match would show an agent another customer's history.
 * Several matches by email or phone are all kept, up to `maxContacts`.
 */
export async function resolveContacts<S>(
  connector: CrmConnector<S>,
  session: S,
  query: ContactQuery,
  maxContacts: number,
): Promise<Contact[]> {
  if (query.externalId) {
    const contact = await connector.findContactById(session, query.externalId);
    if (contact) return [contact];
  }

  if (query.emails.length > 0) {
    const wanted = new Set(query.emails.map(normaliseEmail));
    const found = await connector.findContactsByEmail(session, [...wanted]);
    const matches = found.filter((contact) => contact.emails.some((email) => wanted.has(normaliseEmail(email))));
    if (matches.length > 0) return firstDistinct(matches, maxContacts);
  }

  if (query.phones.length > 0) {
    const wanted = new Set(query.phones.map((phone) => toE164(phone) ?? phone.trim()));
    const spellings = [...new Set(query.phones.flatMap((phone) => phoneSpellings(phone)))];
    const found = await connector.findContactsByPhone(session, spellings);
    const matches = found.filter((contact) => contact.phones.some((phone) => wanted.has(toE164(phone) ?? phone.trim())));
    if (matches.length > 0) return firstDistinct(matches, maxContacts);
  }

  if (query.name) {
    const wanted = normaliseName(query.name);
    const found = await connector.findContactsByName(session, query.name);
    const exact = distinct(found.filter((contact) => contact.name !== undefined && normaliseName(contact.name) === wanted));
    if (exact.length === 1) return exact;
  }

  return [];
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function distinct(contacts: Contact[]): Contact[] {
  const seen = new Set<string>();
  return contacts.filter((contact) => !seen.has(contact.id) && seen.add(contact.id));
}

function firstDistinct(contacts: Contact[], max: number): Contact[] {
  return distinct(contacts).slice(0, max);
}
