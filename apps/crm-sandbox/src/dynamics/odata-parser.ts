import { ODataQueryError, TokenStream, tokenize } from './odata-lexer.js';

/**
 * A parser for the OData query options the Dynamics connector sends, and a little around them so tests can prove
 * what is refused ("Filter rows using OData", "Order rows using OData", "Select columns using OData",
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/overview):
 *
 *   filter     := or
 *   or         := and ('or' and)*
 *   and        := unary ('and' unary)*
 *   unary      := 'not' unary | primary
 *   primary    := '(' filter ')'
 *               | ('contains' | 'startswith' | 'endswith') '(' path ',' string ')'
 *               | path '/' ('any' | 'all') '(' [variable ':' filter] ')'
 *               | path ('eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le') literal
 *   path       := identifier ('/' identifier)*
 *   literal    := string | number | guid | dateTimeOffset | 'null' | 'true' | 'false'
 *   select     := identifier (',' identifier)*
 *   orderby    := path ['asc' | 'desc'] (',' path ['asc' | 'desc'])*
 *
 * Whether a path names a column or a navigation property is checked by the engine against the table, not here.
 * Dataverse's own query functions (`Microsoft.Dynamics.CRM.*`), arithmetic, column-to-column comparisons and the
 * other OData functions are refused.
 */
export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'guid'; value: string }
  | { type: 'datetime'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'null' };

export type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type StringFunction = 'contains' | 'startswith' | 'endswith';

export type Filter =
  | { kind: 'and' | 'or'; terms: Filter[] }
  | { kind: 'not'; term: Filter }
  | { kind: 'compare'; path: string[]; op: Operator; value: Literal }
  | { kind: 'function'; name: StringFunction; path: string[]; pattern: string }
  | { kind: 'lambda'; path: string[]; quantifier: 'any' | 'all'; variable?: string; body?: Filter };

export interface OrderItem {
  path: string[];
  descending: boolean;
}

const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set<string>(['contains', 'startswith', 'endswith']);

export function parseFilter(text: string): Filter {
  const stream = new TokenStream(tokenize(text), text);
  const filter = parseOr(stream);
  if (!stream.atEnd()) throw stream.unexpected('an operator or the end of the expression');
  return filter;
}

export function parseSelect(text: string): string[] {
  const stream = new TokenStream(tokenize(text), text);
  const columns = [stream.identifier('a property name')];
  while (stream.isSymbol(',')) {
    stream.next();
    columns.push(stream.identifier('a property name'));
  }
  if (!stream.atEnd()) throw stream.unexpected("',' or the end of $select");
  return columns;
}

export function parseOrderBy(text: string): OrderItem[] {
  const stream = new TokenStream(tokenize(text), text);
  const items: OrderItem[] = [];
  do {
    if (items.length > 0) stream.next();
    const path = parsePath(stream);
    let descending = false;
    if (stream.isWord('asc')) stream.next();
    else if (stream.isWord('desc')) {
      stream.next();
      descending = true;
    }
    items.push({ path, descending });
  } while (stream.isSymbol(','));
  if (!stream.atEnd()) throw stream.unexpected("',' or the end of $orderby");
  return items;
}

/** `$top`: a non-negative whole number. */
export function parseTop(text: string): number {
  if (!/^\d{1,9}$/.test(text.trim())) throw new ODataQueryError(`Invalid value '${text}' for $top query option found.`);
  return Number(text.trim());
}

function parseOr(stream: TokenStream): Filter {
  const terms = [parseAnd(stream)];
  while (stream.isWord('or')) {
    stream.next();
    terms.push(parseAnd(stream));
  }
  return terms.length === 1 ? terms[0]! : { kind: 'or', terms };
}

function parseAnd(stream: TokenStream): Filter {
  const terms = [parseUnary(stream)];
  while (stream.isWord('and')) {
    stream.next();
    terms.push(parseUnary(stream));
  }
  return terms.length === 1 ? terms[0]! : { kind: 'and', terms };
}

function parseUnary(stream: TokenStream): Filter {
  if (stream.isWord('not')) {
    stream.next();
    return { kind: 'not', term: parseUnary(stream) };
  }
  return parsePrimary(stream);
}

function parsePrimary(stream: TokenStream): Filter {
  if (stream.isSymbol('(')) {
    stream.next();
    const inner = parseOr(stream);
    stream.symbol(')');
    return inner;
  }
  const token = stream.peek();
  if (token.kind === 'identifier' && stream.isSymbol('(', 1)) {
    if (!FUNCTIONS.has(token.text)) {
      throw new ODataQueryError(`An unknown function with name '${token.text}' was found.`);
    }
    stream.next();
    stream.symbol('(');
    const path = parsePath(stream);
    stream.symbol(',');
    const pattern = stream.next();
    if (pattern.kind !== 'string') throw new ODataQueryError(`${token.text} takes a property and a string literal.`);
    stream.symbol(')');
    return { kind: 'function', name: token.text as StringFunction, path, pattern: pattern.value };
  }
  const path = parsePath(stream, true);
  if (stream.isSymbol('/')) {
    stream.next();
    const quantifier = stream.next();
    if (quantifier.kind !== 'identifier' || (quantifier.text !== 'any' && quantifier.text !== 'all')) {
      throw new ODataQueryError(`Syntax error at position ${quantifier.at} in '${stream.text}': expected any or all.`);
    }
    stream.symbol('(');
    if (stream.isSymbol(')')) {
      stream.next();
      if (quantifier.text === 'all') throw new ODataQueryError('all requires a lambda expression.');
      return { kind: 'lambda', path, quantifier: 'any' };
    }
    const variable = stream.identifier('a range variable');
    stream.symbol(':');
    const body = parseOr(stream);
    stream.symbol(')');
    return { kind: 'lambda', path, quantifier: quantifier.text, variable, body };
  }
  const op = stream.peek();
  if (op.kind !== 'identifier' || !OPERATORS.has(op.text)) throw stream.unexpected('a comparison operator');
  stream.next();
  return { kind: 'compare', path, op: op.text as Operator, value: parseLiteral(stream) };
}

/** `a/b/c`; with `beforeLambda`, stops before a `/any(` or `/all(` so the caller reads the quantifier. */
function parsePath(stream: TokenStream, beforeLambda = false): string[] {
  const path = [stream.identifier('a property name')];
  while (stream.isSymbol('/')) {
    if (beforeLambda && (stream.isWord('any', 1) || stream.isWord('all', 1)) && stream.isSymbol('(', 2)) break;
    stream.next();
    path.push(stream.identifier('a property name'));
  }
  return path;
}

function parseLiteral(stream: TokenStream): Literal {
  const token = stream.next();
  switch (token.kind) {
    case 'string':
      return { type: 'string', value: token.value };
    case 'number':
      return { type: 'number', value: token.value };
    case 'guid':
      return { type: 'guid', value: token.value };
    case 'datetime':
      return { type: 'datetime', value: token.value };
    case 'identifier':
      if (token.text === 'null') return { type: 'null' };
      if (token.text === 'true' || token.text === 'false') return { type: 'bool', value: token.text === 'true' };
      throw new ODataQueryError(
        `Syntax error at position ${token.at} in '${stream.text}': comparing a property with '${token.text}' is not supported.`,
      );
    default:
      throw new ODataQueryError(`Syntax error at position ${token.at} in '${stream.text}': expected a literal.`);
  }
}
