/**
 * Values put into SOQL and SOSL, escaped by Salesforce's documented rules. Nothing from a request reaches a query
 * any other way.
 */

/**
 * A SOQL string literal. "Quoted String Escape Sequences" (SOQL and SOSL Reference,
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm):
 * `\'`, `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f` and `\uXXXX`; "if you use a backslash character in any other context,
 * an error occurs". `%` and `_` are wildcards only in LIKE, which the connector never uses, so they stay as they are
 * (`\%` outside LIKE would be an error). Other control characters are written as `\uXXXX`.
 */
export function soqlString(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what SOQL's escaping must cover
  const escaped = value.replace(/[\\'"\u0000-\u001f\u007f\u2028\u2029]/g, (char) => {
    switch (char) {
      case '\\':
        return '\\\\';
      case "'":
        return "\\'";
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `'${escaped}'`;
}

/** Record ids are 15 or 18 case-sensitive alphanumerics; anything else names no record. */
export const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * SOSL's reserved characters: `? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -`, which "must be escaped (preceded by the
 * backslash \ character)" in a search term (SOSL FIND clause, SOQL and SOSL Reference,
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_find.htm).
 * Whitespace and control characters are dropped: one term is one token, and `AND`/`OR`/`NOT` inside it lose their
 * meaning only when the term cannot split.
 */
export function soslTerm(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters have no place in a SOSL search term
  return value.replace(/[\s\u0000-\u001f\u007f]+/g, '').replace(/[?&|!{}[\]()^~*:\\"'+-]/g, (char) => `\\${char}`);
}
