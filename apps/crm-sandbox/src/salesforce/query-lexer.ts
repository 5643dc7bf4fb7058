/**
 * The tokens of the SOQL (and SOSL RETURNING) subset the sandbox understands. Anything the lexer or the parsers do
 * not know is a MalformedQuery, answered as Salesforce does: 400 `MALFORMED_QUERY`. So a connector change that sends
 * a query the real Salesforce would reject fails in tests instead of in a customer's org.
 */
export class MalformedQuery extends Error {
  constructor(
    message: string,
    readonly errorCode = 'MALFORMED_QUERY',
  ) {
    super(message);
    this.name = 'MalformedQuery';
  }
}

export type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; value: string; likeEscapes: boolean; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'symbol'; text: string; at: number }
  | { kind: 'end'; at: number };

/**
 * SOQL's escape sequences in quoted strings ("Quoted String Escape Sequences"): \n \N \r \R \t \T \b \B \f \F \" \'
 * \\ and \uXXXX; \_ and \% only in LIKE (kept, flagged, for the parser to check); a backslash in any other context
 * is an error.
 */
const ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const at = i;
    if (char === "'") {
      let value = '';
      let likeEscapes = false;
      i++;
      for (;;) {
        if (i >= text.length) throw new MalformedQuery(`unterminated string literal at ${at}`);
        const c = text[i]!;
        if (c === "'") {
          i++;
          break;
        }
        if (c === '\\') {
          const next = text[i + 1];
          if (next === undefined) throw new MalformedQuery(`unterminated string literal at ${at}`);
          if (next === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new MalformedQuery(`invalid escape sequence at ${i}`);
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            continue;
          }
          if (next === '_' || next === '%') {
            likeEscapes = true;
            value += `\\${next}`;
            i += 2;
            continue;
          }
          const escaped = ESCAPES[next];
          if (escaped === undefined) throw new MalformedQuery(`invalid escape sequence '\\${next}' at ${i}`);
          value += escaped;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: 'string', value, likeEscapes, at });
      continue;
    }
    if (/[A-Za-z_]/.test(char)) {
      let end = i + 1;
      while (end < text.length && /[A-Za-z0-9_.]/.test(text[end]!)) end++;
      tokens.push({ kind: 'word', text: text.slice(i, end), at });
      i = end;
      continue;
    }
    if (/[0-9]/.test(char) || (char === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      let end = i + 1;
      while (end < text.length && /[0-9.]/.test(text[end]!)) end++;
      const raw = text.slice(i, end);
      if (!/^-?\d+(\.\d+)?$/.test(raw)) throw new MalformedQuery(`malformed number '${raw}' at ${at}`);
      tokens.push({ kind: 'number', value: Number(raw), at });
      i = end;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'symbol', text: two === '<>' ? '!=' : two, at });
      i += 2;
      continue;
    }
    if ('(),=<>'.includes(char)) {
      tokens.push({ kind: 'symbol', text: char, at });
      i++;
      continue;
    }
    throw new MalformedQuery(`unexpected character '${char}' at ${at}`);
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** Reads tokens in order; keywords are case-insensitive, as in SOQL. */
export class TokenStream {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && token.text.toUpperCase() === word;
  }

  isSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === symbol;
  }

  keyword(word: string): void {
    if (!this.isKeyword(word)) throw this.unexpected(word);
    this.next();
  }

  symbol(symbol: string): void {
    if (!this.isSymbol(symbol)) throw this.unexpected(`'${symbol}'`);
    this.next();
  }

  identifier(what: string): string {
    const token = this.peek();
    if (token.kind !== 'word' || RESERVED.has(token.text.toUpperCase())) throw this.unexpected(what);
    this.next();
    return token.text;
  }

  unexpected(expected: string): MalformedQuery {
    const token = this.peek();
    const found =
      token.kind === 'end'
        ? 'end of query'
        : token.kind === 'word' || token.kind === 'symbol'
          ? `'${token.text}'`
          : token.kind;
    return new MalformedQuery(`unexpected token: ${found} at ${token.at}, expecting ${expected}`);
  }
}

/** Words that cannot name a field or an object. */
export const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
  'LIMIT',
  'NULL',
  'TRUE',
  'FALSE',
  'FIND',
  'RETURNING',
  'FIELDS',
  'GROUP',
  'HAVING',
  'OFFSET',
]);
