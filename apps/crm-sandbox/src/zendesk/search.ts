import type { ZendeskIdentity, ZendeskUser } from './model.js';

/**
 * The subset of Zendesk's search syntax that the users search understands here. Like Zendesk's, it matches every
 * identity of a user, not only the primary `email` and `phone` (docs/contract.md, "Contact resolution"; User Identities
 * API):
 *
 * - `email:jane@example.com`: any of the user's emails, case-insensitive, whole address;
 * - `phone:*4045550127`: Zendesk's format-insensitive phone search ("Retrieving the Zendesk user id of a caller",
 *   https://developer.zendesk.com/documentation/voice/talk-partner-edition/retrieving-the-zendesk-user-id-of-a-caller/):
 *   digits only, no `+`, and the leading `*` matches any stored number whose digits end with these
 *   (`+1 404-555-0127`, `(404) 555-0127`, `404.555.0127` …);
 * - `phone:+15555555555` or `phone:"+1 (415) 555-0132"` (no leading `*`): a phone exactly as stored;
 * - `name:"Jane Doe"` (quoted): the whole name, case-insensitive; `name:jane` (one word): a word of the name;
 * - `role:end-user|agent|admin` (`agent` includes admins), `type:user`, `external_id:…`;
 * - a bare term or "quoted phrase": part of the name or of the email, case-insensitive.
 *
 * Terms are separated by spaces. Terms of different keywords (and bare terms) must all match; terms repeating one
 * property keyword match when any of them does ("You can search for multiple values of a single property by
 * including the property keyword multiple times in a query … Search uses OR logic for matching in this case",
 * Zendesk Support search reference, https://support.zendesk.com/hc/en-us/articles/4408886879258), so
 * `role:end-user phone:*4045550127 phone:*5135557611` is an end user with either number. `*` in a value is a
 * wildcard. An unknown `key:` matches nobody.
 * Syntax: "Search" (https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/) and the
 * "Zendesk Support search reference" help article it defers to; no page stating the `role:` semantics was found.
 */
/**
 * "There is a 64 word limit in a search query" (the same reference). What a word is, it does not say: the sandbox
 * counts the costly way, every run of letters and digits between punctuation (`email:jane.doe@example.com`: 5), and
 * refuses a longer query, so a connector that sends one fails its tests.
 */
export const MAX_QUERY_WORDS = 64;

export function queryWords(query: string): number {
  return query.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;
}

export interface SearchTerm {
  field: string | undefined;
  value: string;
  quoted: boolean;
}

const TERM = /\s*(?:([a-z_]+):)?(?:"([^"]*)"?|(\S+))/gy;

export function parseSearchQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  TERM.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TERM.lastIndex < query.length && (match = TERM.exec(query)) !== null) {
    const [, field, quotedValue, bareValue] = match;
    const quoted = quotedValue !== undefined;
    const value = (quoted ? quotedValue : bareValue) ?? '';
    if (value === '' && !field) continue;
    terms.push({ field: field?.toLowerCase(), value, quoted });
  }
  return terms;
}

/** Users matching every term; none for an empty query. `identitiesOf` gives a user's, primary ones included. */
export function searchUsers(
  users: readonly ZendeskUser[],
  query: string,
  identitiesOf: (userId: number) => readonly ZendeskIdentity[] = () => [],
): ZendeskUser[] {
  const terms = parseSearchQuery(query.trim());
  if (terms.length === 0) return [];
  const valuesOf = (user: ZendeskUser, type: ZendeskIdentity['type'], primary: string | null) => [
    ...(primary === null ? [] : [primary]),
    ...identitiesOf(user.id)
      .filter((identity) => identity.type === type)
      .map((identity) => identity.value),
  ];
  // Bare terms each stand alone (AND); the terms of one property keyword form one OR group.
  const groups = new Map<string, SearchTerm[]>();
  terms.forEach((term, index) => {
    const key = term.field === undefined ? `#${index}` : term.field;
    groups.set(key, [...(groups.get(key) ?? []), term]);
  });
  return users.filter((user) => {
    const emails = valuesOf(user, 'email', user.email);
    const phones = valuesOf(user, 'phone_number', user.phone);
    return [...groups.values()].every((group) => group.some((term) => matches(user, term, emails, phones)));
  });
}

function matches(user: ZendeskUser, term: SearchTerm, emails: string[], phones: string[]): boolean {
  const value = term.value;
  switch (term.field) {
    case 'email':
      return emails.some((email) => glob(value, 'i').test(email));
    case 'phone':
      return phones.some((phone) => phoneMatches(value, phone));
    case 'name':
      return term.quoted || /\s/.test(value)
        ? glob(value.trim().replace(/\s+/g, ' '), 'i').test(user.name)
        : glob(value, 'i').test(user.name) || user.name.split(/\s+/).some((word) => glob(value, 'i').test(word));
    case 'role':
      return value === user.role || (value === 'agent' && user.role === 'admin');
    case 'type':
      return value.toLowerCase() === 'user';
    case 'external_id':
      return user.external_id !== null && user.external_id === value;
    case undefined:
      return contains(user.name, value) || (user.email !== null && contains(user.email, value));
    default:
      return false;
  }
}

/**
 * `*{digits}`: the stored number's digits end with them, whatever its format; anything else: the stored string
 * exactly (with `*` wildcards).
 */
function phoneMatches(value: string, stored: string): boolean {
  const digits = /^\*(\d+)$/.exec(value)?.[1];
  if (digits !== undefined) return stored.replace(/\D/g, '').endsWith(digits);
  return glob(value, '').test(stored);
}

/** A whole-string matcher for a value where `*` stands for anything. */
function glob(value: string, flags: string): RegExp {
  const pattern = value
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, flags);
}

function contains(text: string, value: string): boolean {
  const needle = value.replace(/\*/g, '').toLowerCase();
  return needle !== '' && text.toLowerCase().includes(needle);
}
