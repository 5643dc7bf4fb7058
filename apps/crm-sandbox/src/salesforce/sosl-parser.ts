import { MalformedQuery, TokenStream, tokenize } from './query-lexer.js';
import { parseCondition, parseTail, type Condition, type OrderItem } from './soql-parser.js';

/**
 * A parser for the SOSL subset the connector sends:
 *
 *   search     := FIND '{' expression '}' IN (ALL | NAME | EMAIL | PHONE) FIELDS RETURNING object (',' object)* [LIMIT n]
 *   object     := name ['(' field (',' field)* [WHERE condition] [ORDER BY …] [LIMIT n] ')']
 *   expression := term (OR term)* | term (AND term)*      -- terms are words or "phrases"
 *
 * In a term the reserved characters `? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -` must be escaped with a backslash (SOSL
 * FIND clause, SOQL and SOSL Reference); `*` and `?` unescaped are wildcards, which the connector never sends and
 * this stand-in refuses. Anything else is MALFORMED_QUERY.
 */
export interface SoslSearch {
  terms: string[];
  joiner: 'or' | 'and';
  scope: 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';
  returning: { object: string; fields: string[]; where?: Condition; orderBy: OrderItem[]; limit?: number }[];
  limit?: number;
}

const RESERVED_IN_TERM = '?&|!{}[]()^~*:\\"\'+-';

export function parseSosl(text: string): SoslSearch {
  const find = /^\s*FIND\s*\{/i.exec(text);
  if (!find) throw new MalformedQuery('a search starts with FIND {…}');
  const { terms, joiner, end } = readExpression(text, find[0].length);
  const stream = new TokenStream(tokenize(text.slice(end)));
  stream.keyword('IN');
  const scopeToken = stream.next();
  const scope = scopeToken.kind === 'word' ? scopeToken.text.toUpperCase() : '';
  if (!['ALL', 'NAME', 'EMAIL', 'PHONE'].includes(scope))
    throw new MalformedQuery('unknown search group: expecting ALL, NAME, EMAIL or PHONE');
  stream.keyword('FIELDS');
  stream.keyword('RETURNING');
  const returning: SoslSearch['returning'] = [];
  do {
    if (returning.length > 0) stream.next();
    const object = stream.identifier('an object');
    if (!stream.isSymbol('(')) {
      returning.push({ object, fields: ['Id'], orderBy: [] });
      continue;
    }
    stream.next();
    const fields = [stream.identifier('a field')];
    while (stream.isSymbol(',')) {
      stream.next();
      fields.push(stream.identifier('a field'));
    }
    // WHERE reuses SOQL's condition grammar through a tiny SELECT wrapper.
    let where: Condition | undefined;
    if (stream.isKeyword('WHERE')) {
      stream.next();
      where = parseCondition(stream); // SOQL's condition grammar
    }
    const tail = parseTail(stream);
    stream.symbol(')');
    returning.push({ object, fields, where, ...tail });
  } while (stream.isSymbol(','));
  const { limit, orderBy } = parseTail(stream);
  if (orderBy.length > 0) throw new MalformedQuery('ORDER BY belongs inside an object clause');
  if (stream.peek().kind !== 'end') throw stream.unexpected('end of search');
  return { terms, joiner, scope: scope as SoslSearch['scope'], returning, limit };
}

/** The `{…}` expression: unescaped terms joined by one kind of operator. */
function readExpression(text: string, start: number): { terms: string[]; joiner: 'or' | 'and'; end: number } {
  const words: { text: string; operator: boolean }[] = [];
  let current = '';
  let escapedAny = false;
  let i = start;
  const flush = () => {
    if (current) words.push({ text: current, operator: !escapedAny && /^(OR|AND)$/i.test(current) });
    current = '';
    escapedAny = false;
  };
  for (;;) {
    if (i >= text.length) throw new MalformedQuery('unterminated search expression: missing }');
    const char = text[i]!;
    if (char === '\\') {
      const next = text[i + 1];
      if (next === undefined || !RESERVED_IN_TERM.includes(next))
        throw new MalformedQuery(`invalid escape in search term at ${i}`);
      current += next;
      escapedAny = true;
      i += 2;
      continue;
    }
    if (char === '}') break;
    if (/\s/.test(char)) {
      flush();
      i++;
      continue;
    }
    if (RESERVED_IN_TERM.includes(char))
      throw new MalformedQuery(`unescaped reserved character '${char}' in search term at ${i}`);
    current += char;
    i++;
  }
  flush();
  const terms = words.filter((word) => !word.operator).map((word) => word.text);
  const operators = words.filter((word) => word.operator).map((word) => word.text.toLowerCase());
  const alternating = words.every((word, index) => word.operator === (index % 2 === 1));
  if (terms.length === 0 || !alternating || words.length % 2 === 0)
    throw new MalformedQuery('malformed search expression');
  if (new Set(operators).size > 1) throw new MalformedQuery('mixing AND and OR in a search needs parentheses');
  return { terms, joiner: (operators[0] ?? 'or') as 'or' | 'and', end: i + 1 };
}
