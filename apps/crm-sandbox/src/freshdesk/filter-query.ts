import type { FreshdeskContactRecord } from './model.js';

/**
 * Freshdesk's filter query language, the subset for contacts the sandbox serves ("Filter Contacts",
 * https://developers.freshdesk.com/api/#filter_contacts): the whole query enclosed in double quotes and at most 512
 * characters; `field:value` terms joined by `AND` / `OR`, with parentheses; strings in single quotes, numbers and
 * booleans bare, `null` for an empty field. Fields: `email`, `phone`, `mobile`, `twitter_id` (strings), `active`
 * (boolean), `company_id` (number). String values match the stored value exactly (the reference promises no format
 * or case folding, so the sandbox does none), and `email` matches the primary address only (the reference does not
 * say that it searches `other_emails`). Anything else is refused, as Freshdesk refuses a query it cannot read.
 */
export const MAX_FILTER_QUERY_LENGTH = 512;

export class FilterQueryError extends Error {}

type Value = string | number | boolean | null;
export type Condition =
  { kind: 'term'; field: ContactField; value: Value } | { kind: 'and' | 'or'; left: Condition; right: Condition };

const STRING_FIELDS = ['email', 'phone', 'mobile', 'twitter_id'] as const;
type ContactField = (typeof STRING_FIELDS)[number] | 'active' | 'company_id';

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: '(' | ')' | ':' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    if (char === ' ') {
      at++;
    } else if (char === '(' || char === ')' || char === ':') {
      tokens.push({ kind: char });
      at++;
    } else if (char === "'") {
      const end = text.indexOf("'", at + 1);
      if (end < 0) throw new FilterQueryError('a string value is not closed');
      tokens.push({ kind: 'string', text: text.slice(at + 1, end) });
      at = end + 1;
    } else {
      const word = /^[A-Za-z0-9_.\-+]+/.exec(text.slice(at));
      if (!word) throw new FilterQueryError(`unexpected character at ${at}`);
      tokens.push({ kind: 'word', text: word[0] });
      at += word[0].length;
    }
  }
  return tokens;
}

/** Parses `"…"` (the enclosing double quotes included) into a condition; throws FilterQueryError. */
export function parseFilterQuery(query: string): Condition {
  if (query.length > MAX_FILTER_QUERY_LENGTH) {
    throw new FilterQueryError(`the query is longer than ${MAX_FILTER_QUERY_LENGTH} characters`);
  }
  if (query.length < 2 || !query.startsWith('"') || !query.endsWith('"')) {
    throw new FilterQueryError('the query must be enclosed in double quotes');
  }
  const inner = query.slice(1, -1);
  if (inner.includes('"')) throw new FilterQueryError('unexpected double quote');
  const tokens = tokenize(inner);
  let position = 0;
  const peek = () => tokens[position];
  const take = () => tokens[position++];

  const keyword = (name: 'AND' | 'OR') => {
    const token = peek();
    return token?.kind === 'word' && token.text === name;
  };

  function expression(): Condition {
    let left = conjunction();
    while (keyword('OR')) {
      take();
      left = { kind: 'or', left, right: conjunction() };
    }
    return left;
  }

  function conjunction(): Condition {
    let left = primary();
    while (keyword('AND')) {
      take();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  }

  function primary(): Condition {
    const token = take();
    if (!token) throw new FilterQueryError('the query ends too early');
    if (token.kind === '(') {
      const inside = expression();
      if (take()?.kind !== ')') throw new FilterQueryError('a parenthesis is not closed');
      return inside;
    }
    if (token.kind !== 'word') throw new FilterQueryError('a term must start with a field name');
    const field = token.text;
    if (take()?.kind !== ':') throw new FilterQueryError(`${field} must be followed by ":"`);
    const value = take();
    if (!value) throw new FilterQueryError(`${field} has no value`);
    return { kind: 'term', ...typed(field, value) };
  }

  const condition = expression();
  if (position !== tokens.length) throw new FilterQueryError('unexpected text after the query');
  return condition;
}

function typed(field: string, token: Token): { field: ContactField; value: Value } {
  if (token.kind === 'word' && token.text === 'null') return { field: knownField(field), value: null };
  if ((STRING_FIELDS as readonly string[]).includes(field)) {
    if (token.kind !== 'string') throw new FilterQueryError(`${field} takes a string in single quotes`);
    return { field: field as ContactField, value: token.text };
  }
  if (field === 'active') {
    if (token.kind !== 'word' || !['true', 'false'].includes(token.text)) {
      throw new FilterQueryError('active takes true or false');
    }
    return { field, value: token.text === 'true' };
  }
  if (field === 'company_id') {
    if (token.kind !== 'word' || !/^\d+$/.test(token.text)) throw new FilterQueryError('company_id takes a number');
    return { field, value: Number(token.text) };
  }
  throw new FilterQueryError(`${field} is not a field the filter can use`);
}

function knownField(field: string): ContactField {
  if ((STRING_FIELDS as readonly string[]).includes(field) || field === 'active' || field === 'company_id') {
    return field as ContactField;
  }
  throw new FilterQueryError(`${field} is not a field the filter can use`);
}

export function matches(condition: Condition, contact: FreshdeskContactRecord): boolean {
  if (condition.kind === 'and') return matches(condition.left, contact) && matches(condition.right, contact);
  if (condition.kind === 'or') return matches(condition.left, contact) || matches(condition.right, contact);
  if (condition.kind !== 'term') return false;
  const stored = contact[condition.field] ?? null;
  return stored === condition.value;
}
