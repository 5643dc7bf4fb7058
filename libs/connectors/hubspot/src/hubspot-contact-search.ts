import { textField, type Contact, type PhoneNumber, type UpstreamRecord } from '#interactions';
import type { HubspotFilterGroup, HubspotSearchFilter } from './hubspot-api.js';
import { hubspotProperty } from './hubspot-record.js';

/**
 * HubSpot's limits on one search request: at most 5 filter groups of at most 6 filters, 18 filters in all, and a
 * body of at most 3,000 characters. The properties list and the limit take the rest of the body.
 */
export const HUBSPOT_SEARCH_LIMITS = {
  maxGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
  maxFilterGroupsChars: 2_400,
} as const;

/** An email or phone longer than this is not one (RFC 5321 caps addresses at 254). */
const MAX_VALUE_LENGTH = 254;

/**
 * Filter groups that match a contact holding any of `values` in any of `properties`: one `IN` filter per property
 * (OR-ed groups), its values split when a group would outgrow a request. HubSpot wants `IN` values in lowercase.
 */
export function anyValueGroups(properties: string[], values: string[]): HubspotFilterGroup[] {
  const wanted = [...new Set(values.map((value) => value.trim().toLowerCase()))].filter(
    (value) => value !== '' && value.length <= MAX_VALUE_LENGTH,
  );
  const groups: HubspotFilterGroup[] = [];
  for (const propertyName of properties) {
    let chunk: string[] = [];
    for (const value of wanted) {
      if (
        chunk.length > 0 &&
        size(inGroup(propertyName, [...chunk, value])) > HUBSPOT_SEARCH_LIMITS.maxFilterGroupsChars
      ) {
        groups.push(inGroup(propertyName, chunk));
        chunk = [];
      }
      chunk.push(value);
    }
    if (chunk.length > 0) groups.push(inGroup(propertyName, chunk));
  }
  return groups;
}

/**
 * Filter groups for contacts holding any of these emails: as `email`, or among `hs_additional_emails` (HubSpot's
 * semicolon-separated list of a contact's other addresses), one `CONTAINS_TOKEN` group per address since that
 * operator takes one value. The wildcards let the token sit anywhere in the list; the core keeps exact matches only.
 */
export function emailGroups(emails: string[]): HubspotFilterGroup[] {
  const wanted = [...new Set(emails.map((email) => email.trim().toLowerCase()))].filter(
    (email) => email !== '' && email.length <= MAX_VALUE_LENGTH,
  );
  return [
    ...anyValueGroups(['email'], wanted),
    ...wanted.map((email) => ({
      filters: [{ propertyName: 'hs_additional_emails', operator: 'CONTAINS_TOKEN' as const, value: `*${email}*` }],
    })),
  ];
}

/**
 * Filter groups for contacts holding any of these numbers as `phone` or `mobilephone`, however typed: HubSpot keeps
 * digits-only copies of both without country code or formatting (`hs_searchable_calculated_phone_number`,
 * `hs_searchable_calculated_mobile_number`), so `+1 415-555-0132`, `(415) 555-0132` and `415.555.0132` are all
 * `4155550132` there. The E.164 form is also looked for as typed (numbers stored with validation on are E.164).
 * Four groups, one request, however many numbers (up to the body's size). The core keeps the same numbers only.
 */
export function phoneGroups(numbers: PhoneNumber[]): HubspotFilterGroup[] {
  const digits = numbers.map((number) => number.nationalDigits);
  const e164 = numbers.map((number) => number.e164);
  return [
    ...anyValueGroups(['hs_searchable_calculated_phone_number', 'hs_searchable_calculated_mobile_number'], digits),
    ...anyValueGroups(['phone', 'mobilephone'], e164),
  ];
}

/**
 * Filter groups for a full name. HubSpot keeps first and last names apart and no single split of "Mary Ann Smith"
 * or "Ana de la Cruz" is right for everyone, so every split is tried, one group each (`firstname` EQ and
 * `lastname` EQ, which HubSpot compares without case). One word may be either name alone. The core then keeps the
 * answer only when exactly one contact has exactly that name.
 */
export function nameGroups(name: string): HubspotFilterGroup[] {
  const words = name.normalize('NFKC').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  if (words.length === 1) {
    const [word] = words as [string];
    return [
      { filters: [eq('firstname', word), { propertyName: 'lastname', operator: 'NOT_HAS_PROPERTY' }] },
      { filters: [eq('lastname', word), { propertyName: 'firstname', operator: 'NOT_HAS_PROPERTY' }] },
    ];
  }
  const groups: HubspotFilterGroup[] = [];
  for (let split = 1; split < words.length && groups.length < HUBSPOT_SEARCH_LIMITS.maxGroups; split++) {
    groups.push({
      filters: [eq('firstname', words.slice(0, split).join(' ')), eq('lastname', words.slice(split).join(' '))],
    });
  }
  return groups;
}

/** Packs filter groups into as few search requests as HubSpot's limits allow, in order. */
export function packSearchRequests(groups: HubspotFilterGroup[]): HubspotFilterGroup[][] {
  const requests: HubspotFilterGroup[][] = [];
  let current: HubspotFilterGroup[] = [];
  let filters = 0;
  let chars = 0;
  for (const group of groups.map(withinGroupLimit)) {
    const groupChars = size(group);
    const fits =
      current.length < HUBSPOT_SEARCH_LIMITS.maxGroups &&
      filters + group.filters.length <= HUBSPOT_SEARCH_LIMITS.maxFilters &&
      chars + groupChars <= HUBSPOT_SEARCH_LIMITS.maxFilterGroupsChars;
    if (!fits && current.length > 0) {
      requests.push(current);
      current = [];
      filters = 0;
      chars = 0;
    }
    current.push(group);
    filters += group.filters.length;
    chars += groupChars;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** A HubSpot contact record as the core's Contact: "first last", every email (`hs_additional_emails` too), its phone and mobile phone. */
export function hubspotContact(record: UpstreamRecord): Contact | undefined {
  const id = textField(record, 'id');
  if (!id) return undefined;
  const property = (key: string) => hubspotProperty(record, key)?.trim();
  const name = [property('firstname'), property('lastname')].filter(Boolean).join(' ');
  const additional = (property('hs_additional_emails') ?? '').split(';').map((email) => email.trim());
  const emails = [property('email'), ...additional].filter((email): email is string => Boolean(email));
  return {
    id,
    name: name || undefined,
    emails: [...new Set(emails)],
    phones: [property('phone'), property('mobilephone')].filter((phone): phone is string => phone !== undefined),
  };
}

function inGroup(propertyName: string, values: string[]): HubspotFilterGroup {
  return { filters: [{ propertyName, operator: 'IN', values }] };
}

function eq(propertyName: string, value: string): HubspotSearchFilter {
  return { propertyName, operator: 'EQ', value };
}

function withinGroupLimit(group: HubspotFilterGroup): HubspotFilterGroup {
  return { filters: group.filters.slice(0, HUBSPOT_SEARCH_LIMITS.maxFiltersPerGroup) };
}

function size(value: unknown): number {
  return JSON.stringify(value).length;
}
