import { MalformedQuery, TokenStream, tokenize } from './query-lexer.js';

/**
 * A parser for the SOQL subset the connector sends (and a little around it, so tests can prove what is refused):
 *
 *   query      := SELECT field (',' field)* FROM object [WHERE condition] [ORDER BY order (',' order)*] [LIMIT n]
 *   condition  := term (AND term)* | term (OR term)*      -- mixing AND and OR needs parentheses, as in SOQL
 *   term       := NOT term | '(' condition ')' | field comparison
 *   comparison := ('=' | '!=' | '<' | '<=' | '>' | '>=') literal | [NOT] IN '(' (literal (',' literal)* | semi-join) ')'
 *               | LIKE string
 *   semi-join  := SELECT field FROM object [WHERE condition]
 *   literal    := string | number | TRUE | FALSE | NULL
 *   order      := field [ASC | DESC] [NULLS (FIRST | LAST)]
 *
 * Field and object names are checked against the org's schema by the engine, not here.
 */
export type Literal = string | number | boolean | null;

export type Condition =
  | { kind: 'and' | 'or'; terms: Condition[] }
  | { kind: 'not'; term: Condition }
  | { kind: 'compare'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Literal; likeEscapes: boolean }
  | { kind: 'in'; field: string; negated: boolean; values: Literal[] }
  | { kind: 'semi-join'; field: string; negated: boolean; query: SoqlQuery }
  | { kind: 'like'; field: string; pattern: string };

export interface OrderItem {
  field: string;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  fields: string[];
  object: string;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
}

export function parseSoql(text: string): SoqlQuery {
  const stream = new TokenStream(tokenize(text));
  const query = parseSelect(stream, false);
  if (stream.peek().kind !== 'end') throw stream.unexpected('end of query');
  return query;
}

/** SELECT …; `nested` for a semi-join's subquery (one field, no ORDER BY or LIMIT). */
export function parseSelect(stream: TokenStream, nested: boolean): SoqlQuery {
  stream.keyword('SELECT');
  const fields = [stream.identifier('a field')];
  while (stream.isSymbol(',')) {
    stream.next();
    fields.push(stream.identifier('a field'));
  }
  stream.keyword('FROM');
  const object = stream.identifier('an object');
  const where = stream.isKeyword('WHERE') ? (stream.next(), parseCondition(stream)) : undefined;
  if (nested) {
    if (fields.length !== 1) throw new MalformedQuery('a semi-join selects exactly one field');
    return { fields, object, where, orderBy: [] };
  }
  return { fields, object, where, ...parseTail(stream) };
}

/** ORDER BY and LIMIT, shared with SOSL's RETURNING object clauses. */
export function parseTail(stream: TokenStream): { orderBy: OrderItem[]; limit?: number } {
  const orderBy: OrderItem[] = [];
  if (stream.isKeyword('ORDER')) {
    stream.next();
    stream.keyword('BY');
    do {
      if (orderBy.length > 0) stream.next();
      const field = stream.identifier('a field');
      let descending = false;
      if (stream.isKeyword('ASC')) stream.next();
      else if (stream.isKeyword('DESC')) {
        stream.next();
        descending = true;
      }
      let nullsLast = descending; // SOQL's default: nulls first ascending, last descending
      if (stream.isKeyword('NULLS')) {
        stream.next();
        if (stream.isKeyword('FIRST')) nullsLast = false;
        else if (stream.isKeyword('LAST')) nullsLast = true;
        else throw stream.unexpected('FIRST or LAST');
        stream.next();
      }
      orderBy.push({ field, descending, nullsLast });
    } while (stream.isSymbol(','));
  }
  let limit: number | undefined;
  if (stream.isKeyword('LIMIT')) {
    stream.next();
    const token = stream.next();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0)
      throw new MalformedQuery('LIMIT takes a whole number');
    limit = token.value;
  }
  return { orderBy, limit };
}

export function parseCondition(stream: TokenStream): Condition {
  const first = parseTerm(stream);
  const joiner = stream.isKeyword('AND') ? 'and' : stream.isKeyword('OR') ? 'or' : undefined;
  if (!joiner) return first;
  const terms = [first];
  while (stream.isKeyword(joiner.toUpperCase())) {
    stream.next();
    terms.push(parseTerm(stream));
  }
  if (stream.isKeyword('AND') || stream.isKeyword('OR')) {
    throw new MalformedQuery('unexpected token: mixing AND and OR needs parentheses');
  }
  return { kind: joiner, terms };
}

function parseTerm(stream: TokenStream): Condition {
  if (stream.isKeyword('NOT')) {
    stream.next();
    return { kind: 'not', term: parseTerm(stream) };
  }
  if (stream.isSymbol('(')) {
    stream.next();
    const inner = parseCondition(stream);
    stream.symbol(')');
    return inner;
  }
  const field = stream.identifier('a field');
  const token = stream.peek();
  if (token.kind === 'symbol' && ['=', '!=', '<', '<=', '>', '>='].includes(token.text)) {
    stream.next();
    const literal = stream.peek();
    const value = parseLiteral(stream);
    return {
      kind: 'compare',
      field,
      op: token.text as '=' | '!=' | '<' | '<=' | '>' | '>=',
      value,
      likeEscapes: literal.kind === 'string' && literal.likeEscapes,
    };
  }
  const negated = stream.isKeyword('NOT') && stream.isKeyword('IN', 1);
  if (negated) stream.next();
  if (stream.isKeyword('IN')) {
    stream.next();
    stream.symbol('(');
    if (stream.isKeyword('SELECT')) {
      const query = parseSelect(stream, true);
      stream.symbol(')');
      return { kind: 'semi-join', field, negated, query };
    }
    const values = [parseLiteral(stream)];
    while (stream.isSymbol(',')) {
      stream.next();
      values.push(parseLiteral(stream));
    }
    stream.symbol(')');
    return { kind: 'in', field, negated, values };
  }
  if (stream.isKeyword('LIKE')) {
    stream.next();
    const pattern = stream.next();
    if (pattern.kind !== 'string') throw new MalformedQuery('LIKE takes a string');
    return { kind: 'like', field, pattern: pattern.value };
  }
  throw stream.unexpected('a comparison operator');
}

function parseLiteral(stream: TokenStream): Literal {
  const token = stream.next();
  if (token.kind === 'string') return token.value;
  if (token.kind === 'number') return token.value;
  if (token.kind === 'word') {
    const word = token.text.toUpperCase();
    if (word === 'TRUE') return true;
    if (word === 'FALSE') return false;
    if (word === 'NULL') return null;
  }
  throw new MalformedQuery(`unexpected token at ${token.at}, expecting a value`);
}
