import { MalformedQuery } from './query-lexer.js';
import { SCHEMA, RECORD_ID, fieldName, objectName, sameId, type FieldType, type SObject } from './schema.js';
import { parseSoql, type Condition, type Literal, type OrderItem } from './soql-parser.js';
import { parseSosl } from './sosl-parser.js';

/** A query's or search's refusal, as Salesforce words it: status 400 with `[{ message, errorCode }]`. */
export class QueryRefused extends MalformedQuery {}

/** What a query reads: the org's records by object, and the objects this org has switched off. */
export interface QueryData {
  records(object: string): SObject[];
  disabled(object: string): boolean;
  apiVersion: string;
}

/** Runs a SOQL query; every matching record, projected (the caller cuts batches). */
export function runSoql(data: QueryData, text: string): SObject[] {
  const query = parseSoql(text);
  const object = checkObject(data, query.object);
  const fields = query.fields.map((field) => checkField(object, field));
  checkCondition(data, object, query.where);
  checkOrder(object, query.orderBy);
  if (object === 'ContentDocumentLink') requireLinkFilter(query.where);
  const matching = data.records(object).filter((record) => matches(data, object, record, query.where));
  return sortRecords(object, matching, query.orderBy)
    .slice(0, query.limit ?? Infinity)
    .map((record) => present(data, object, record, fields));
}

/** Runs a SOSL search: `searchRecords`, object by object in RETURNING order. */
export function runSosl(data: QueryData, text: string): SObject[] {
  const search = parseSosl(text);
  const found: SObject[] = [];
  for (const clause of search.returning) {
    const object = checkObject(data, clause.object);
    const fields = clause.fields.map((field) => checkField(object, field));
    checkCondition(data, object, clause.where);
    checkOrder(object, clause.orderBy);
    const hits = data
      .records(object)
      .filter((record) => searchMatches(object, record, search.scope, search.terms, search.joiner))
      .filter((record) => matches(data, object, record, clause.where));
    // Relevance order is not documented: without ORDER BY the stand-in answers oldest record first.
    const ordered = clause.orderBy.length > 0 ? sortRecords(object, hits, clause.orderBy) : hits;
    found.push(...ordered.slice(0, clause.limit ?? Infinity).map((record) => present(data, object, record, fields)));
  }
  return found.slice(0, search.limit ?? 2000);
}

function checkObject(data: QueryData, name: string): string {
  const object = objectName(name);
  if (!object || data.disabled(object)) {
    throw new QueryRefused(`sObject type '${name}' is not supported.`, 'INVALID_TYPE');
  }
  return object;
}

function checkField(object: string, name: string): string {
  const field = fieldName(object, name);
  if (!field) throw new QueryRefused(`No such column '${name}' on entity '${object}'.`, 'INVALID_FIELD');
  return field;
}

function fieldType(object: string, field: string): FieldType {
  return SCHEMA[object]![field]!;
}

function checkFilterable(object: string, field: string): void {
  if (['textarea', 'base64'].includes(fieldType(object, field))) {
    throw new QueryRefused(`field '${field}' can not be filtered in a query call`, 'INVALID_FIELD');
  }
}

function checkValue(object: string, field: string, value: Literal): void {
  const type = fieldType(object, field);
  if (value === null) return;
  if (type === 'boolean' && typeof value !== 'boolean')
    throw new QueryRefused(
      `value of filter criterion for field '${field}' must be of type boolean and should not be enclosed in quotes`,
      'INVALID_FIELD',
    );
  if (type !== 'boolean' && typeof value === 'boolean')
    throw new QueryRefused(`value of filter criterion for field '${field}' must be of type ${type}`, 'INVALID_FIELD');
  if ((type === 'id' || type === 'reference') && (typeof value !== 'string' || !RECORD_ID.test(value))) {
    throw new QueryRefused(`invalid ID field: ${String(value)}`, 'INVALID_QUERY_FILTER_OPERATOR');
  }
}

function checkCondition(data: QueryData, object: string, condition: Condition | undefined): void {
  if (!condition) return;
  switch (condition.kind) {
    case 'and':
    case 'or':
      condition.terms.forEach((term) => checkCondition(data, object, term));
      return;
    case 'not':
      checkCondition(data, object, condition.term);
      return;
    case 'compare': {
      const field = checkField(object, condition.field);
      checkFilterable(object, field);
      if (condition.likeEscapes) throw new MalformedQuery('invalid escape sequence: \\_ and \\% only in LIKE');
      checkValue(object, field, condition.value);
      return;
    }
    case 'in': {
      const field = checkField(object, condition.field);
      checkFilterable(object, field);
      condition.values.forEach((value) => checkValue(object, field, value));
      return;
    }
    case 'like': {
      const field = checkField(object, condition.field);
      checkFilterable(object, field);
      return;
    }
    case 'semi-join': {
      const field = checkField(object, condition.field);
      if (!['id', 'reference'].includes(fieldType(object, field)))
        throw new MalformedQuery('a semi-join compares an id field');
      const inner = checkObject(data, condition.query.object);
      const selected = checkField(inner, condition.query.fields[0]!);
      if (!['id', 'reference'].includes(fieldType(inner, selected)))
        throw new MalformedQuery('a semi-join selects an id field');
      checkCondition(data, inner, condition.query.where);
      if (inner === 'ContentDocumentLink') requireLinkFilter(condition.query.where);
      return;
    }
  }
}

function checkOrder(object: string, order: OrderItem[]): void {
  for (const item of order) checkFilterable(object, checkField(object, item.field));
}

/**
 * ContentDocumentLink can only be queried with a filter on one of its ids ("ContentDocumentLink", Object Reference:
 * without the Query All Files permission, a filter on Id, LinkedEntityId or ContentDocumentId), by `=` or IN, at
 * the top level of the WHERE clause.
 */
function requireLinkFilter(where: Condition | undefined): void {
  const terms = !where ? [] : where.kind === 'and' ? where.terms : [where];
  const filtered = terms.some(
    (term) =>
      ((term.kind === 'compare' && term.op === '=') || (term.kind === 'in' && !term.negated)) &&
      ['id', 'linkedentityid', 'contentdocumentid'].includes(term.field.toLowerCase()),
  );
  if (!filtered) {
    throw new MalformedQuery(
      "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.",
    );
  }
}

function equals(object: string, field: string, actual: unknown, expected: Literal): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  const type = fieldType(object, field);
  if (type === 'id' || type === 'reference') return sameId(actual, expected);
  if (typeof actual === 'string' && typeof expected === 'string')
    return actual.toLowerCase() === expected.toLowerCase();
  return actual === expected;
}

function matches(data: QueryData, object: string, record: SObject, condition: Condition | undefined): boolean {
  if (!condition) return true;
  switch (condition.kind) {
    case 'and':
      return condition.terms.every((term) => matches(data, object, record, term));
    case 'or':
      return condition.terms.some((term) => matches(data, object, record, term));
    case 'not':
      return !matches(data, object, record, condition.term);
    case 'compare': {
      const field = fieldName(object, condition.field)!;
      const actual = record[field] ?? null;
      if (condition.op === '=') return equals(object, field, actual, condition.value);
      if (condition.op === '!=') return !equals(object, field, actual, condition.value); // null != 'x' is true in SOQL
      if (actual === null || condition.value === null) return false;
      const order = compareValues(actual, condition.value);
      return { '<': order < 0, '<=': order <= 0, '>': order > 0, '>=': order >= 0 }[condition.op];
    }
    case 'in': {
      const field = fieldName(object, condition.field)!;
      const found = condition.values.some((value) => equals(object, field, record[field] ?? null, value));
      return condition.negated ? !found : found;
    }
    case 'like': {
      const field = fieldName(object, condition.field)!;
      const actual = record[field];
      return typeof actual === 'string' && likePattern(condition.pattern).test(actual);
    }
    case 'semi-join': {
      const field = fieldName(object, condition.field)!;
      const inner = objectName(condition.query.object)!;
      const selected = fieldName(inner, condition.query.fields[0]!)!;
      const ids = data
        .records(inner)
        .filter((candidate) => matches(data, inner, candidate, condition.query.where))
        .map((candidate) => candidate[selected]);
      const found = ids.some((id) => sameId(id, record[field]));
      return condition.negated ? !found : found;
    }
  }
}

function likePattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += `\\${pattern[++i]}`;
    } else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a).toLowerCase();
  const right = String(b).toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

function sortRecords(object: string, records: SObject[], order: OrderItem[]): SObject[] {
  if (order.length === 0) return records;
  return [...records].sort((a, b) => {
    for (const item of order) {
      const field = fieldName(object, item.field)!;
      const left = a[field] ?? null;
      const right = b[field] ?? null;
      if (left === null && right === null) continue;
      if (left === null || right === null) return (left === null) === item.nullsLast ? 1 : -1;
      const result = compareValues(left, right);
      if (result !== 0) return item.descending ? -result : result;
    }
    return 0;
  });
}

/** Salesforce writes date-times as `2026-10-02T14:05:00.000+0000`. */
function formatValue(type: FieldType, value: unknown): unknown {
  if (type === 'datetime' && typeof value === 'string') return `${new Date(value).toISOString().slice(0, 23)}+0000`;
  return value ?? null;
}

function present(data: QueryData, object: string, record: SObject, fields: string[]): SObject {
  const shown: Record<string, unknown> = {
    attributes: { type: object, url: `/services/data/${data.apiVersion}/sobjects/${object}/${record.Id}` },
  };
  for (const field of fields) {
    // A base64 field is not inlined in query results: its value is the URL to read the blob from.
    shown[field] =
      fieldType(object, field) === 'base64'
        ? `/services/data/${data.apiVersion}/sobjects/${object}/${record.Id}/${field}`
        : formatValue(fieldType(object, field), record[field]);
  }
  return shown as SObject;
}

/** One record as GET /sobjects/{Object}/{id} returns it. */
export function presentRecord(data: QueryData, object: string, record: SObject, fieldList?: string): SObject {
  const fields = fieldList
    ? fieldList.split(',').map((name) => checkField(object, name.trim()))
    : Object.keys(SCHEMA[object]!);
  return present(data, object, record, fields);
}

/**
 * Whether a record matches a search's terms in its scope. PHONE FIELDS is format-insensitive: the digits of the
 * term against the digits of each phone field, a country code in front of either allowed (Salesforce's sample
 * search passes bare digits: "Example of phoneNumber format: 4155551212"). EMAIL, NAME and ALL match whole tokens,
 * case-insensitively.
 */
function searchMatches(object: string, record: SObject, scope: string, terms: string[], joiner: 'or' | 'and'): boolean {
  const fields = Object.entries(SCHEMA[object]!).filter(([field, type]) => {
    if (scope === 'PHONE') return type === 'phone';
    if (scope === 'EMAIL') return type === 'email';
    if (scope === 'NAME') return field === 'Name';
    return ['string', 'email', 'phone', 'textarea', 'picklist'].includes(type);
  });
  const termMatches = (term: string) =>
    fields.some(([field, type]) => {
      const value = record[field];
      if (typeof value !== 'string' || !value) return false;
      if (type === 'phone') return samePhone(value, term);
      const tokens = value.toLowerCase().split(/[^\p{L}\p{N}@._-]+/u);
      return value.toLowerCase() === term.toLowerCase() || tokens.includes(term.toLowerCase());
    });
  return joiner === 'or' ? terms.some(termMatches) : terms.every(termMatches);
}

function samePhone(stored: string, term: string): boolean {
  const a = stored.replace(/\D/g, '');
  const b = term.replace(/\D/g, '');
  if (b.length < 4 || a.length < 4) return false;
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  return long.endsWith(short) && long.length - short.length <= 3;
}
