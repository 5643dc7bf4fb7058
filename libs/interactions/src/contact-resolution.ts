import type { CrmConnector } from './connector.js';
import type { Contact, ContactQuery } from './interaction.js';
import { parsePhone, toE164, type PhoneNumber } from './phone-numbers.js';
import { filterInSlices } from './time-slices.js';

/**
 * Finds the request's contact, in the contract's order (docs/contract.md, "Contact resolution"), stopping at the first
 * identifier that finds someone: external id, then emails (exact), then phones (the same number, however stored), then
 * the name, but only when exactly one contact has exactly that name: a wrong match would show an agent another
 * customer's history. Several matches by email or phone are all kept, up to `maxContacts`.
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

  const numbers = distinctNumbers(query.phones);
  if (numbers.length > 0) {
    const wanted = new Set(numbers.map((number) => number.e164));
    const found = await connector.findContactsByPhone(session, numbers);
    // Every number the CRM holds for them is parsed (tens of microseconds each): in slices, as there may be many.
    const matches = await filterInSlices(found, (contact) =>
      contact.phones.some((phone) => wanted.has(toE164(phone) ?? '')),
    );
    if (matches.length > 0) return firstDistinct(matches, maxContacts);
  }

  if (query.name) {
    const wanted = normaliseName(query.name);
    const found = await connector.findContactsByName(session, query.name);
    const exact = distinct(
      found.filter((contact) => contact.name !== undefined && normaliseName(contact.name) === wanted),
    );
    if (exact.length === 1) return exact;
  }

  return [];
}

/**
 * The query cut to at most `maxLookups` identifiers, taken in resolution order (external id, emails, phones, name),
 * so that however many a request carries, its lookups stay bounded (docs/contract.md, "The CRM's API budget").
 * `dropped` counts the identifiers left out. Duplicates and phones that are not numbers cost nothing.
 */
export function boundLookups(query: ContactQuery, maxLookups: number): { query: ContactQuery; dropped: number } {
  const askedEmails = distinctEmails(query.emails);
  const others = (query.externalId ? 1 : 0) + askedEmails.length + (query.name ? 1 : 0);
  // Within the bound even if every phone were a distinct number: nothing to cut, so the phones are left as asked and
  // parsed only if the lookup gets to them (resolveContacts). Most pops are found by id or email first, and
  // libphonenumber was a few per cent of the bridge's CPU per pop (measured with `npm run bench`).
  if (others + query.phones.length <= maxLookups) {
    return {
      query: { externalId: query.externalId, emails: askedEmails, phones: query.phones, name: query.name },
      dropped: 0,
    };
  }
  let left = maxLookups;
  const take = <T>(values: T[]): T[] => {
    const taken = values.slice(0, Math.max(0, left));
    left -= taken.length;
    return taken;
  };
  const askedPhones = e164Numbers(query.phones);
  const externalId = query.externalId ? take([query.externalId])[0] : undefined;
  const emails = take(askedEmails);
  const phones = take(askedPhones);
  const name = query.name ? take([query.name])[0] : undefined;
  const asked = others + askedPhones.length;
  const kept = (externalId ? 1 : 0) + emails.length + phones.length + (name ? 1 : 0);
  return { query: { externalId, emails, phones, name }, dropped: asked - kept };
}

/**
 * The query as a cache or coalescing key sees it: emails normalised and phones as E.164 numbers, each once, so that
 * `(415) 555-0100` and `+14155550100` share an entry. Parses phones; called only when something is cached.
 */
export function canonicalQuery(query: ContactQuery): ContactQuery {
  return {
    externalId: query.externalId,
    emails: distinctEmails(query.emails),
    phones: e164Numbers(query.phones),
    name: query.name,
  };
}

/** The asked emails normalised, each once. */
function distinctEmails(emails: string[]): string[] {
  return [...new Set(emails.map(normaliseEmail))];
}

/** The asked phones that are numbers, in E.164, each number once. */
function e164Numbers(phones: string[]): string[] {
  return distinctNumbers(phones).map((number) => number.e164);
}

/** The asked phones that are numbers, parsed, each number once. */
function distinctNumbers(phones: string[]): PhoneNumber[] {
  const byE164 = new Map<string, PhoneNumber>();
  for (const phone of phones) {
    const number = parsePhone(phone);
    if (number && !byE164.has(number.e164)) byE164.set(number.e164, number);
  }
  return [...byE164.values()];
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
