import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { PhoneNumber } from '#interactions';

/**
 * Every query text the connector sends to Freshdesk's Filter Contacts ("Filter Contacts",
 * https://developers.freshdesk.com/api/#filter_contacts): `field:'string value'` terms joined by `OR`, the whole
 * enclosed in double quotes, at most 512 characters. The reference documents no way to escape a quote inside a
 * value, so a value holding `'`, `"` or `\` (or a control character) is never put in a query: the caller looks it up
 * otherwise (an email through List All Contacts' exact `email` filter) or not at all.
 */
export const MAX_QUERY_LENGTH = 512;

/** Characters a quoted value of the query language cannot hold, for want of a documented escape. */
// eslint-disable-next-line no-control-regex -- control characters are among what is refused
const UNQUOTABLE = /['"\\\u0000-\u001f\u007f]/;

export function isQuotable(value: string): boolean {
  return !UNQUOTABLE.test(value);
}

/** `email:'jane@example.com'`, or undefined for a value the query language cannot carry. */
export function term(field: 'email' | 'phone' | 'mobile', value: string): string | undefined {
  return value !== '' && isQuotable(value) ? `${field}:'${value}'` : undefined;
}

/**
 * The terms, OR-ed into as few queries as the 512-character limit allows (the enclosing double quotes counted), in
 * order, none lost; a term too long for a query of its own is left out.
 */
export function anyOf(terms: string[]): string[] {
  const queries: string[] = [];
  let current: string[] = [];
  const length = (parts: string[]) => parts.join(' OR ').length + 2;
  for (const next of new Set(terms)) {
    if (length([next]) > MAX_QUERY_LENGTH) continue;
    if (current.length > 0 && length([...current, next]) > MAX_QUERY_LENGTH) {
      queries.push(`"${current.join(' OR ')}"`);
      current = [];
    }
    current.push(next);
  }
  if (current.length > 0) queries.push(`"${current.join(' OR ')}"`);
  return queries;
}

/**
 * The terms for these emails: each as given and in lower case. Freshdesk's `email` filter matches the stored address
 * exactly and its reference says nothing of case, so both spellings are asked, in the same query.
 */
export function emailTerms(emails: string[]): string[] {
  return emails.flatMap((email) =>
    [email, email.toLowerCase()].map((value) => term('email', value)).filter((t): t is string => t !== undefined),
  );
}

/**
 * The spellings of one number that the bridge looks for. Freshdesk matches `phone` and `mobile` exactly as stored
 * and documents no format-insensitive search, so the bridge asks, in one query, for the number as the standard
 * formats write it (ITU-T E.164 and E.123, as libphonenumber formats them): E.164 (`+14045550127`), international
 * (`+1 404 555 0127`), national (`(404) 555-0127`) and the national digits alone (`4045550127`). Four spellings per
 * number, never a list of guesses: a number stored otherwise (`404.555.0127`) is not found by phone.
 */
export function phoneSpellings(number: PhoneNumber): string[] {
  const parsed = parsePhoneNumberFromString(number.e164);
  const formats = parsed ? [parsed.formatInternational(), parsed.formatNational()] : [];
  return [...new Set([number.e164, ...formats, number.nationalDigits])];
}

/** The terms for these numbers: each spelling in `phone` and in `mobile`, a number's terms together. */
export function phoneTerms(numbers: PhoneNumber[]): string[] {
  return numbers.flatMap((number) =>
    phoneSpellings(number).flatMap((spelling) =>
      (['phone', 'mobile'] as const).map((field) => term(field, spelling)).filter((t): t is string => t !== undefined),
    ),
  );
}
