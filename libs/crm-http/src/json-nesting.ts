/**
 * How deep a CRM answer's JSON may nest. The answers the connectors read nest about six levels (a Zendesk ticket's
 * `via.source.from`, a Salesforce composite's `compositeResponse[].body.records[]`); ten times that is room for any
 * API change. JSON.parse costs about ten times more per byte on deep nesting than on flat JSON (5 MiB of `[` took
 * 0.9 s on a quiet core, the event loop blocked all along), and the bridge reads nothing from that deep.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Answers up to this size are parsed without a look: nesting them as deep as they can costs JSON.parse a few
 * milliseconds at most, less than looking would add to every pop.
 */
const LOOK_FROM_LENGTH = 64 * 1024;

/**
 * Whether JSON text nests arrays and objects deeper than `maxDepth`, in one pass that skips strings with indexOf
 * (far cheaper than JSON.parse itself on the usual answer). Text that is not JSON may give either answer: JSON.parse
 * then says what is wrong with it.
 */
export function nestsDeeperThan(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  if (text.length < LOOK_FROM_LENGTH) return false;
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22) {
      index = stringEnd(text, index);
      if (index < 0) return false;
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

/** The index of the quote that closes the string opened at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let quote = start;
  for (;;) {
    quote = text.indexOf('"', quote + 1);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
}
