/** Deeper than any body Talkdesk sends (3 levels), far shallower than what overflows a recursive walk. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply objects and arrays nest in a JSON text, found without parsing it or recursing: brackets inside strings
 * do not count. Malformed text gets a number too; the parser refuses it afterwards.
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) i++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth--;
    }
  }
  return deepest;
}
