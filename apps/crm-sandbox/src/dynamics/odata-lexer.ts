/**
 * The tokens of the OData query options the sandbox understands (`$filter`, `$select`, `$orderby`). Anything the
 * lexer or the parser does not know is an ODataQueryError, answered as Dataverse answers a query it cannot run: 400
 * with its error body, code 0x80060888 (the code Dataverse gives for a query option it refuses, "Join tables using
 * OData", https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/join-tables). So a
 * connector change that sends a query Dataverse would refuse fails in tests instead of in a customer's org.
 */
export class ODataQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ODataQueryError';
  }
}

export type Token =
  | { kind: 'identifier'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'guid'; value: string; at: number }
  | { kind: 'datetime'; value: string; at: number }
  | { kind: 'symbol'; text: string; at: number }
  | { kind: 'end'; at: number };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})(?![\w])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?![\w.])/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]*/;

/**
 * OData's URL conventions: string literals in single quotes with a quote inside doubled (`'O''Neil'`), GUIDs and
 * dateTimeOffset values unquoted, identifiers (Dataverse's function names carry dots: `Microsoft.Dynamics.CRM.In`).
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      i++;
      continue;
    }
    const at = i;
    const rest = text.slice(i);
    if (char === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length)
          throw new ODataQueryError(`There is an unterminated literal at position ${at} in '${text}'.`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: 'string', value, at });
      continue;
    }
    const guid = GUID.exec(rest);
    if (guid) {
      tokens.push({ kind: 'guid', value: guid[0].toLowerCase(), at });
      i += guid[0].length;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      tokens.push({ kind: 'datetime', value: datetime[0], at });
      i += datetime[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at });
      i += number[0].length;
      continue;
    }
    const identifier = IDENTIFIER.exec(rest);
    if (identifier) {
      tokens.push({ kind: 'identifier', text: identifier[0], at });
      i += identifier[0].length;
      continue;
    }
    if ('(),/:'.includes(char)) {
      tokens.push({ kind: 'symbol', text: char, at });
      i++;
      continue;
    }
    throw new ODataQueryError(`Syntax error: character '${char}' is not valid at position ${at} in '${text}'.`);
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** Reads tokens in order. OData's keywords and operators are lower case and case-sensitive. */
export class TokenStream {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    readonly text: string,
  ) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'identifier' && token.text === word;
  }

  isSymbol(symbol: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'symbol' && token.text === symbol;
  }

  symbol(symbol: string): void {
    if (!this.isSymbol(symbol)) throw this.unexpected(`'${symbol}'`);
    this.next();
  }

  identifier(what: string): string {
    const token = this.peek();
    if (token.kind !== 'identifier' || token.text.includes('.') || KEYWORDS.has(token.text))
      throw this.unexpected(what);
    this.next();
    return token.text;
  }

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }

  unexpected(expected: string): ODataQueryError {
    const token = this.peek();
    const found =
      token.kind === 'end'
        ? 'the end of the expression'
        : token.kind === 'identifier' || token.kind === 'symbol'
          ? `'${token.text}'`
          : `a ${token.kind} literal`;
    return new ODataQueryError(
      `Syntax error at position ${token.at} in '${this.text}': found ${found}, expected ${expected}.`,
    );
  }
}

export const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'any',
  'all',
  'null',
  'true',
  'false',
  'asc',
  'desc',
]);
