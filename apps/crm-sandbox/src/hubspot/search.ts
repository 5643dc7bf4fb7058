import type { HubspotRecord } from './model.js';
import type { HubspotObjectType, PropertyKind } from './object-types.js';
import { compareIds } from './ids.js';

/**
 * The CRM search API (`POST /crm/v3/objects/{type}/search`): the body's validation against HubSpot's documented
 * limits, and the filter semantics. Filter groups are OR-ed, the filters within a group AND-ed.
 *
 * Comparisons, by the property's kind:
 * - strings and enumerations: `EQ`/`NEQ` without case (HubSpot lower-cases its search index); `IN`/`NOT_IN` against
 *   the lower-cased value, so, as HubSpot documents, `values` must be given in lowercase for string properties
 *   (an uppercase value matches nothing); no other normalisation (a phone matches only as spelled);
 * - numbers and datetimes (`createdate`, `hs_timestamp`, …) numerically; datetimes as epoch ms or ISO 8601;
 * - `HAS_PROPERTY`: a value that is not empty; `NOT_HAS_PROPERTY` the opposite; `NEQ`, `NOT_IN` and
 *   `NOT_CONTAINS_TOKEN` also match records without a value;
 * - `CONTAINS_TOKEN`: one whitespace-separated word equals the value, or, with `*` wildcards, the value or a word
 *   matches the pattern (`*@example.com`).
 *
 * - `associations.{type}` (`associations.contact`, singular): HubSpot's pseudo-property for "records associated with
 *   that record", `EQ` to the other record's id ("Search through associations" in the search guide). Any other
 *   operator, or a type HubSpot does not know, is a 400: the guide documents `EQ` only, so the sandbox accepts no more.
 *
 * Limits and operators: HubSpot's CRM "Search" guide (Limitations section),
 * https://developers.hubspot.com/docs/api/crm/search
 */

export const SEARCH_LIMITS = {
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
  defaultLimit: 10,
  maxLimit: 200,
  /** No page may start at or beyond this many results. */
  maxResults: 10_000,
  /** The request body, as JSON. */
  maxBodyChars: 3_000,
} as const;

export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;

export type Operator = (typeof OPERATORS)[number];

export interface SearchFilter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchRequest {
  /** OR of ANDs. Empty: every record. */
  filterGroups: SearchFilter[][];
  /** The properties asked for; undefined: the type's defaults. */
  properties?: string[];
  limit: number;
  offset: number;
  sort?: { propertyName: string; descending: boolean };
  query?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A filter value as HubSpot reads it: strings, numbers and booleans are all fine. */
function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function parseFilter(raw: unknown, where: string): Parsed<SearchFilter> {
  if (!isObject(raw)) return fail(`${where} must be an object.`);
  const { propertyName, operator } = raw;
  if (typeof propertyName !== 'string' || propertyName.trim() === '') return fail(`${where}.propertyName is required.`);
  if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
    return fail(`${where}.operator must be one of ${OPERATORS.join(', ')}; got ${JSON.stringify(operator ?? null)}.`);
  }
  const filter: SearchFilter = { propertyName, operator: operator as Operator };
  switch (filter.operator) {
    case 'HAS_PROPERTY':
    case 'NOT_HAS_PROPERTY':
      return { ok: true, value: filter };
    case 'IN':
    case 'NOT_IN': {
      const values = Array.isArray(raw.values) ? raw.values.map(scalar) : undefined;
      if (!values || values.length === 0 || values.some((value) => value === undefined)) {
        return fail(`${where}: operator ${operator} needs a non-empty "values" array of strings.`);
      }
      return { ok: true, value: { ...filter, values: values as string[] } };
    }
    case 'BETWEEN': {
      const value = scalar(raw.value);
      const highValue = scalar(raw.highValue);
      if (value === undefined || highValue === undefined)
        return fail(`${where}: operator BETWEEN needs "value" and "highValue".`);
      return { ok: true, value: { ...filter, value, highValue } };
    }
    default: {
      const value = scalar(raw.value);
      if (value === undefined) return fail(`${where}: operator ${operator} needs a "value".`);
      return { ok: true, value: { ...filter, value } };
    }
  }
}

function parseInteger(raw: unknown): number | undefined {
  const text = scalar(raw);
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

function parseSort(raw: unknown): Parsed<SearchRequest['sort']> {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (!Array.isArray(raw)) return fail('sorts must be an array.');
  const first: unknown = raw[0];
  if (first === undefined) return { ok: true, value: undefined };
  if (typeof first === 'string') {
    const descending = first.startsWith('-');
    return { ok: true, value: { propertyName: descending ? first.slice(1) : first, descending } };
  }
  if (!isObject(first) || typeof first.propertyName !== 'string') return fail('sorts[0].propertyName is required.');
  const direction = first.direction ?? 'ASCENDING';
  if (direction !== 'ASCENDING' && direction !== 'DESCENDING')
    return fail('sorts[0].direction must be ASCENDING or DESCENDING.');
  return { ok: true, value: { propertyName: first.propertyName, descending: direction === 'DESCENDING' } };
}

/** Checks a search body against HubSpot's shape and limits. */
export function parseSearchRequest(body: unknown): Parsed<SearchRequest> {
  if (!isObject(body)) return fail('Invalid input JSON: the body must be a JSON object.');
  const size = JSON.stringify(body).length;
  if (size > SEARCH_LIMITS.maxBodyChars) {
    return fail(`The search request is ${size} characters long; at most ${SEARCH_LIMITS.maxBodyChars} are allowed.`);
  }

  const rawGroups = body.filterGroups ?? [];
  if (!Array.isArray(rawGroups)) return fail('filterGroups must be an array.');
  if (rawGroups.length > SEARCH_LIMITS.maxFilterGroups) {
    return fail(`Too many filter groups: ${rawGroups.length}. At most ${SEARCH_LIMITS.maxFilterGroups} are allowed.`);
  }
  const filterGroups: SearchFilter[][] = [];
  let filterCount = 0;
  for (const [g, rawGroup] of rawGroups.entries()) {
    const rawFilters = isObject(rawGroup) ? (rawGroup.filters ?? []) : undefined;
    if (!Array.isArray(rawFilters)) return fail(`filterGroups[${g}].filters must be an array.`);
    if (rawFilters.length > SEARCH_LIMITS.maxFiltersPerGroup) {
      return fail(
        `Too many filters in filterGroups[${g}]: ${rawFilters.length}. At most ${SEARCH_LIMITS.maxFiltersPerGroup} are allowed per group.`,
      );
    }
    filterCount += rawFilters.length;
    const group: SearchFilter[] = [];
    for (const [f, rawFilter] of rawFilters.entries()) {
      const filter = parseFilter(rawFilter, `filterGroups[${g}].filters[${f}]`);
      if (!filter.ok) return filter;
      group.push(filter.value);
    }
    filterGroups.push(group);
  }
  if (filterCount > SEARCH_LIMITS.maxFilters) {
    return fail(
      `Too many filters: ${filterCount}. At most ${SEARCH_LIMITS.maxFilters} are allowed across all filter groups.`,
    );
  }

  let properties: string[] | undefined;
  if (body.properties !== undefined && body.properties !== null) {
    if (!Array.isArray(body.properties) || body.properties.some((name) => typeof name !== 'string')) {
      return fail('properties must be an array of strings.');
    }
    properties = body.properties as string[];
  }

  const limit = body.limit === undefined || body.limit === null ? SEARCH_LIMITS.defaultLimit : parseInteger(body.limit);
  if (limit === undefined || limit < 1 || limit > SEARCH_LIMITS.maxLimit) {
    return fail(`limit must be an integer from 1 to ${SEARCH_LIMITS.maxLimit}; got ${JSON.stringify(body.limit)}.`);
  }
  const offset = body.after === undefined || body.after === null || body.after === '' ? 0 : parseInteger(body.after);
  if (offset === undefined)
    return fail(`after must be a paging cursor from an earlier answer; got ${JSON.stringify(body.after)}.`);
  if (offset >= SEARCH_LIMITS.maxResults) {
    return fail(
      `Search results are limited to ${SEARCH_LIMITS.maxResults}; cannot page beyond them (after=${offset}).`,
    );
  }

  const sort = parseSort(body.sorts);
  if (!sort.ok) return sort;
  if (body.query !== undefined && body.query !== null && typeof body.query !== 'string')
    return fail('query must be a string.');
  const query = typeof body.query === 'string' && body.query.trim() !== '' ? body.query : undefined;

  return { ok: true, value: { filterGroups, properties, limit, offset, sort: sort.value, query } };
}

const ASSOCIATIONS_PREFIX = 'associations.';

/**
 * The `associations.{type}` filters' other type, checked: a 400 message for a type that is not one, or for an
 * operator other than `EQ`. `resolve` names a type by its singular (`contact`).
 */
export function checkAssociationFilters(
  request: SearchRequest,
  resolve: (singular: string) => HubspotObjectType | undefined,
): string | undefined {
  for (const filter of request.filterGroups.flat()) {
    if (!filter.propertyName.startsWith(ASSOCIATIONS_PREFIX)) continue;
    const other = filter.propertyName.slice(ASSOCIATIONS_PREFIX.length);
    const type = resolve(other);
    if (!type || type.singular !== other) {
      return `${filter.propertyName} is not a valid association filter: use associations.{objectType}, with the object type's singular name (associations.contact).`;
    }
    if (filter.operator !== 'EQ') {
      return `${filter.propertyName} only supports the EQ operator with the associated record's id; got ${filter.operator}.`;
    }
  }
  return undefined;
}

/** Is `record` associated with the record of type `other` (singular name) and id `id`? */
export type AssociatedWith = (record: HubspotRecord, other: string, id: string) => boolean;

/** Every matching record, sorted (the `sorts` rule, else ascending id = oldest first). */
export function searchRecords(
  records: HubspotRecord[],
  type: HubspotObjectType,
  request: SearchRequest,
  associatedWith: AssociatedWith = () => false,
): HubspotRecord[] {
  const matching = records.filter(
    (record) =>
      (request.filterGroups.length === 0 ||
        request.filterGroups.some((group) =>
          group.every((filter) =>
            filter.propertyName.startsWith(ASSOCIATIONS_PREFIX)
              ? associatedWith(record, filter.propertyName.slice(ASSOCIATIONS_PREFIX.length), filter.value ?? '')
              : matches(record, filter, type),
          ),
        )) &&
      (request.query === undefined || matchesQuery(record, type, request.query)),
  );
  const sort = request.sort;
  if (!sort) return matching.sort((a, b) => compareIds(a.id, b.id));
  const kind = type.properties[sort.propertyName] ?? 'string';
  return matching.sort((a, b) => {
    const left = a.properties[sort.propertyName];
    const right = b.properties[sort.propertyName];
    if (left === undefined || right === undefined) {
      // Records without a value go last either way.
      return (left === undefined ? 1 : 0) - (right === undefined ? 1 : 0) || compareIds(a.id, b.id);
    }
    const order = compareValues(kind, left, right);
    return (sort.descending ? -order : order) || compareIds(a.id, b.id);
  });
}

export function matches(record: HubspotRecord, filter: SearchFilter, type: HubspotObjectType): boolean {
  const kind: PropertyKind = type.properties[filter.propertyName] ?? 'string';
  const stored = record.properties[filter.propertyName];
  const has = stored !== undefined && stored !== '';
  const value = filter.value ?? '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && equal(kind, stored, value);
    case 'NEQ':
      return !(has && equal(kind, stored, value));
    case 'IN':
      return has && (filter.values ?? []).some((candidate) => inList(kind, stored, candidate));
    case 'NOT_IN':
      return !(has && (filter.values ?? []).some((candidate) => inList(kind, stored, candidate)));
    case 'LT':
      return has && comparable(kind, stored, value) && compareValues(kind, stored, value) < 0;
    case 'LTE':
      return has && comparable(kind, stored, value) && compareValues(kind, stored, value) <= 0;
    case 'GT':
      return has && comparable(kind, stored, value) && compareValues(kind, stored, value) > 0;
    case 'GTE':
      return has && comparable(kind, stored, value) && compareValues(kind, stored, value) >= 0;
    case 'BETWEEN': {
      const high = filter.highValue ?? '';
      return (
        has &&
        comparable(kind, stored, value) &&
        comparable(kind, stored, high) &&
        compareValues(kind, stored, value) >= 0 &&
        compareValues(kind, stored, high) <= 0
      );
    }
    case 'CONTAINS_TOKEN':
      return has && containsToken(stored, value);
    case 'NOT_CONTAINS_TOKEN':
      return !(has && containsToken(stored, value));
  }
}

/** A datetime as epoch ms (`1735689600000` or ISO 8601), a number as itself; NaN when it is neither. */
function numeric(kind: PropertyKind, text: string): number {
  const trimmed = text.trim();
  if (kind === 'datetime' && !/^-?\d+(\.\d+)?$/.test(trimmed)) return Date.parse(trimmed);
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

const isNumeric = (kind: PropertyKind) => kind === 'number' || kind === 'datetime';

function comparable(kind: PropertyKind, a: string, b: string): boolean {
  return !isNumeric(kind) || (!Number.isNaN(numeric(kind, a)) && !Number.isNaN(numeric(kind, b)));
}

function compareValues(kind: PropertyKind, a: string, b: string): number {
  if (isNumeric(kind)) return Math.sign(numeric(kind, a) - numeric(kind, b)) || 0;
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

function equal(kind: PropertyKind, stored: string, value: string): boolean {
  if (isNumeric(kind)) return comparable(kind, stored, value) && numeric(kind, stored) === numeric(kind, value);
  return stored.toLowerCase() === value.toLowerCase();
}

/** `IN`: HubSpot matches string values against its lower-cased index, so the candidates must be lowercase. */
function inList(kind: PropertyKind, stored: string, candidate: string): boolean {
  if (kind === 'string') return stored.toLowerCase() === candidate;
  return equal(kind, stored, candidate);
}

function containsToken(stored: string, token: string): boolean {
  const value = stored.toLowerCase();
  const wanted = token.trim().toLowerCase();
  const words = value.split(/\s+/).filter(Boolean);
  if (wanted.includes('*')) {
    const pattern = new RegExp(`^${wanted.split('*').map(escapeRegExp).join('.*')}$`, 's');
    return pattern.test(value) || words.some((word) => pattern.test(word));
  }
  return value === wanted || words.includes(wanted);
}

/** The free-text `query`: every word of it starts a word (or a whole value) of the type's searchable properties. */
function matchesQuery(record: HubspotRecord, type: HubspotObjectType, query: string): boolean {
  const values = type.queryProperties
    .map((name) => record.properties[name]?.toLowerCase())
    .filter((value): value is string => !!value);
  const words = values.flatMap((value) => [value, ...value.split(/[^\p{L}\p{N}]+/u).filter(Boolean)]);
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => words.some((word) => word.startsWith(term)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
