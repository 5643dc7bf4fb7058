import type { ZendeskUser } from './model.js';

/**
 * The subset of Zendesk's search syntax that the users search understands here:
 *
 * - `email:jane@example.com`: the user's email, case-insensitive, whole address;
 * - `phone:+15555555555` or `phone:"+1 (415) 555-0132"`: the phone exactly as stored (no normalisation:
 *   callers try the spellings they know);
 * - `name:"Jane Doe"` (quoted): the whole name, case-insensitive; `name:jane` (one word): a word of the name;
 * - `role:end-user|agent|admin` (`agent` includes admins), `type:user`, `external_id:…`;
 * - a bare term or "quoted phrase": part of the name or of the email, case-insensitive.
 *
 * Terms are separated by spaces and must all match. `*` in a value is a wildcard. An unknown `key:` matches nobody.
 */
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

/** Users matching every term; none for an empty query. */
export function searchUsers(users: readonly ZendeskUser[], query: string): ZendeskUser[] {
  const terms = parseSearchQuery(query.trim());
  if (terms.length === 0) return [];
  return users.filter((user) => terms.every((term) => matches(user, term)));
}

function matches(user: ZendeskUser, term: SearchTerm): boolean {
  const value = term.value;
  switch (term.field) {
    case 'email':
      return user.email !== null && glob(value, 'i').test(user.email);
    case 'phone':
      return user.phone !== null && glob(value, '').test(user.phone);
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
